"""The connection pool, and the per-request handle that every statement goes through.

Every statement is counted (``DFDG_DEBUG=1`` puts the count in ``extensions.sql``), and each
read takes its own pooled connection, so sibling resolvers never share a connection while they
run concurrently. A mutation holds one connection in one transaction (``Db.transaction``).

Writes run on the pooled connection's asyncpg driver connection, past SQLAlchemy's execution
layer: the mutation bodies still build SQLAlchemy Core statements, but each statement shape is
compiled once (``dfdg.db.oversaet``) and then sent with asyncpg's own prepared-statement cache. On the
write path SQLAlchemy's per-statement work (cache key, execution context, result proxy, the
greenlet hop) cost more than the rest of the mutation together.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql import ClauseElement, Executable

from dfdg.db.oversaet import OVERSAET, Forberedt
from dfdg.settings import Settings, to_asyncpg_url


def create_engine(settings: Settings, database_url: str) -> AsyncEngine:
    return create_async_engine(
        to_asyncpg_url(database_url),
        pool_size=settings.pool_size,
        max_overflow=settings.pool_size,
        pool_pre_ping=False,
        connect_args={
            "server_settings": {
                "application_name": "dfdg",
                # No request may hold a connection for long (hostile or unlucky queries).
                "statement_timeout": str(settings.statement_timeout_ms),
                "timezone": "Europe/Copenhagen",
            }
        },
    )


class Db:
    """One request's access to the database."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.statements = 0
        self.ms = 0.0

    async def all(self, statement: Executable, params: Mapping[str, Any] | None = None) -> Sequence[RowMapping]:
        async with self.engine.connect() as conn:
            return await self._run(conn, statement, params)

    async def first(self, statement: Executable, params: Mapping[str, Any] | None = None) -> RowMapping | None:
        rows = await self.all(statement, params)
        return rows[0] if rows else None

    async def _run(self, conn: AsyncConnection, statement: Executable, params: Mapping[str, Any] | None):
        started = time.perf_counter()
        try:
            result = await conn.execute(statement, params or {})
            return result.mappings().all() if result.returns_rows else []
        finally:
            self.statements += 1
            self.ms += (time.perf_counter() - started) * 1000

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self.engine.connect() as conn:
            # The pool's connection (its server settings and JSON codecs), driven by asyncpg itself.
            raw = (await conn.get_raw_connection()).driver_connection
            async with raw.transaction():
                yield Transaction(self, raw)


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
            return await self.conn.fetch(sql, *args)
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
