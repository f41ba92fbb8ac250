"""What one GraphQL operation did, recorded for the request log and the metrics.

``Observe`` is a schema extension: it writes the operation's name and type into the request's
ASGI state (``scope["state"]["dfdg_operation"]``); the view adds the error codes of the response
as sent (dfdg.http.view) and the HTTP middleware (dfdg.http.reqlog) reads it all once the
response is sent. It lives with the schema's other extensions, below dfdg.plan, whose fast path
records the operation as it does (``noter``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from strawberry.extensions import SchemaExtension


@dataclass
class Operation:
    name: str | None = None
    type: str | None = None
    error_codes: list[str] = field(default_factory=list)
    persisted: str | None = None  # "hash", "query", or the rejection code (dfdg.http.view)


def operation_of(state: Any) -> Operation:
    """The request's record (made on first use). ``state`` is a starlette State or a dict."""
    if isinstance(state, dict):
        return state.setdefault("dfdg_operation", Operation())
    op = getattr(state, "dfdg_operation", None)
    if op is None:
        op = Operation()
        state.dfdg_operation = op
    return op


def _request_state(context: Any) -> Any:
    request = getattr(context, "request", None)
    return getattr(request, "state", None) if request is not None else None


def noter(state: Any, name: str | None, type_: str | None) -> None:
    """Record the operation's name and type for the request log and the metrics."""
    op = operation_of(state)
    op.name = name
    op.type = type_


class Observe(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        ec = self.execution_context
        state = _request_state(ec.context)
        if state is None:
            return
        try:
            type_ = ec.operation_type.value if ec.graphql_document is not None else None
        except Exception:  # no operation with that name: the result carries the error
            type_ = None
        noter(state, ec.operation_name, type_)
