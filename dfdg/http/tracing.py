"""Optional OpenTelemetry tracing (``DFDG_TRACING=1``), only when its packages are installed.

With ``opentelemetry-api`` (and an SDK and exporter configured by the operator, e.g. through
``opentelemetry-instrument`` or the ``OTEL_*`` variables) every operation is a span with one child
span per resolver, under the incoming ``traceparent`` when ``opentelemetry-instrumentation-asgi``
is installed too. Spans carry no resolver arguments and the query text with CPR-like numbers
masked. Without the packages the setting logs a warning and does nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from strawberry.extensions import LifecycleStep

from dfdg.http.redact import redact
from dfdg.schema import build_schema

log = logging.getLogger("dfdg.tracing")


def tracing_extension() -> type | None:
    """The schema extension class, or None when OpenTelemetry is not installed."""
    try:  # optional dependency: opentelemetry-api (strawberry's extension imports it too)
        from opentelemetry.trace import SpanKind
        from strawberry.extensions.tracing import OpenTelemetryExtension
    except ImportError:
        return None

    class DfdgOpenTelemetry(OpenTelemetryExtension):
        def __init__(self, *, execution_context: Any = None, **kw: Any) -> None:
            # No arguments on spans: they are CPR numbers, names and dates.
            super().__init__(execution_context=execution_context, arg_filter=lambda args, info: {}, **kw)

        def on_operation(self):  # type: ignore[override]
            name = self.execution_context.operation_name
            span = self._tracer.start_span(f"GraphQL {redact(name) if name else 'operation'}", kind=SpanKind.SERVER)
            self._span_holder[LifecycleStep.OPERATION] = span
            span.set_attribute("component", "graphql")
            if self.execution_context.query:
                span.set_attribute("graphql.document", redact(self.execution_context.query))
            yield
            final = self.execution_context.operation_name
            if final:
                span.set_attribute("graphql.operation.name", redact(final))
                if not name:
                    span.update_name(f"GraphQL {redact(final)}")
            try:
                span.set_attribute("graphql.operation.type", self.execution_context.operation_type.value)
            except Exception:
                pass
            span.end()

    return DfdgOpenTelemetry


def asgi_middleware() -> type | None:
    try:  # optional dependency: opentelemetry-instrumentation-asgi
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
    except ImportError:
        return None
    return OpenTelemetryMiddleware


def traced_schema(schema: Any) -> Any:
    """The default schema rebuilt with the tracing extension, or ``schema`` unchanged."""
    extension = tracing_extension()
    if extension is None:
        log.warning("DFDG_TRACING=1, men opentelemetry er ikke installeret: ingen sporing")
        return schema
    return build_schema(extra_extensions=(extension,))
