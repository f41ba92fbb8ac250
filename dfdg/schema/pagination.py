"""Relay cursor connections over keyset pages (dfdg.db.queries.side)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry

from dfdg.db import queries
from dfdg.regler.identer import UgyldigtArgument
from dfdg.schema.erklaering import NOEGLE, Antal

T = TypeVar("T")


@strawberry.type(description="Sideinformation for en Relay-forbindelse.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="En kant i en forbindelse: et objekt og dets markør.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="En side af en liste (Relay-forbindelse), sorteret stabilt.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]] | None] = None

    @strawberry.field(description="Antal objekter i hele listen (koster en ekstra forespørgsel).", metadata={NOEGLE: Antal()})
    async def total_count(self) -> int:
        return await self._count() if self._count else len(self.edges)

    @strawberry.field(description="Objekterne på siden, uden kanter.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def check_first(first: int | None, settings) -> int:
    if first is None:
        return settings.default_first
    if first < 0:
        raise UgyldigtArgument("first", "Argumentet 'first' må ikke være negativt")
    if first > settings.max_first:
        raise UgyldigtArgument("first", f"Argumentet 'first' må højst være {settings.max_first}")
    return first


async def paginate(ctx, stmt, order, first: int | None, after: str | None, make: Callable[[Any], T], cursor_types) -> Connection[T]:
    try:
        page = await queries.side(
            ctx.db, stmt, order, first=check_first(first, ctx.settings), after=after, cursor_types=cursor_types
        )
    except queries.UgyldigMarkoer as exc:
        raise UgyldigtArgument("after", "Argumentet 'after' er ikke en gyldig markør for denne liste") from exc
    edges = [Edge(cursor=c, node=make(r)) for c, r in zip(page.cursors, page.rows)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=after is not None,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
        _count=lambda: queries.count(ctx.db, stmt),
    )


def empty_connection() -> Connection:
    return Connection(edges=[], page_info=PageInfo(has_next_page=False, has_previous_page=False, start_cursor=None, end_cursor=None))
