"""One structured JSON log line per GraphQL request, and the request's metrics.

The line has: time, request id, method, path, status, operation name and type, the caller's role
and authority, duration, the statements the request ran (``ctx.db.statements``), error codes, and
the persisted-query outcome. Never the query text, the variables, the token or its subject (a
citizen's subject is the CPR number), and any ten-digit run in a client-chosen string (the request
id, the operation name, the token's authority) is masked, field by field, before the line is made.

Where it goes (``DFDG_REQUEST_LOG_SINK``): ``stderr`` writes the lines straight to standard error,
all lines of one event-loop iteration in one write — the ``logging`` machinery (a LogRecord, the
handlers, the CPR filter on the whole message, a flush per line) cost about as much per request as
answering a one-citizen query; ``logging`` hands each line to the logger ``dfdg.request`` (level
INFO), for a deployment that routes logs through logging's handlers.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import secrets
import string
import sys
import time
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dfdg.http import metrics as metrics_module
from dfdg.http.redact import redact
from dfdg.schema.observe import operation_of

log = logging.getLogger("dfdg.request")

SINKS = ("stderr", "logging")


class StderrLinjer:
    """JSON lines to ``sys.stderr``, gathered and written once per event-loop iteration."""

    def __init__(self) -> None:
        self._linjer: list[bytes] = []
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop a write is scheduled on

    def skriv(self, linje: bytes) -> None:
        self._linjer.append(linje)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.toem()
            return
        # Per loop: a write scheduled on a loop that has since closed must not hold the lines back.
        if self._loop is not loop:
            self._loop = loop
            loop.call_soon(self.toem)

    def toem(self) -> None:
        self._loop = None
        if not self._linjer:
            return
        data, self._linjer = b"".join(self._linjer), []
        # Looked up per write, so a redirected sys.stderr (pytest's capture, a supervisor's) is honoured.
        stream = sys.stderr
        try:
            buffer = getattr(stream, "buffer", None)
            if buffer is not None:
                stream.flush()  # whatever was written as text goes first
                buffer.write(data)
                buffer.flush()
            else:
                stream.write(data.decode())
                stream.flush()
        except (OSError, ValueError):  # stderr closed or gone: the request log is best effort, as logging's
            pass


class RequestObserver:
    """ASGI middleware around the GraphQL endpoint."""

    def __init__(self, app: ASGIApp, *, metrics: metrics_module.Metrics | None, log_requests: bool,
                 sink: str = "stderr") -> None:
        if sink not in SINKS:
            raise ValueError(f"DFDG_REQUEST_LOG_SINK skal være en af {', '.join(SINKS)}, ikke {sink!r}")
        self.app = app
        self.metrics = metrics
        self.log_requests = log_requests
        self.stderr = StderrLinjer() if sink == "stderr" else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        token = metrics_module.current.set(self.metrics)
        request_id = _header(scope, b"x-request-id")
        request_id = _ny_request_id() if request_id is None else redact(request_id[:64])

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
            # The context holds the request, whose scope holds the context: without this cycle the
            # request's objects (its loaders' rows) go when it ends, not at the next full collection.
            scope.get("state", {}).pop("ctx", None)

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
        if not self.log_requests or (self.stderr is None and not log.isEnabledFor(logging.INFO)):
            return
        line: dict[str, Any] = {
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
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
        if self.stderr is not None:
            self.stderr.skriv(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))
        else:
            log.info(orjson.dumps(line).decode(), extra={"dfdg": line})


def _nyt_praefiks() -> tuple[str, itertools.count]:
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(16)), itertools.count(1)


_praefiks = _nyt_praefiks()


def _forgrenet() -> None:
    global _praefiks
    _praefiks = _nyt_praefiks()


os.register_at_fork(after_in_child=_forgrenet)  # a forked worker draws its own letters


def _ny_request_id() -> str:
    """A request id unique to this process and request: 16 random letters drawn when the process
    starts (or forks), then a hexadecimal counter. It never holds ten digits in a row (the counter
    stays under 16**9 = 68 billion requests), so the CPR mask never hides part of it, as it did
    in every fifth random hex id; and it costs no random bytes per request."""
    return f"{_praefiks[0]}{next(_praefiks[1]):x}"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None
