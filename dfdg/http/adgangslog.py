"""Writing a request's reads of personal data to the access log before its answer is handed out.

Both paths (the plan and strawberry's executor) record what they read in ``ctx.laeste_cpr``; the
view's ``process_result`` (HTTP) and ``dfdg.http.wsadgang`` (each WebSocket result) call ``skriv``.
The rows go through the app's group commit (``dfdg.db.adgangslog.Samleskriver``) when it runs.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from graphql import GraphQLError
from strawberry.types import ExecutionResult

from dfdg.context import Context
from dfdg.db import adgangslog as db_adgangslog
from dfdg.db.frist import er_utilgaengelig
from dfdg.schema import databasefejl

log = logging.getLogger("dfdg.app")  # the name dfdg.http.redact filters and operators know


async def skriv(state: Any, ctx: Context, result: ExecutionResult) -> ExecutionResult:
    """Append the request's reads of personal data to the access log (one statement, only when
    something was read; in the app, shared with concurrent requests: ``state.adgangsskriver``).
    Data whose read cannot be logged is not handed out: then the answer is an error instead."""
    if not ctx.laeste_cpr or ctx.actor is None:
        return result
    laeste, ctx.laeste_cpr = ctx.laeste_cpr, {}
    if ctx.loggede_cpr:  # already committed with a mutation (dfdg.resolvers.mutation.udfoer)
        laeste = {cpr: operation for cpr, operation in laeste.items() if cpr not in ctx.loggede_cpr}
    try:
        skriver = getattr(state, "adgangsskriver", None)
        if skriver is not None:
            await skriver.skriv(ctx.db, ctx.actor, laeste)
        else:
            await db_adgangslog.skriv(ctx.db, ctx.actor, laeste, getattr(state, "skrivepulje", None))
    except Exception as exc:
        if er_utilgaengelig(exc):
            return databasefejl.resultat(exc, ctx.db.udfald)
        fejl_id = uuid.uuid4().hex[:12]
        log.exception("adgangsloggen kunne ikke skrives (%s); svaret tilbageholdes", fejl_id, extra={"fejl_id": fejl_id})
        return ExecutionResult(data=None, errors=[GraphQLError(
            f"Der opstod en intern fejl. Oplys fejl-id {fejl_id} til supporten.",
            extensions={"code": "INTERNAL_SERVER_ERROR", "fejlId": fejl_id},
        )])
    return result
