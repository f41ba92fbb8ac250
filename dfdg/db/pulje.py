"""A pool of raw asyncpg connections for single statements outside transactions: the planned
reads (``dfdg.plan``) and the access log's INSERT (``dfdg.db.adgangslog``).

asyncpg's own ``Pool`` costs more per acquire and release than the client's whole work for a
one-row read: a proxy object, an ``asyncio.Queue``, an inactivity timer cancelled and rearmed, and
a task per release (``asyncio.shield``), which also costs the request one more turn of the event
loop. Here a free connection is taken from a list and put back; a request that finds none, when
all ``max_size`` are lent, waits for the next one handed back.

What asyncpg's pool does on release that matters for these statements is kept: a connection
whose statement was cancelled (its task was, mid-statement) or that is closed, broken or (by
mistake) inside a transaction is not lent again; it is terminated, and a new one opened when
needed. No session state is reset: nothing here sets any. A connection idle for longer than
``maks_ledig`` seconds (asyncpg's default, 300) is closed rather than lent: a firewall or a pooler
in between may have dropped it without a word.

Waits are bounded (``dfdg.db.frist``): getting a connection — waiting for one handed back and
opening a new one together — by ``timeout`` (or the caller's own), raising
``DatabaseUtilgaengelig``; every statement by asyncpg's ``command_timeout`` unless the caller gives
its own. A connection whose statement timed out, or that met any other sign of an unreachable
database, is cut, never lent again.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any

import asyncpg
import orjson

from dfdg.db.frist import DatabaseUtilgaengelig, Tidsgraenser, er_utilgaengelig
from dfdg.regler.tid import DANMARK


class PuljeLukket(asyncpg.InterfaceError, DatabaseUtilgaengelig):
    """The pool is closed (the app is shutting down): another worker may answer."""

    def __init__(self, msg: str) -> None:
        asyncpg.InterfaceError.__init__(self, msg)
        self.udfald_ukendt = False


class Pulje:
    def __init__(self, dsn: str, *, max_size: int, server_settings: dict[str, str] | None = None,
                 maks_ledig: float = 300.0, timeout: float | None = None,
                 command_timeout: float | None = None) -> None:
        if max_size < 1:
            raise ValueError("max_size skal være mindst 1")
        self.dsn = dsn
        self.max_size = max_size
        self.server_settings = dict(server_settings or {})
        self.maks_ledig = maks_ledig
        self.timeout = timeout  # getting a connection (waiting and connecting), unless the caller says
        self.command_timeout = command_timeout  # a statement no caller bounded
        self._ledige: list[tuple[asyncpg.Connection, float]] = []  # (connection, when it was handed back)
        self._ventende: deque[asyncio.Future] = deque()
        self._aabne = 0  # connections open or being opened, lent or free
        self._lukket = False

    async def start(self) -> Pulje:
        """Open the first connection (so a wrong address fails at start, not on the first request)."""
        self._aabne += 1
        try:
            self._ledige.append((await self._aabn(), time.monotonic()))
        except BaseException:
            self._aabne -= 1
            raise
        return self

    @property
    def antal(self) -> int:
        """Connections open (or being opened), lent or free."""
        return self._aabne

    @property
    def ledige(self) -> int:
        return len(self._ledige)

    async def _aabn(self, timeout: float | None = None) -> asyncpg.Connection:
        conn = await asyncpg.connect(
            self.dsn, server_settings=self.server_settings, command_timeout=self.command_timeout,
            **({} if timeout is None else {"timeout": timeout}),
        )
        # JSON as Python values, as the SQLAlchemy connections decode it (a planned read of a JSON
        # column must answer what the reference does)
        for navn in ("json", "jsonb"):
            await conn.set_type_codec(navn, encoder=_json_tekst, decoder=orjson.loads, schema="pg_catalog")
        return conn

    def acquire(self, timeout: float | None = None) -> _Laan:
        """``async with pulje.acquire() as conn:`` — as asyncpg's ``Pool.acquire``."""
        return _Laan(self, timeout)

    async def hent(self, timeout: float | None = None) -> asyncpg.Connection:
        """A connection for one statement (or a few); hand it back with ``aflever``. Within
        ``timeout`` seconds (default: the pool's), or ``DatabaseUtilgaengelig``."""
        if timeout is None:
            timeout = self.timeout
        if timeout is None:
            return await self._hent(None)
        try:
            return await self._hent(time.monotonic() + timeout)
        except TimeoutError as exc:
            raise DatabaseUtilgaengelig(f"ingen forbindelse til databasen inden for {timeout:.3g} s") from exc
        except OSError as exc:
            raise DatabaseUtilgaengelig(f"databasen kan ikke nås ({type(exc).__name__})") from exc

    async def _hent(self, slut: float | None) -> asyncpg.Connection:
        while True:
            if self._lukket:
                raise PuljeLukket("forbindelsespuljen er lukket")
            while self._ledige:
                conn, siden = self._ledige.pop()
                if not conn.is_closed() and time.monotonic() - siden <= self.maks_ledig:
                    return conn
                self._aabne -= 1
                if not conn.is_closed():
                    conn.terminate()
            rest = None if slut is None else slut - time.monotonic()
            if rest is not None and rest <= 0:
                raise TimeoutError
            if self._aabne < self.max_size:
                self._aabne += 1
                try:
                    return await self._aabn(rest)
                except BaseException:
                    self._aabne -= 1
                    self._vaek()
                    raise
            fremtid = asyncio.get_running_loop().create_future()
            self._ventende.append(fremtid)
            try:
                if rest is None:
                    conn = await fremtid
                else:
                    async with asyncio.timeout(rest):
                        conn = await fremtid
            except (asyncio.CancelledError, TimeoutError):
                if fremtid.done() and not fremtid.cancelled() and fremtid.exception() is None:
                    # handed over just as the wait ended: the connection back, or the room to open one on
                    if fremtid.result() is not None:
                        self.aflever(fremtid.result())
                    else:
                        self._vaek()
                raise
            if conn is not None:
                return conn
            # None: a connection was given up; there is room to open one (the loop above does)

    def aflever(self, conn: asyncpg.Connection, fejl: BaseException | None = None) -> None:
        """Hand ``conn`` back; ``fejl`` is what the statement raised, if anything."""
        if (
            self._lukket or conn.is_closed() or conn.is_in_transaction()
            # cancelled mid-statement, timed out (a cancel in flight), cut off: state unknown
            or (fejl is not None and (not isinstance(fejl, Exception) or er_utilgaengelig(fejl)))
        ):
            self._opgiv(conn)
            return
        while self._ventende:
            fremtid = self._ventende.popleft()
            if not fremtid.done():
                fremtid.set_result(conn)
                return
        self._ledige.append((conn, time.monotonic()))

    def _opgiv(self, conn: asyncpg.Connection) -> None:
        self._aabne -= 1
        if not conn.is_closed():
            conn.terminate()
        self._vaek()

    def _vaek(self) -> None:
        """Room for one more connection: the first waiter opens it."""
        while self._ventende:
            fremtid = self._ventende.popleft()
            if not fremtid.done():
                fremtid.set_result(None)
                return

    async def close(self) -> None:
        """Close the free connections and refuse new requests; a lent one is closed when handed back."""
        self._lukket = True
        while self._ventende:
            fremtid = self._ventende.popleft()
            if not fremtid.done():
                fremtid.set_exception(PuljeLukket("forbindelsespuljen er lukket"))
        ledige, self._ledige = self._ledige, []
        self._aabne -= len(ledige)
        await asyncio.gather(*(conn.close() for conn, _ in ledige), return_exceptions=True)


def pulje(settings: Any, database_url: str, application_name: str) -> Pulje:
    """The app's pool on ``database_url``: ``DFDG_POOL_SIZE`` connections, the statement timeout
    (on the server, and the client-side bounds of ``dfdg.db.frist``), Danish time. Not yet started
    (``await pulje(…).start()``)."""
    graenser = Tidsgraenser.fra(settings)
    return Pulje(database_url.replace("postgresql+asyncpg://", "postgresql://", 1), max_size=settings.pool_size,
                 timeout=graenser.vent, command_timeout=graenser.saetning,
                 server_settings={
                     "application_name": application_name,
                     "statement_timeout": str(settings.statement_timeout_ms),
                     "timezone": DANMARK.key,
                 })


class _Laan:
    __slots__ = ("conn", "pulje", "timeout")

    def __init__(self, pulje: Pulje, timeout: float | None) -> None:
        self.pulje = pulje
        self.timeout = timeout
        self.conn: asyncpg.Connection | None = None

    async def __aenter__(self) -> asyncpg.Connection:
        self.conn = await self.pulje.hent(self.timeout)
        return self.conn

    async def __aexit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        conn, self.conn = self.conn, None
        self.pulje.aflever(conn, exc)


def _json_tekst(value) -> str:
    return orjson.dumps(value).decode()
