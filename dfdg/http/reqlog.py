"""One structured JSON log line per GraphQL request, and the request's metrics.

The line (logger ``dfdg.request``, level INFO) has: time, request id, method, path, status,
operation name and type, the caller's role and authority, duration, the statements the request
ran (``ctx.db.statements``), error codes, and the persisted-query outcome. Never the query text,
the variables, the token or its subject (a citizen's subject is the CPR number), and any
ten-digit run in a client-chosen string (the operation name) is masked.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime, timezone
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dfdg.http import metrics as metrics_module
from dfdg.http.observe import operation_of
from dfdg.http.redact import redact

log = logging.getLogger("dfdg.request")


class RequestObserver:
    """ASGI middleware around the GraphQL endpoint."""

    def __init__(self, app: ASGIApp, *, metrics: metrics_module.Metrics | None, log_requests: bool) -> None:
        self.app = app
        self.metrics = metrics
        self.log_requests = log_requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        token = metrics_module.current.set(self.metrics)
        request_id = _header(scope, b"x-request-id") or uuid.uuid4().hex
        request_id = redact(request_id[:64])

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            metrics_module.current.reset(token)
            self._record(scope, status, time.perf_counter() - started, request_id)

    def _record(self, scope: Scope, status: int, seconds: float, request_id: str) -> None:
        state = scope.setdefault("state", {})
        if state.get("dfdg_ide"):  # the GraphiQL page itself is not a GraphQL request
            return
        op = operation_of(state)
        ctx = state.get("ctx")
        actor = state.get("actor") or getattr(ctx, "actor", None)
        statements = getattr(getattr(ctx, "db", None), "statements", None)
        if self.metrics is not None:
            self.metrics.observe_request(
                operation=op.name, type_=op.type, status=status, seconds=seconds, statements=statements,
                error_codes=op.error_codes,
            )
        if not self.log_requests or not log.isEnabledFor(logging.INFO):
            return
        line: dict[str, Any] = {
            "ts": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "level": "info",
            "logger": "dfdg.request",
            "request_id": request_id,
            "method": scope.get("method"),
            "path": scope.get("path"),
            "status": status,
            "operation": redact(op.name) if op.name else None,
            "type": op.type,
            "role": actor.rolle.value if actor is not None else None,
            "myndighed": redact(actor.myndighed) if actor is not None and actor.myndighed else None,
            "duration_ms": round(seconds * 1000, 2),
            "statements": statements,
            "db_ms": round(ctx.db.ms, 2) if ctx is not None and hasattr(ctx, "db") else None,
            "errors": op.error_codes or None,
            "persisted": op.persisted,
        }
        log.info(orjson.dumps(line).decode(), extra={"dfdg": line})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None
