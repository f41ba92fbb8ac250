"""SQLAlchemy Core statements run on a raw asyncpg connection (translated by ``dfdg.db.oversaet``).

The planned read path reuses the statements the resolvers and loaders build (``RowLoader.statement()``,
``borgere_statement``, ``queries.side``), compiles each once for the asyncpg dialect, and runs the
SQL text directly on an asyncpg connection: no SQLAlchemy connection, result or row objects, no
BEGIN/ROLLBACK around a read. Rows come back as ``asyncpg.Record`` (``row["column"]`` like a
``RowMapping``).

A statement built per request (a page of ``borgere`` with this request's filter values) compiles
once per shape and only its parameter values are extracted per request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from dfdg.db.oversaet import DIALECT
from dfdg.loaders.base import RowLoader


class IkkePlanbar(Exception):
    """This operation (or this request of it) is not for the planned path: use the reference executor."""


class Vagtafvisning(IkkePlanbar):
    """The authorization guard answers this request itself (empty, null: the caller's role may not
    read a field; or a visibility decision needs a row loaded first): the reference executor, with
    the guard, answers it."""




class LoaderSql:
    """A loader's statement (``RowLoader.statement()``) as SQL text, compiled once per loader class
    and projection: the same WHERE and ORDER BY, only the columns the plan reads (all for None)."""

    _cache: ClassVar[dict[tuple[type[RowLoader], tuple[str, ...] | None], str]] = {}

    @classmethod
    def sql(cls, loader: type[RowLoader], kolonner: tuple[str, ...] | None = None) -> str:
        sql = cls._cache.get((loader, kolonner))
        if sql is None:
            stmt = loader.statement()
            if kolonner is not None:
                # by the statement's own columns: a loader may select more than its table (a label)
                stmt = stmt.with_only_columns(*(stmt.selected_columns[k] for k in kolonner))
            compiled = stmt.compile(dialect=DIALECT)
            if tuple(compiled.positiontup or ()) != ("keys",):
                raise IkkePlanbar(f"{loader.__name__}: uventede parametre {compiled.positiontup}")
            sql = cls._cache[(loader, kolonner)] = compiled.string
        return sql


def align(rows: Sequence[Any], keys: Sequence[Any], key: str | int, many: bool, into: dict[Any, Any]) -> None:
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
