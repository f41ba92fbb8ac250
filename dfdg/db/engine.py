"""The connection pool, and the per-request handle that every statement goes through.

Every statement is counted (``DFDG_DEBUG=1`` puts the count in ``extensions.sql``), and each
read takes its own pooled connection, so sibling resolvers never share a connection while they
run concurrently. A mutation holds one connection in one transaction (``Db.transaction``).

Writes run on the pooled connection's asyncpg driver connection, past SQLAlchemy's execution
layer: the mutation bodies still build SQLAlchemy Core statements, but each statement shape is
compiled once (``_oversat``) and then sent with asyncpg's own prepared-statement cache. On the
write path SQLAlchemy's per-statement work (cache key, execution context, result proxy, the
greenlet hop) cost more than the rest of the mutation together.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.engine import Dialect, RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql import ClauseElement, Executable

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
                yield Transaction(self, raw, self.engine.dialect)


class Transaction:
    """Statements on one connection inside one transaction; commits when the block ends cleanly.
    Rows are asyncpg records: by column name, ``dict(row)``, ``row.keys()``, ``row.get(…)``."""

    def __init__(self, db: Db, conn: Any, dialect: Dialect) -> None:
        self.db = db
        self.conn = conn
        self.dialect = dialect

    async def all(self, statement: ClauseElement, params: Mapping[str, Any] | None = None) -> Sequence[Any]:
        sql, args = _oversat(self.dialect, statement, params)
        started = time.perf_counter()
        try:
            return await self.conn.fetch(sql, *args)
        finally:
            self.db.statements += 1
            self.db.ms += (time.perf_counter() - started) * 1000

    async def first(self, statement: ClauseElement, params: Mapping[str, Any] | None = None) -> Any | None:
        rows = await self.all(statement, params)
        return rows[0] if rows else None


# Compiled statements by SQLAlchemy's cache key (the statement's shape; its literal values are
# the key's bind parameters), as SQLAlchemy's own compiled cache keeps them.
_KOMPILEREDE: OrderedDict[Any, Any] = OrderedDict()
_MAKS_KOMPILEREDE = 2000


class Forberedt:
    """A statement built once, with a ``bindparam`` for each value that varies, and compiled at its
    first use: what the hot mutation statements are, so a call builds no SQLAlchemy objects and
    computes no cache key."""

    __slots__ = ("_kompileret", "statement")

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._kompileret = None


def _oversat(dialect: Dialect, statement: ClauseElement | Forberedt, params: Mapping[str, Any] | None) -> tuple[str, list[Any]]:
    """``statement`` as asyncpg SQL (``$1`` …) and its positional arguments, bind processors applied."""
    if type(statement) is Forberedt:
        compiled = statement._kompileret
        if compiled is None:
            compiled = statement._kompileret = statement.statement.compile(dialect=dialect)
        return _argumenter(compiled, compiled.construct_params(params, _no_postcompile=True))
    noegle = statement._generate_cache_key()
    kolonner = sorted(params) if params else []  # an INSERT's columns may come from the parameters
    cache_noegle = None if noegle is None else (noegle.key, *kolonner)
    compiled = None if cache_noegle is None else _KOMPILEREDE.get(cache_noegle)
    if compiled is None:
        compiled = statement._compiler(dialect, cache_key=noegle, column_keys=kolonner, for_executemany=False)
        if cache_noegle is not None:
            _KOMPILEREDE[cache_noegle] = compiled
            if len(_KOMPILEREDE) > _MAKS_KOMPILEREDE:
                _KOMPILEREDE.popitem(last=False)
    return _argumenter(compiled, compiled.construct_params(
        params, extracted_parameters=None if noegle is None else noegle.bindparams, _no_postcompile=True,
    ))


def _argumenter(compiled: Any, parametre: dict[str, Any]) -> tuple[str, list[Any]]:
    if not (compiled.post_compile_params or compiled.literal_execute_params):
        sql, navne, processorer = compiled.string, compiled.positiontup, compiled._bind_processors
    else:  # IN (…) with a list: expanded per parameter set
        udvidet = compiled._process_parameters_for_postcompile(parametre)
        sql, navne, parametre, processorer = udvidet.statement, udvidet.positiontup, udvidet.parameters, udvidet.processors
    return sql, [
        processorer[navn](parametre[navn]) if navn in processorer else parametre[navn] for navn in navne or ()
    ]
