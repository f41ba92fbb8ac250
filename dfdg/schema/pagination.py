"""Relay cursor connections over keyset pages (dfdg.db.queries.side)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
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


def check_first(first: int | None, settings, argument: str = "first") -> int:
    if first is None:
        return settings.default_first
    if first < 0:
        raise UgyldigtArgument(argument, f"Argumentet '{argument}' må ikke være negativt")
    if first > settings.max_first:
        raise UgyldigtArgument(argument, f"Argumentet '{argument}' må højst være {settings.max_first}")
    return first


def udsnit(settings, first: int | None = None, after: str | None = None, last: int | None = None,
           before: str | None = None) -> queries.Udsnit:
    """The page a connection's paging arguments ask for (Relay's cursor connections): ``first`` rows
    after ``after``, or the ``last`` rows before ``before``; ``after`` and ``before`` together bound
    a window. ``first`` and ``last`` together, which the spec discourages, are refused. Without
    either, ``default_first`` rows: from the end when only ``before`` is given (the page before it),
    else from the start."""
    if first is not None and last is not None:
        raise UgyldigtArgument(
            "last", "Argumenterne 'first' og 'last' kan ikke bruges sammen: brug 'first' (med 'after') "
            "for at bladre frem, 'last' (med 'before') for at bladre tilbage",
        )
    baglaens = last is not None or (first is None and before is not None and after is None)
    antal = check_first(last, settings, "last") if baglaens else check_first(first, settings)
    return queries.Udsnit(antal, baglaens, after, before)


def ugyldig_markoer(exc: queries.UgyldigMarkoer) -> UgyldigtArgument:
    return UgyldigtArgument(exc.argument, f"Argumentet '{exc.argument}' er ikke en gyldig markør for denne liste")


async def paginate(ctx, stmt, order, side: Mapping[str, Any], make: Callable[[Any], T], cursor_types) -> Connection[T]:
    """The page the paging arguments ``side`` (``first``, ``after``, ``last``, ``before``) ask for."""
    u = udsnit(ctx.settings, **side)
    try:
        page = await queries.side(ctx.db, stmt, order, u, cursor_types=cursor_types)
    except queries.UgyldigMarkoer as exc:
        raise ugyldig_markoer(exc) from exc
    edges = [Edge(cursor=c, node=make(r)) for c, r in zip(page.cursors, page.rows)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
        _count=lambda: queries.count(ctx.db, stmt),
    )


def empty_connection() -> Connection:
    return Connection(edges=[], page_info=PageInfo(has_next_page=False, has_previous_page=False, start_cursor=None, end_cursor=None))
