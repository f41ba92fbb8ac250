"""Operations over ``graphql-transport-ws``: each with a context of its own, and each result's reads
in the access log before the result is sent.

strawberry runs every operation on a WebSocket (queries, mutations and subscriptions alike) with
the one context of its connection, and sends each result as it comes: nothing would write the
access log (``DfdgGraphQL.process_result`` is HTTP's), and one operation's recorded reads and
cached rows would be the next one's. ``OperationensSkema`` stands in for the schema the
connection's handler streams operations from: an operation runs with ``Context.til_operation()``,
and before each of its results (a query's or a mutation's answer, every subscription event) is
handed on to be sent, the view's ``_skriv_adgangslog`` writes the rows of what it read — the result
is withheld, as over HTTP, when they cannot be written. After each result the loaders start
afresh, so a subscription's next event reads the rows as they are then. Errors are translated as
over HTTP (``dfdg.schema.fejl.oversaet``: an unexpected exception shows only its error id), which
``Fejlhaandtering`` does not do for a streamed operation.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from strawberry.types import ExecutionResult

from dfdg.context import Context
from dfdg.loaders.base import Loaders
from dfdg.schema.fejl import oversaet, uden_forslag


class OperationensSkema:
    """The schema as a WebSocket handler sees it (``stream``); everything else is the schema's."""

    def __init__(self, schema: Any, view: Any) -> None:
        self._schema = schema
        self._view = view

    def __getattr__(self, navn: str) -> Any:
        return getattr(self._schema, navn)

    async def stream(self, query: Any, *args: Any, context_value: Any = None, **kwargs: Any) -> Any:
        ctx = context_value.til_operation() if isinstance(context_value, Context) else context_value
        kilde = await self._schema.stream(query, *args, context_value=ctx, **kwargs)
        skriv = getattr(self._view, "_skriv_adgangslog", None)
        if skriv is None or not isinstance(ctx, Context):
            return kilde
        return _logget(kilde, ctx, skriv)


async def _logget(kilde: Any, ctx: Context, skriv: Any) -> AsyncGenerator[Any, None]:
    try:
        async for resultat in kilde:
            if isinstance(resultat, ExecutionResult):
                if resultat.errors:
                    resultat.errors = [_oversat(e, ctx) for e in resultat.errors]
                resultat = await skriv(ctx, resultat)
                ctx.loaders = Loaders(ctx.db)
            yield resultat
    finally:
        aclose = getattr(kilde, "aclose", None)
        if aclose is not None:
            await aclose()


def _oversat(fejl: Any, ctx: Context) -> Any:
    fejl = oversaet(fejl)
    return fejl if ctx.settings.introspection else uden_forslag(fejl)
