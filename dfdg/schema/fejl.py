"""Errors in the top-level ``errors``: clear for the caller's own mistakes, masked for ours.

Business rejections of mutations never come here (they are data in the payload). What does:
a malformed argument (BAD_USER_INPUT, naming the argument), a missing token (UNAUTHENTICATED),
syntax/validation/limit errors (kept as GraphQL reports them), and unexpected exceptions, which
are logged with an error id and shown only as that id.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from dfdg.context import IkkeLoggetInd
from dfdg.resolvers.identer import UgyldigtArgument

log = logging.getLogger("dfdg.fejl")


def _med(error: GraphQLError, message: str, extensions: dict) -> GraphQLError:
    return GraphQLError(
        message, nodes=error.nodes, source=error.source, positions=error.positions, path=error.path,
        original_error=None, extensions={**(error.extensions or {}), **extensions},
    )


def oversaet(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return error
    if isinstance(original, UgyldigtArgument):
        return _med(error, original.besked, {"code": "BAD_USER_INPUT", "argument": original.argument})
    if isinstance(original, IkkeLoggetInd):
        return _med(error, str(original), {"code": "UNAUTHENTICATED"})
    fejl_id = uuid.uuid4().hex[:12]
    log.error("uventet fejl %s i %s", fejl_id, error.path, exc_info=original)
    return _med(
        error, f"Der opstod en intern fejl. Oplys fejl-id {fejl_id} til supporten.",
        {"code": "INTERNAL_SERVER_ERROR", "fejlId": fejl_id},
    )


class Fejlhaandtering(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and getattr(result, "errors", None):
            result.errors = [oversaet(e) for e in result.errors]
