"""The connection pool, and the per-request handle that every statement goes through.

Every statement is counted (``DFDG_DEBUG=1`` puts the count in ``extensions.sql``), and each
read takes its own pooled connection, so sibling resolvers never share a connection while they
run concurrently. A mutation holds one connection in one transaction (``Db.transaction``).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql import Executable

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
        async with self.engine.begin() as conn:
            yield Transaction(self, conn)


class Transaction:
    """Statements on one connection inside one transaction; commits when the block ends cleanly."""

    def __init__(self, db: Db, conn: AsyncConnection) -> None:
        self.db = db
        self.conn = conn

    async def all(self, statement: Executable, params: Mapping[str, Any] | None = None) -> Sequence[RowMapping]:
        return await self.db._run(self.conn, statement, params)

    async def first(self, statement: Executable, params: Mapping[str, Any] | None = None) -> RowMapping | None:
        rows = await self.all(statement, params)
        return rows[0] if rows else None
