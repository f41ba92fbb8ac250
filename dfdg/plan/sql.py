"""SQLAlchemy Core statements run on a raw asyncpg connection.

The planned read path reuses the statements the resolvers and loaders build (``RowLoader.statement()``,
``borgere_statement``, ``queries.side``), compiles each once for the asyncpg dialect, and runs the
SQL text directly on an asyncpg connection: no SQLAlchemy connection, result or row objects, no
BEGIN/ROLLBACK around a read. Rows come back as ``asyncpg.Record`` (``row["column"]`` like a
``RowMapping``).

Compiled statements are cached by SQLAlchemy's own statement cache key, so a statement built per
request (a page of ``borgere`` with this request's filter values) compiles once per shape and only
its parameter values are extracted per request.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import dialect as AsyncpgDialect
from sqlalchemy.sql import Executable

DIALECT = AsyncpgDialect()
DIALECT.paramstyle = "numeric_dollar"


class IkkePlanbar(Exception):
    """This operation (or this request of it) is not for the planned path: use the reference executor."""


class Vagtafvisning(IkkePlanbar):
    """The authorization guard answers this request itself (empty, null: the caller's role may not
    read a field; or a visibility decision needs a row loaded first): the reference executor, with
    the guard, answers it."""


class _Kompileret:
    __slots__ = ("compiled", "navne", "processorer", "sql")

    def __init__(self, compiled) -> None:
        if getattr(compiled, "literal_execute_params", None) or getattr(compiled, "post_compile_params", None):
            raise IkkePlanbar("udvidede parametre (IN …) understøttes ikke på den planlagte vej")
        self.compiled = compiled
        self.sql = compiled.string
        self.navne = tuple(compiled.positiontup or ())
        self.processorer = dict(compiled._bind_processors)


class Oversaetter:
    """SQLAlchemy statement -> (SQL text, positional arguments), cached per statement shape."""

    def __init__(self, maxsize: int = 512) -> None:
        self._cache: OrderedDict[Any, _Kompileret] = OrderedDict()
        self._sqla_cache: dict = {}
        self.maxsize = maxsize

    def __call__(self, statement: Executable, params: Mapping[str, Any] | None = None) -> tuple[str, list[Any]]:
        compiled, extracted, param_dict, _ = statement._compile_w_cache(
            DIALECT, compiled_cache=self._sqla_cache, column_keys=sorted(params or ()),
        )
        if len(self._sqla_cache) > self.maxsize:  # bounded: statements built from user input vary in shape
            self._sqla_cache.clear()
            self._cache.clear()
        k = self._cache.get(id(compiled))
        if k is None or k.compiled is not compiled:
            k = self._cache[id(compiled)] = _Kompileret(compiled)
        values = compiled.construct_params(
            params, extracted_parameters=extracted, escape_names=False, _collected_params=param_dict,
        )
        proc = k.processorer
        return k.sql, [proc[n](values[n]) if n in proc else values[n] for n in k.navne]


OVERSAET = Oversaetter()


class RaaDb:
    """The ``Db`` interface (``all``/``first``) of one request on one raw asyncpg connection.

    Statements are counted into the request's ``Db`` (``DFDG_DEBUG`` shows the same numbers on both
    paths)."""

    __slots__ = ("conn", "db")

    def __init__(self, conn: asyncpg.Connection, db) -> None:
        self.conn = conn
        self.db = db

    async def fetch(self, sql: str, args: Sequence[Any]) -> list[asyncpg.Record]:
        started = time.perf_counter()
        try:
            return await self.conn.fetch(sql, *args)
        finally:
            self.db.statements += 1
            self.db.ms += (time.perf_counter() - started) * 1000

    async def all(self, statement: Executable, params: Mapping[str, Any] | None = None) -> list[asyncpg.Record]:
        sql, args = OVERSAET(statement, params)
        return await self.fetch(sql, args)

    async def first(self, statement: Executable, params: Mapping[str, Any] | None = None) -> asyncpg.Record | None:
        rows = await self.all(statement, params)
        return rows[0] if rows else None


class LoaderSql:
    """A loader's statement (``RowLoader.statement()``) as SQL text, compiled once per loader class
    and projection: the same WHERE and ORDER BY, only the columns the plan reads (all for None)."""

    _cache: dict[tuple[type, tuple[str, ...] | None], str] = {}

    @classmethod
    def sql(cls, loader: type, kolonner: tuple[str, ...] | None = None) -> str:
        sql = cls._cache.get((loader, kolonner))
        if sql is None:
            stmt = loader.statement()
            if kolonner is not None:
                stmt = stmt.with_only_columns(*(loader.table.c[k] for k in kolonner))
            compiled = stmt.compile(dialect=DIALECT)
            if tuple(compiled.positiontup or ()) != ("keys",):
                raise IkkePlanbar(f"{loader.__name__}: uventede parametre {compiled.positiontup}")
            sql = cls._cache[(loader, kolonner)] = compiled.string
        return sql


def align(rows: Sequence[Any], keys: Sequence[Any], key: str, many: bool, into: dict) -> None:
    """As ``dfdg.loaders.base.align``, into a per-request cache: key -> rows (many) or row/None."""
    if rows:  # by position: a record's index by name costs a lookup per row
        key = list(rows[0].keys()).index(key)
    if many:
        for k in keys:
            into[k] = []
        for row in rows:
            into[row[key]].append(row)
    else:
        for k in keys:
            into[k] = None
        for row in rows:
            into[row[key]] = row
