"""PostgreSQL LISTEN/NOTIFY: one listening connection per API process, fanned out in-process.

Migration 0002 makes every ready message in ``webservicebesked`` send a notification on the
channel ``dfdg_webservicebesked`` when its transaction commits. Each process keeps one dedicated
asyncpg connection that LISTENs (opened on first use, reopened with backoff if it drops) and
hands each notification to the in-process subscribers of that recipient. Notifications carry
only ids; subscribers read the rows themselves, from the primary.

A notification lost while the connection is down is not replayed: the queue in the table
(``webservicebeskeder``) stays the source of truth, and a subscription is the prompt to read it.

Connecting, the ping and closing are bounded by ``timeout`` (``DFDG_STATEMENT_TIMEOUT_MS``): a
frozen server is noticed at the next ping, and a stopped or restarted one reconnected within the
backoff (at most ``MAKS_PAUSE`` seconds between attempts).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from collections.abc import Callable

import asyncpg

from dfdg.settings import to_asyncpg_url

log = logging.getLogger("dfdg.notify")

CHANNEL = "dfdg_webservicebesked"
MAKS_PAUSE = 5.0  # seconds between reconnection attempts, at most
PING = 30.0  # seconds between pings of an idle connection
Recipient = tuple[str, str]  # (modtagertype, modtager)


def libpq_url(database_url: str) -> str:
    return to_asyncpg_url(database_url).replace("postgresql+asyncpg://", "postgresql://", 1)


class Listener:
    def __init__(self, database_url: str, channel: str = CHANNEL, *, on_change: Callable[[], None] | None = None,
                 timeout: float = 10.0) -> None:
        self.url = libpq_url(database_url)
        self.timeout = timeout
        self.channel = channel
        self.subscribers: dict[Recipient, set[asyncio.Queue[int]]] = defaultdict(set)
        self.on_change = on_change
        self._conn: asyncpg.Connection | None = None
        self._ready = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._lock = asyncio.Lock()
        self._closed = False

    @property
    def listening(self) -> bool:
        return self._conn is not None and not self._conn.is_closed()

    @property
    def count(self) -> int:
        return sum(len(queues) for queues in self.subscribers.values())

    async def start(self) -> None:
        """Listening when this returns: a message committed afterwards is delivered."""
        async with self._lock:
            if self._task is None:
                self._task = asyncio.create_task(self._run(), name="dfdg-listen")
        await self._ready.wait()

    async def stop(self) -> None:
        self._closed = True
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
        if self._conn is not None and not self._conn.is_closed():
            await self._conn.close()

    def subscribe(self, recipient: Recipient) -> asyncio.Queue[int]:
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=10_000)
        self.subscribers[recipient].add(queue)
        self._changed()
        return queue

    def unsubscribe(self, recipient: Recipient, queue: asyncio.Queue[int]) -> None:
        queues = self.subscribers.get(recipient)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self.subscribers[recipient]
        self._changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def _dispatch(self, payload: str) -> None:
        try:
            message = json.loads(payload)
            recipient = (message["modtagertype"], message["modtager"])
            message_id = int(message["id"])
        except (ValueError, KeyError, TypeError):
            log.warning("ukendt notifikation på %s ignoreret", self.channel)
            return
        for queue in self.subscribers.get(recipient, ()):
            try:
                queue.put_nowait(message_id)
            except asyncio.QueueFull:  # a subscriber that does not read is not allowed to grow forever
                log.warning("abonnent for %s er bagud; notifikation %d droppet", recipient[0], message_id)

    async def _run(self) -> None:
        delay = 0.5
        while not self._closed:
            try:
                self._conn = await asyncpg.connect(self.url, server_settings={"application_name": "dfdg-listen"},
                                                   timeout=self.timeout, command_timeout=self.timeout)
                lost = asyncio.Event()
                self._conn.add_termination_listener(lambda _conn, lost=lost: lost.set())  # this connection's, not a later one's
                await self._conn.add_listener(self.channel, lambda _c, _pid, _ch, payload: self._dispatch(payload))
                self._ready.set()
                delay = 0.5
                while not lost.is_set():  # a ping now and then finds a half-open connection
                    try:
                        await asyncio.wait_for(lost.wait(), timeout=PING)
                    except TimeoutError:
                        await self._conn.execute("SELECT 1", timeout=self.timeout)
                log.warning("LISTEN-forbindelsen til PostgreSQL blev afbrudt; genopretter")
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # reconnect with backoff; start() waits meanwhile
                log.warning("LISTEN på %s fejlede (%s); prøver igen om %.1fs", self.channel, type(exc).__name__, delay)
            finally:
                if self._conn is not None and not self._conn.is_closed():
                    self._conn.terminate()  # a polite close would wait for a server that may not answer
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAKS_PAUSE)
