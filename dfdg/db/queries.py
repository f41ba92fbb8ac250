"""Statements shared by several resolvers: keyset pages and counts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import func, select, tuple_
from sqlalchemy.engine import RowMapping
from sqlalchemy.sql import ColumnElement, Select

from dfdg.db import forsegling
from dfdg.db.engine import Db


class UgyldigMarkoer(ValueError):
    """The ``after`` cursor was not made by this API for this list."""


def encode_cursor(values: Sequence[Any]) -> str:
    """The sort key of a page's row, sealed (``dfdg.db.forsegling``: a citizen's cursor is its CPR)."""
    return forsegling.forsegl(orjson.dumps(list(values), default=str))


def decode_cursor(cursor: str, types: Sequence[Callable[[Any], Any]]) -> list[Any]:
    try:
        values = orjson.loads(forsegling.aabn(cursor))
        if not isinstance(values, list) or len(values) != len(types):
            raise UgyldigMarkoer(cursor)
        return [conv(v) for conv, v in zip(types, values)]
    except (orjson.JSONDecodeError, TypeError, ValueError) as exc:
        raise UgyldigMarkoer(cursor) from exc


@dataclass
class Side:
    rows: Sequence[RowMapping]
    cursors: list[str]
    has_next: bool


async def side(
    db: Db,
    stmt: Select,
    order: Sequence[ColumnElement],
    *,
    first: int,
    after: str | None,
    cursor_types: Sequence[Callable[[Any], Any]],
) -> Side:
    """One page of ``stmt`` in the order of the unique key ``order``: first+1 rows, no OFFSET."""
    if after is not None:
        values = decode_cursor(after, cursor_types)
        stmt = stmt.where(tuple_(*order) > tuple_(*values)) if len(order) > 1 else stmt.where(order[0] > values[0])
    rows = await db.all(stmt.order_by(*order).limit(first + 1))
    keys = [column.key for column in order]
    page = rows[:first]
    return Side(rows=page, cursors=[encode_cursor([row[k] for k in keys]) for row in page], has_next=len(rows) > first)


async def count(db: Db, stmt: Select) -> int:
    row = await db.first(select(func.count().label("n")).select_from(stmt.order_by(None).subquery()))
    return row["n"]
