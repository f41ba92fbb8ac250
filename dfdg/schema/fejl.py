"""Errors in the top-level ``errors``: clear for the caller's own mistakes, masked for ours.

Business rejections of mutations never come here (they are data in the payload). What does:
a malformed argument (BAD_USER_INPUT, naming the argument), a missing token (UNAUTHENTICATED),
syntax/validation/limit errors (as GraphQL reports them, each with its code: dfdg.schema.fejlform),
a statement the database cancelled
after ``statement_timeout_ms`` (STATEMENT_TIMEOUT, logged with an error id), and unexpected
exceptions, which are logged with an error id and shown only as that id.

With introspection off (``DFDG_INTROSPECTION=0``) no message suggests field, argument, type or
enum names ("Did you mean …?"): validation runs without them (dfdg.schema.graenser), and any that
graphql-core adds while coercing variables are cut here.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator

from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from dfdg.context import IkkeLoggetInd
from dfdg.resolvers.identer import UgyldigtArgument
from dfdg.schema.fejlform import STRAWBERRYS, kodet

log = logging.getLogger("dfdg.fejl")

# graphql-core's suggestion text (graphql.pyutils.did_you_mean): " Did you mean 'a', 'b', or 'c'?"
FORSLAG = re.compile(r" Did you mean [^?]*\?")
QUERY_CANCELED = "57014"  # PostgreSQL: canceling statement due to statement timeout


def _annulleret(original: BaseException) -> bool:
    orig = getattr(original, "orig", None)
    return getattr(orig, "sqlstate", None) == QUERY_CANCELED or getattr(original, "sqlstate", None) == QUERY_CANCELED


def _med(error: GraphQLError, message: str, extensions: dict) -> GraphQLError:
    return GraphQLError(
        message, nodes=error.nodes, source=error.source, positions=error.positions, path=error.path,
        original_error=None, extensions={**(error.extensions or {}), **extensions},
    )


def oversaet(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None or isinstance(original, (GraphQLError, *STRAWBERRYS)):
        return kodet(error)
    if isinstance(original, UgyldigtArgument):
        return _med(error, original.besked, {"code": "BAD_USER_INPUT", "argument": original.argument})
    if isinstance(original, IkkeLoggetInd):
        return _med(error, str(original), {"code": "UNAUTHENTICATED"})
    fejl_id = uuid.uuid4().hex[:12]
    if _annulleret(original):
        log.warning("statement timeout %s i %s", fejl_id, error.path)
        return _med(
            error, f"Databasen afbrød forespørgslen, fordi den tog for lang tid. Oplys fejl-id {fejl_id} til supporten.",
            {"code": "STATEMENT_TIMEOUT", "fejlId": fejl_id},
        )
    log.error("uventet fejl %s i %s", fejl_id, error.path, exc_info=original)
    return _med(
        error, f"Der opstod en intern fejl. Oplys fejl-id {fejl_id} til supporten.",
        {"code": "INTERNAL_SERVER_ERROR", "fejlId": fejl_id},
    )


def uden_forslag(error: GraphQLError) -> GraphQLError:
    if "Did you mean" not in error.message:
        return error
    return GraphQLError(
        FORSLAG.sub("", error.message), nodes=error.nodes, source=error.source, positions=error.positions,
        path=error.path, original_error=error.original_error, extensions=error.extensions,
    )


class Fejlhaandtering(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        self._haandter(self.execution_context.result)

    def on_stream_result(self, result) -> Iterator[None]:
        # Over the WebSocket each result is sent before on_operation's end: translated here.
        self._haandter(result)
        yield

    def _haandter(self, result) -> None:
        if result is not None and getattr(result, "errors", None):
            errors = [oversaet(e) for e in result.errors]
            settings = getattr(self.execution_context.context, "settings", None)
            if settings is not None and not settings.introspection:
                errors = [uden_forslag(e) for e in errors]
            result.errors = errors
