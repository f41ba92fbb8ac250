"""One error shape: every error in ``errors`` carries ``extensions.code`` (Apollo Server's codes)
and ``locations`` wherever the document has a position for it.

Where each code comes from (the README's table, "Errors: what each failure looks like"):

* ``GRAPHQL_PARSE_FAILED``: the document does not parse (graphql-core's ``GraphQLSyntaxError``).
  The token limit, which stops the parser, is ``QUERY_LIMIT_EXCEEDED`` like the other limits.
  strawberry's ``ParserCache`` parses before strawberry's own handling of syntax errors, so its
  error would bypass every extension (``Fejlhaandtering`` too): ``Parsercache`` leaves a document
  that does not parse to strawberry.
* ``GRAPHQL_VALIDATION_FAILED``: a standard validation rule refuses the document
  (``dfdg.schema.graenser.valideringsfejl`` codes them), including a literal its scalar refuses
  (``dato: "2022-13-01"``), which graphql-core reports without a position when the scalar raises a
  GraphQLError (strawberry's do): ``VaerdierAfRetTypeMedSted`` gives it the literal's own.
* ``BAD_USER_INPUT``: variables whose values do not coerce (Apollo Server does the same), and the
  arguments a resolver refuses (``dfdg.schema.fejl.oversaet``).
* ``OPERATION_RESOLUTION_FAILURE``: ``operationName`` names no operation of the document.
* ``INTERNAL_SERVER_ERROR``: any other error that reaches the response without a code — Apollo
  Server's default too.

Over the WebSocket the same codes: ``Fejlhaandtering`` translates each streamed result as it is
sent (``on_stream_result``), not only at the operation's end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from graphql.language import SKIP, ListValueNode, ObjectValueNode, ValueNode, VisitorAction
from graphql.utilities.validate_input_value import validate_input_literal
from graphql.validation import ValuesOfCorrectTypeRule
from strawberry.extensions import ParserCache
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

PARSE = "GRAPHQL_PARSE_FAILED"
VALIDERING = "GRAPHQL_VALIDATION_FAILED"
BRUGERINPUT = "BAD_USER_INPUT"
INTERN = "INTERNAL_SERVER_ERROR"
OPERATION = "OPERATION_RESOLUTION_FAILURE"
GRAENSE = "QUERY_LIMIT_EXCEEDED"

# strawberry's refusals before execution, kept as the original of a GraphQL error over the WebSocket.
STRAWBERRYS = (CannotGetOperationTypeError, InvalidOperationTypeError)
# graphql-core's parser, stopped by ``max_tokens`` (graphql.language.parser).
_TOKENS = re.compile(r"^Syntax Error: Document contains more than (\d+) tokens\. Parsing aborted\.$")


def kode(error: GraphQLError) -> str | None:
    return (error.extensions or {}).get("code")


def _med(error: GraphQLError, extensions: dict, message: str | None = None) -> GraphQLError:
    return GraphQLError(
        error.message if message is None else message, nodes=error.nodes, source=error.source,
        positions=error.positions, path=error.path, original_error=error.original_error,
        extensions={**(error.extensions or {}), **extensions},
    )


def kodet(error: GraphQLError) -> GraphQLError:
    """``error`` with an ``extensions.code``: its own, or the one its kind has by Apollo's conventions.

    Validation errors are coded where the document is validated, so an error without a path and
    without a code here is one of the operation's variables (graphql-core's coercion of them)."""
    if kode(error) is not None:
        return error
    if isinstance(error, GraphQLSyntaxError):
        tokens = _TOKENS.match(error.message)
        if tokens:  # a limit, answered as the others are (over the WebSocket too: an error message)
            maks = int(tokens.group(1))
            return GraphQLError(
                f"Forespørgslen har mere end {maks} leksikalske tokens; grænsen er {maks} (maksimalt antal tokens).",
                source=error.source, positions=error.positions,
                extensions={"code": GRAENSE, "graense": "tokens", "maks": maks},
            )
        # The syntax error's own class is kept: graphql-transport-ws closes 4400 on it (strawberry).
        error.extensions = {**(error.extensions or {}), "code": PARSE}
        return error
    if isinstance(error.original_error, CannotGetOperationTypeError):
        # operationName names no operation of the document (over HTTP the view answers 400 itself);
        # the original is kept: graphql-transport-ws closes 4400 on it (strawberry).
        return _med(error, {"code": OPERATION})
    if isinstance(error.original_error, InvalidOperationTypeError):
        return _med(error, {"code": "BAD_REQUEST"})
    if not error.path:
        return _med(error, {"code": BRUGERINPUT})
    return _med(error, {"code": INTERN})


def valideringskodet(error: GraphQLError) -> GraphQLError:
    return error if kode(error) is not None else _med(error, {"code": VALIDERING})


def _blad(node: ValueNode, sti: list[str | int]) -> ValueNode:
    """The literal inside ``node`` at ``sti`` (input-object fields and list indices), as far as it goes."""
    for trin in sti:
        if isinstance(node, ObjectValueNode) and isinstance(trin, str):
            felt = next((f for f in node.fields if f.name.value == trin), None)
            if felt is None:
                break
            node = felt.value
        elif isinstance(node, ListValueNode) and isinstance(trin, int) and 0 <= trin < len(node.values):
            node = node.values[trin]
        else:
            break
    return node


class VaerdierAfRetTypeMedSted(ValuesOfCorrectTypeRule):
    """``ValuesOfCorrectTypeRule``, where an error the scalar raised itself (without a node) is given
    the position of the literal it refused."""

    def is_valid_value_node(self, node: ValueNode, input_type: Any) -> VisitorAction:
        if input_type:
            def on_error(error: GraphQLError, sti: list[str | int]) -> None:
                if not error.nodes:
                    error = GraphQLError(error.message, _blad(node, sti), original_error=error.original_error,
                                         extensions=error.extensions)
                self.report_error(error)

            validate_input_literal(node, input_type, on_error, None, None, self.context.hide_suggestions)
        return SKIP


def med_sted(rules: tuple) -> tuple:
    """The validation rules with ``ValuesOfCorrectTypeRule`` replaced by ``VaerdierAfRetTypeMedSted``."""
    return tuple(VaerdierAfRetTypeMedSted if rule is ValuesOfCorrectTypeRule else rule for rule in rules)


class Parsercache(ParserCache):
    """strawberry's ``ParserCache``, except that a document that does not parse is left to
    strawberry's own parse, which answers the syntax error inside the operation (where
    ``Fejlhaandtering`` codes it) instead of raising out of every extension's hooks."""

    def on_parse(self) -> Iterator[None]:
        ec = self.execution_context
        try:
            ec.graphql_document = self.cached_parse_document(ec.query, **ec.parse_options)
        except GraphQLError:
            pass
        yield
