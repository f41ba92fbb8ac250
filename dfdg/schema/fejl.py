"""Errors in the top-level ``errors``: clear for the caller's own mistakes, masked for ours.

Business rejections of mutations never come here (they are data in the payload). What does:
a malformed argument (BAD_USER_INPUT, naming the argument), a missing token (UNAUTHENTICATED),
syntax/validation/limit errors (as GraphQL reports them, each with its code: dfdg.schema.fejlform),
a statement the database cancelled after ``statement_timeout_ms`` (STATEMENT_TIMEOUT, logged with
an error id), a database that cannot be reached or does not answer (DATABASE_UNAVAILABLE,
dfdg.schema.databasefejl), and unexpected
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
from dfdg.db.frist import er_utilgaengelig
from dfdg.regler.identer import UgyldigtArgument
from dfdg.schema import databasefejl
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


def _vores(original: BaseException | None) -> bool:
    """Whether an error's cause is ours (logged with an error id), not the caller's mistake."""
    return original is not None and not isinstance(original, (GraphQLError, UgyldigtArgument, IkkeLoggetInd))


def logget_fejl_id(original: BaseException, path) -> str:
    """The error id of an exception of ours, logged the first time it is asked for: strawberry's
    ``process_errors`` (``log_interne``) meets an error before ``Fejlhaandtering`` translates it,
    and one exception can fail several fields (a batch): one log line, one id."""
    fundet = getattr(original, "dfdg_fejl_id", None)
    if fundet is not None:
        return fundet
    fejl_id = uuid.uuid4().hex[:12]
    try:
        original.dfdg_fejl_id = fejl_id  # type: ignore[attr-defined]
    except AttributeError:  # an exception that takes no attributes is logged each time it is met
        pass
    if _annulleret(original):
        log.warning("statement timeout %s i %s", fejl_id, path, extra={"fejl_id": fejl_id})
    else:
        log.error("uventet fejl %s i %s", fejl_id, path, exc_info=original, extra={"fejl_id": fejl_id})
    return fejl_id


def log_interne(errors) -> None:
    """The schema's ``process_errors``: a caller's mistake (syntax, validation, BAD_USER_INPUT,
    UNAUTHENTICATED, …) is not logged (the request log has its code); ours are, once, with an id."""
    for error in errors:
        if _vores(error.original_error):
            logget_fejl_id(error.original_error, error.path)


def oversaet(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None or isinstance(original, (GraphQLError, *STRAWBERRYS)):
        return kodet(error)
    if isinstance(original, UgyldigtArgument):
        return _med(error, original.besked, {"code": "BAD_USER_INPUT", "argument": original.argument})
    if isinstance(original, IkkeLoggetInd):
        return _med(error, str(original), {"code": "UNAUTHENTICATED"})
    if er_utilgaengelig(original):  # the request is answered as a whole (dfdg.schema.databasefejl)
        return databasefejl.fejl(original, nodes=error.nodes, source=error.source, positions=error.positions,
                                 path=error.path)
    fejl_id = logget_fejl_id(original, error.path)
    if _annulleret(original):
        return _med(
            error, f"Databasen afbrød forespørgslen, fordi den tog for lang tid. Oplys fejl-id {fejl_id} til supporten.",
            {"code": "STATEMENT_TIMEOUT", "fejlId": fejl_id},
        )
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
