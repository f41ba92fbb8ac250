"""Prometheus metrics at /metrics, one registry per app (so several apps can share a process).

dfdg_graphql_requests_total{operation,type,status}   requests by operation name
dfdg_graphql_request_duration_seconds{operation}     latency histogram
dfdg_graphql_errors_total{operation,code}            errors in responses, by code
dfdg_db_statements_per_request                       statements one request ran
dfdg_dataloader_batch_size{loader}                   keys per dataloader batch
dfdg_db_pool_connections{pool,state}                 connection pools: checked_out, idle, overflow
dfdg_db_pool_size{pool}                              configured pool size
dfdg_subscriptions_active                            open subscriptions in this process
dfdg_persisted_queries_total{result}                 hit, miss, registered, rejected

plus prometheus_client's standard process_* (CPU, memory, open files), python_info and
python_gc_* collectors.

Operation names come from clients, so a client could make a series per made-up name. The
``operation`` label is therefore a name only for the operations of the approved persisted
documents (the allow-list: ``DFDG_PERSISTED_QUERY_MANIFEST`` and earlier approved documents in
``persisted_query``, read at start); any other named operation counts as "other", an unnamed one as
"anonymous". Ten-digit runs are masked and odd characters dropped from the names all the same.
A process serves its own numbers; scrape every worker.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Iterable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response

from dfdg.http.redact import redact
from dfdg.loaders.base import RowLoader

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# How many (name as sent, type, status) keys remember their labelled children (a cache, bounded).
MAX_OPERATIONS = 500
ANDRE = "other"
_NAME = re.compile(r"[^A-Za-z0-9_]")

# The current request's metrics, for code that has no handle on the app (the dataloaders).
current: contextvars.ContextVar[Metrics | None] = contextvars.ContextVar("dfdg_metrics", default=None)


class PoolCollector(Collector):
    def __init__(self) -> None:
        self.engines: dict[str, object] = {}

    def collect(self) -> Iterable[GaugeMetricFamily]:
        connections = GaugeMetricFamily("dfdg_db_pool_connections", "Connections in the pool by state",
                                        labels=["pool", "state"])
        size = GaugeMetricFamily("dfdg_db_pool_size", "Configured pool size", labels=["pool"])
        for name, engine in self.engines.items():
            pool = engine.pool  # type: ignore[attr-defined]
            checked_out = pool.checkedout()
            connections.add_metric([name, "checked_out"], checked_out)
            connections.add_metric([name, "idle"], pool.checkedin())
            connections.add_metric([name, "overflow"], max(pool.overflow(), 0))
            size.add_metric([name], pool.size())
        yield connections
        yield size


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter("dfdg_graphql_requests", "GraphQL requests", ["operation", "type", "status"], registry=r)
        self.duration = Histogram(
            "dfdg_graphql_request_duration_seconds", "GraphQL request latency", ["operation"], registry=r,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.errors = Counter("dfdg_graphql_errors", "Errors in GraphQL responses", ["operation", "code"], registry=r)
        self.statements = Histogram(
            "dfdg_db_statements_per_request", "SQL statements per GraphQL request", registry=r,
            buckets=(0, 1, 2, 4, 8, 16, 32, 64, 128),
        )
        self.batch = Histogram(
            "dfdg_dataloader_batch_size", "Keys per dataloader batch", ["loader"], registry=r,
            buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
        )
        self.subscriptions = Gauge("dfdg_subscriptions_active", "Open subscriptions in this process", registry=r)
        self.persisted = Counter("dfdg_persisted_queries", "Persisted-query look-ups", ["result"], registry=r)
        self.pools = PoolCollector()
        r.register(self.pools)
        ProcessCollector(registry=r)
        PlatformCollector(registry=r)
        GCCollector(registry=r)
        self._kendte: frozenset[str] = frozenset()
        # (operation name as sent, type, status) -> the labelled children it counts on: a labels()
        # look-up per request costs more than the counting. Names come from clients, so bounded.
        self._children: dict[tuple[str | None, str | None, int], tuple] = {}

    def kendte_operationer(self, names) -> None:
        """The operation names that get a label of their own (the allow-list's); the rest are "other"."""
        self._kendte = frozenset(names)
        self._children.clear()

    def operation_label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if name not in self._kendte:
            return ANDRE
        return _NAME.sub("", redact(name))[:100] or ANDRE

    def observe_request(self, *, operation: str | None, type_: str | None, status: int, seconds: float,
                        statements: int | None, error_codes: Iterable[str]) -> None:
        children = self._children.get((operation, type_, status))
        if children is None:
            # A name's label changes only when the known names do (at start), which empties the cache.
            label = self.operation_label(operation)
            children = (
                label, self.requests.labels(operation=label, type=type_ or "none", status=str(status)),
                self.duration.labels(operation=label),
            )
            if len(self._children) < 4 * MAX_OPERATIONS:
                self._children[(operation, type_, status)] = children
        label, requests, duration = children
        requests.inc()
        duration.observe(seconds)
        if statements is not None:
            self.statements.observe(statements)
        for code in error_codes:
            self.errors.labels(operation=label, code=_NAME.sub("", code)[:60] or "ERROR").inc()

    async def endpoint(self, request: Request) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE)


_instrumented = False


def instrument_dataloaders() -> None:
    """Count keys per batch of every RowLoader, for the metrics of the request that runs it."""
    global _instrumented
    if _instrumented:
        return
    original = RowLoader.batch_load_fn

    async def batch_load_fn(self, keys):
        metrics = current.get()
        if metrics is not None:
            metrics.batch.labels(loader=f"{self.table.name}.{self.key}").observe(len(keys))
        return await original(self, keys)

    batch_load_fn.__wrapped__ = original  # type: ignore[attr-defined]
    RowLoader.batch_load_fn = batch_load_fn  # type: ignore[method-assign]
    _instrumented = True
