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
from dfdg.db.engine import Db, RaaDb


class UgyldigMarkoer(ValueError):
    """A cursor (the argument ``argument``: ``after`` or ``before``) was not made by this API for this list."""

    def __init__(self, cursor: str, argument: str = "after") -> None:
        super().__init__(cursor)
        self.argument = argument


def encode_cursor(values: Sequence[Any]) -> str:
    """The sort key of a page's row, sealed (``dfdg.db.forsegling``: a citizen's cursor is its CPR)."""
    return forsegling.forsegl(orjson.dumps(list(values), default=str))


def decode_cursor(cursor: str, types: Sequence[Callable[[Any], Any]], argument: str = "after") -> list[Any]:
    try:
        values = orjson.loads(forsegling.aabn(cursor))
        if not isinstance(values, list) or len(values) != len(types):
            raise UgyldigMarkoer(cursor, argument)
        return [conv(v) for conv, v in zip(types, values)]
    except UgyldigMarkoer:
        raise
    except (orjson.JSONDecodeError, TypeError, ValueError) as exc:
        raise UgyldigMarkoer(cursor, argument) from exc


@dataclass(frozen=True, slots=True)
class Udsnit:
    """Which page of a list in the order of its unique key (Relay's cursor connections): of the rows
    strictly between the row of the cursor ``after`` and that of ``before`` (each optional), the first
    ``antal`` or, ``baglaens``, the last ``antal``. The keyset logic of both execution paths: the
    reference's ``side`` and the planned path's (``dfdg.plan.udfoer``) build the statement and read
    its rows with these two methods."""

    antal: int
    baglaens: bool = False
    after: str | None = None
    before: str | None = None

    def statement(self, stmt: Select, order: Sequence[ColumnElement],
                  cursor_types: Sequence[Callable[[Any], Any]]) -> Select:
        """``antal``+1 rows from the end of the window the page is taken from, no OFFSET: the extra
        row says whether there is more beyond the page. Backwards in descending order."""
        if self.after is not None:
            values = decode_cursor(self.after, cursor_types, "after")
            stmt = stmt.where(tuple_(*order) > tuple_(*values) if len(order) > 1 else order[0] > values[0])
        if self.before is not None:
            values = decode_cursor(self.before, cursor_types, "before")
            stmt = stmt.where(tuple_(*order) < tuple_(*values) if len(order) > 1 else order[0] < values[0])
        return stmt.order_by(*((c.desc() for c in order) if self.baglaens else order)).limit(self.antal + 1)

    def side(self, rows: Sequence[Any]) -> tuple[Sequence[Any], bool, bool]:
        """The page of the rows ``statement`` returned, in the list's order, with ``hasNextPage`` and
        ``hasPreviousPage``. The one in the paging direction is exact (the extra row: the window has
        more); the one behind the page says only whether a cursor was given on that side, as the
        spec allows (a client has that cursor from a row there)."""
        flere = len(rows) > self.antal
        page = rows[:self.antal]
        if self.baglaens:
            return page[::-1], self.before is not None, flere
        return page, flere, self.after is not None


@dataclass
class Side:
    rows: Sequence[RowMapping]
    cursors: list[str]
    has_next: bool
    has_previous: bool


async def side(db: Db, stmt: Select, order: Sequence[ColumnElement], udsnit: Udsnit, *,
               cursor_types: Sequence[Callable[[Any], Any]]) -> Side:
    """The page ``udsnit`` of ``stmt`` in the order of the unique key ``order``."""
    page, has_next, has_previous = udsnit.side(await db.all(udsnit.statement(stmt, order, cursor_types)))
    keys = [column.key for column in order]
    return Side(rows=page, cursors=[encode_cursor([row[k] for k in keys]) for row in page], has_next=has_next,
                has_previous=has_previous)


async def count(db: Db | RaaDb, stmt: Select) -> int:
    row = await db.first(select(func.count().label("n")).select_from(stmt.order_by(None).subquery()))
    return row["n"]
