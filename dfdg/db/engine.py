"""The connection pool, and the per-request handle that every statement goes through.

Every statement is counted (``DFDG_DEBUG=1`` puts the count in ``extensions.sql``), and each
read takes its own pooled connection, so sibling resolvers never share a connection while they
run concurrently. A mutation holds one connection in one transaction (``Db.transaction``).

Writes run on the pooled connection's asyncpg driver connection, past SQLAlchemy's execution
layer: the mutation bodies still build SQLAlchemy Core statements, but each statement shape is
compiled once (``dfdg.db.oversaet``) and then sent with asyncpg's own prepared-statement cache. On the
write path SQLAlchemy's per-statement work (cache key, execution context, result proxy, the
greenlet hop) cost more than the rest of the mutation together.

Every wait is bounded (``dfdg.db.frist``): a connection by the pool's ``pool_timeout`` and
asyncpg's connect ``timeout``, a statement by the request's budget (``Vagt`` cuts the connection
when it runs out) or asyncpg's ``command_timeout``. Reads run in autocommit: one statement each, so
neither a BEGIN before nor a ROLLBACK on the way back to the pool, a wait that nothing bounded.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql import ClauseElement, Executable

from dfdg.db import frist as _frist
from dfdg.db.frist import DatabaseUtilgaengelig, Tidsgraenser, Vagt, er_utilgaengelig, kasser
from dfdg.db.oversaet import OVERSAET, Forberedt
from dfdg.regler.tid import DANMARK
from dfdg.settings import Settings, to_asyncpg_url


def create_engine(settings: Settings, database_url: str) -> AsyncEngine:
    graenser = Tidsgraenser.fra(settings)
    engine = create_async_engine(
        to_asyncpg_url(database_url),
        pool_size=settings.pool_size,
        max_overflow=settings.pool_size,
        pool_pre_ping=False,
        pool_timeout=graenser.vent,
        connect_args={
            "timeout": graenser.vent,
            # A bound for statements no caller bounded (the server's own comes first when it answers).
            "command_timeout": graenser.saetning,
            "server_settings": {
                "application_name": "dfdg",
                # No request may hold a connection for long (hostile or unlucky queries).
                "statement_timeout": str(settings.statement_timeout_ms),
                # CURRENT_DATE and dates compared with timestamps are Danish days, as the rules count.
                "timezone": DANMARK.key,
            }
        },
    )
    _frist.bind_engine(engine)
    return engine


class Db:
    """One request's access to the database."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.statements = 0
        self.ms = 0.0
        # What this request's transactions did, for the answer to a database fault
        # (dfdg.schema.databasefejl): None (none begun), IKKE_GEMT, GEMT (one committed), UKENDT (a
        # COMMIT got no answer).
        self.udfald: str | None = None

    async def all(self, statement: Executable, params: Mapping[str, Any] | None = None) -> Sequence[RowMapping]:
        async with self.engine.connect() as conn:
            return await self._run(conn, statement, params)

    async def first(self, statement: Executable, params: Mapping[str, Any] | None = None) -> RowMapping | None:
        rows = await self.all(statement, params)
        return rows[0] if rows else None

    async def _run(self, conn: AsyncConnection, statement: Executable, params: Mapping[str, Any] | None):
        started = time.perf_counter()
        try:
            if not conn.in_transaction():
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            frist = _frist.aktuel()
            if frist is None:
                result = await conn.execute(statement, params or {})
            else:
                sekunder = frist.rest()
                with Vagt((await conn.get_raw_connection()).driver_connection, sekunder):
                    result = await conn.execute(statement, params or {})
            return result.mappings().all() if result.returns_rows else []
        finally:
            self.statements += 1
            self.ms += (time.perf_counter() - started) * 1000

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """One transaction on one pooled connection, driven by asyncpg itself (the pool's connection:
        its server settings and JSON codecs). BEGIN, each statement and COMMIT are bounded by the
        request's budget (``dfdg.db.frist``). A connection whose state is unknown afterwards (a
        timeout, a lost connection, a cancelled task) is cut and invalidated, never pooled again. A
        COMMIT that got no answer raises ``DatabaseUtilgaengelig(udfald_ukendt=True)``: the server may
        have committed."""
        async with self.engine.connect() as conn:
            raw = (await conn.get_raw_connection()).driver_connection
            sekunder = _frist.saetning()
            try:
                await raw.execute("BEGIN", timeout=sekunder)
            except BaseException:
                await _kasser(conn, raw)
                raise
            self.udfald = self.udfald or "IKKE_GEMT"
            try:
                yield Transaction(self, raw)
            except BaseException as exc:
                if not isinstance(exc, Exception) or er_utilgaengelig(exc) or raw.is_closed():
                    await _kasser(conn, raw)
                else:
                    try:
                        await raw.execute("ROLLBACK", timeout=_frist.saetning())
                    except BaseException:
                        await _kasser(conn, raw)  # the body's exception is the one to tell
                raise
            try:
                sekunder = _frist.saetning()
                if raw.is_closed():
                    raise DatabaseUtilgaengelig("forbindelsen til databasen blev afbrudt før COMMIT")
            except DatabaseUtilgaengelig:  # COMMIT was never sent: nothing is stored
                await _kasser(conn, raw)
                raise
            try:
                await raw.execute("COMMIT", timeout=sekunder)
            except BaseException as exc:
                await _kasser(conn, raw)
                if isinstance(exc, Exception) and er_utilgaengelig(exc):
                    self.udfald = "UKENDT"
                    raise DatabaseUtilgaengelig("COMMIT fik intet svar: det er ukendt, om transaktionen blev gemt",
                                                udfald_ukendt=True) from exc
                raise
            if self.udfald != "UKENDT":
                self.udfald = "GEMT"


async def _kasser(conn: AsyncConnection, raw: Any) -> None:
    """Cut the driver connection (waiting for nothing), then drop it from SQLAlchemy's pool."""
    kasser(raw)
    await conn.invalidate()


class RaaDb:
    """The ``Db`` interface (``all``/``first``) on one raw asyncpg connection: a mutation's
    transaction (``Db.transaction``), or a planned read's connection (dfdg.plan). Statements are
    counted into the request's ``Db`` (``DFDG_DEBUG`` shows the same numbers on every path). Rows are
    asyncpg records: by column name, ``dict(row)``, ``row.keys()``, ``row.get(…)``."""

    __slots__ = ("conn", "db")

    def __init__(self, db: Db, conn: Any) -> None:
        self.db = db
        self.conn = conn

    async def fetch(self, sql: str, args: Sequence[Any]) -> list[Any]:
        started = time.perf_counter()
        try:
            # bounded by the request's budget (dfdg.db.frist); outside a request by command_timeout
            return await self.conn.fetch(sql, *args, timeout=_frist.saetning())
        except TimeoutError as exc:
            raise DatabaseUtilgaengelig("databasen svarede ikke inden for tidsgrænsen") from exc
        finally:
            self.db.statements += 1
            self.db.ms += (time.perf_counter() - started) * 1000

    async def all(self, statement: ClauseElement | Forberedt, params: Mapping[str, Any] | None = None) -> list[Any]:
        return await self.fetch(*OVERSAET(statement, params))

    async def first(self, statement: ClauseElement | Forberedt, params: Mapping[str, Any] | None = None) -> Any | None:
        rows = await self.all(statement, params)
        return rows[0] if rows else None


# A mutation's statements: on one connection inside one transaction, which commits when the block
# ends cleanly.
Transaction = RaaDb
