"""Every wait on the database is bounded, by one setting: ``DFDG_STATEMENT_TIMEOUT_MS`` (T).

A stopped (SIGSTOP) or unreachable PostgreSQL answers nothing: the server's own
``statement_timeout`` never fires, and a socket to a frozen server stays open. So the application
bounds each wait itself:

* opening a connection, and waiting for one from a pool: T (``Tidsgraenser.vent``);
* a statement, and a request's database work as a whole: T plus a margin (``Tidsgraenser.saetning``),
  so that the server's own cancel (STATEMENT_TIMEOUT) normally comes first. A request's budget
  (``Frist``, in a context variable while a GraphQL HTTP request runs) starts at its first wait on
  the database; every later wait gets what is left of it, so waits never add up. Outside a request
  (subscriptions, start-up) each wait has its own bound; asyncpg's ``command_timeout`` (T plus the
  margin) bounds any statement that no caller bounded.

A connection whose statement timed out on the client side is never used again: the server may
still be running it, and asyncpg has a cancel request in flight. It is cut (``terminate``, which
waits for nothing) and a new one opened when needed. ``er_utilgaengelig`` tells such faults (a
timeout, a lost or refused connection, a server shutting down or starting up) from the rest; they
are answered ``DATABASE_UNAVAILABLE`` (``dfdg.schema.databasefejl``), which a client may retry.
"""

from __future__ import annotations

import asyncio
import time
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy import event

# PostgreSQL's codes for "not reachable now": connection exceptions (class 08, but a protocol
# violation, which is a bug), too many connections, the server shutting down, crashed or starting up.
_SQLSTATES = {"53300", "57P01", "57P02", "57P03"}


class DatabaseUtilgaengelig(Exception):
    """The database could not be reached, or did not answer within its bound.

    ``udfald_ukendt``: a COMMIT was sent and no answer came, so whether the transaction was
    committed is unknown (a retry with the same idempotency key is how a client finds out)."""

    def __init__(self, besked: str, *, udfald_ukendt: bool = False) -> None:
        super().__init__(besked)
        self.udfald_ukendt = udfald_ukendt


def er_utilgaengelig(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what it was raised from: SQLAlchemy's ``orig``, ``__cause__``) says the
    database is unreachable or stalled, rather than that a statement or the code is wrong."""
    sete = 0
    while exc is not None and sete < 8:
        if isinstance(exc, (DatabaseUtilgaengelig, TimeoutError, OSError)):
            return True
        sqlstate = getattr(exc, "sqlstate", None)
        if isinstance(sqlstate, str) and ((sqlstate[:2] == "08" and sqlstate != "08P01") or sqlstate in _SQLSTATES):
            return True
        if isinstance(exc, asyncpg.InterfaceError) and "closed" in str(exc):  # "connection is closed"
            return True
        if _ubrugelig(exc):
            return True
        if getattr(exc, "connection_invalidated", False):  # SQLAlchemy saw the connection go
            return True
        if type(exc).__name__ == "TimeoutError" and type(exc).__module__ == "sqlalchemy.exc":  # QueuePool wait
            return True
        sete += 1
        exc = getattr(exc, "orig", None) or exc.__cause__
    return False


def _ubrugelig(exc: BaseException) -> bool:
    """asyncpg's state after an error the server sent unasked (a backend's FATAL as the server goes
    down, just before the socket closes): every later operation on that connection raises this."""
    return isinstance(exc, asyncpg.exceptions._base.InternalClientError) and "another operation (2)" in str(exc)


@dataclass(frozen=True)
class Tidsgraenser:
    """Seconds. ``vent``: connect, pool acquire; ``saetning``: a statement, a request's database work."""

    vent: float
    saetning: float

    @classmethod
    def fra(cls, settings: Any) -> Tidsgraenser:
        t = settings.statement_timeout_ms / 1000
        return cls(vent=t, saetning=t + max(0.5, t / 10))


class Frist:
    """One request's budget for its waits on the database: ``Tidsgraenser.saetning`` from its first
    wait. Shared by the tasks the request spawns (they copy the context, and with it this object)."""

    __slots__ = ("graenser", "slut")

    def __init__(self, graenser: Tidsgraenser) -> None:
        self.graenser = graenser
        self.slut: float | None = None

    def rest(self) -> float:
        """Seconds left for the next wait; raises when none are."""
        nu = time.monotonic()
        if self.slut is None:
            self.slut = nu + self.graenser.saetning
            return self.graenser.saetning
        rest = self.slut - nu
        if rest <= 0:
            raise DatabaseUtilgaengelig("forespørgslens tid hos databasen er brugt op")
        return rest

    def vent(self) -> float:
        """Seconds for a connect or a pool wait."""
        return min(self.graenser.vent, self.rest())

    def forfra(self) -> None:
        """A new attempt (the reference executor after a planned read that failed) gets its own budget."""
        self.slut = None


FRIST: ContextVar[Frist | None] = ContextVar("dfdg_frist", default=None)


def aktuel() -> Frist | None:
    return FRIST.get()


def saetning() -> float | None:
    """The bound for the next statement: what is left of the request's budget (None outside a
    request: asyncpg's ``command_timeout`` applies)."""
    frist = FRIST.get()
    return frist.rest() if frist is not None else None


class Vagt:
    """Cuts ``conn`` (an asyncpg connection) if the block has not ended within ``sekunder``: for
    statements run through SQLAlchemy, which takes no timeout per statement. The cut connection
    raises in the statement waiting on it, and SQLAlchemy invalidates it."""

    __slots__ = ("conn", "handle", "udloebet")

    def __init__(self, conn: Any, sekunder: float) -> None:
        self.conn = conn
        self.udloebet = False
        self.handle = asyncio.get_running_loop().call_later(sekunder, self._udloeb)

    def _udloeb(self) -> None:
        self.udloebet = True
        self.conn.terminate()

    def __enter__(self) -> Vagt:
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        self.handle.cancel()
        if exc is not None and self.udloebet and isinstance(exc, Exception):
            raise DatabaseUtilgaengelig("databasen svarede ikke inden for tidsgrænsen") from exc


def kasser(raw: Any) -> None:
    """Cut an asyncpg connection whose state is unknown; waits for nothing."""
    if raw is not None and not raw.is_closed():
        raw.terminate()


def bind_engine(engine: Any) -> None:
    """SQLAlchemy's side: a connection whose statement hit asyncpg's ``command_timeout`` is
    invalidated (not handed back with a cancel in flight), and so is one left unusable by a server
    going down (``_ubrugelig``); a connection the pool lets go of is
    cut rather than closed politely (a polite close waits for the server: up to 2 s, or for ever
    on a frozen one)."""
    @event.listens_for(engine.sync_engine, "handle_error")
    def _tidsudloeb(ctx: Any) -> None:
        if isinstance(ctx.original_exception, TimeoutError):
            ctx.is_disconnect = True
            ctx.invalidate_pool_on_disconnect = False  # the others did not time out
        elif _ubrugelig(ctx.original_exception):
            ctx.is_disconnect = True

    @event.listens_for(engine.sync_engine.pool, "close")
    def _luk(dbapi_connection: Any, record: Any) -> None:
        kasser(getattr(record, "driver_connection", None))


class Proebe:
    """``/readyz``'s own connection: never queued behind the pools, and never waiting longer than
    ``sekunder`` in all (connect, lock, statement). A connection that timed out is cut."""

    def __init__(self, dsn: str, sekunder: float = 0.9) -> None:
        self.dsn = dsn
        self.sekunder = sekunder
        self.conn: asyncpg.Connection | None = None
        self._laas = asyncio.Lock()

    async def revision(self) -> str | None:
        """The migration the database is at (None: none), or ``DatabaseUtilgaengelig``."""
        slut = time.monotonic() + self.sekunder
        try:
            async with asyncio.timeout(self.sekunder):
                await self._laas.acquire()
        except TimeoutError as exc:
            raise DatabaseUtilgaengelig(f"databasen svarede ikke inden for {self.sekunder:g} s") from exc
        try:
            if self.conn is None or self.conn.is_closed():
                self.conn = await asyncpg.connect(
                    self.dsn, timeout=max(0.01, slut - time.monotonic()),
                    server_settings={"application_name": "dfdg-readyz"},
                )
            try:
                return await self.conn.fetchval(
                    "SELECT version_num FROM alembic_version", timeout=max(0.01, slut - time.monotonic()),
                )
            except asyncpg.UndefinedTableError:
                return None
        except BaseException as exc:
            kasser(self.conn)
            self.conn = None
            if isinstance(exc, Exception) and er_utilgaengelig(exc):
                raise DatabaseUtilgaengelig(f"databasen svarede ikke inden for {self.sekunder:g} s") from exc
            raise
        finally:
            self._laas.release()

    async def luk(self) -> None:
        kasser(self.conn)
        self.conn = None
