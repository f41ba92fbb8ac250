"""HTTP-level plumbing that makes dfdg a first-class citizen of the GraphQL ecosystem.

``Eco`` is made once per app by ``dfdg.http.app.create_app`` and owns: persisted queries
(dfdg.http.persisted), Prometheus metrics (dfdg.http.metrics), the request log
(dfdg.http.reqlog), the LISTEN/NOTIFY listener that feeds subscriptions (dfdg.db.notify), the
read-replica engine, GraphiQL's local assets (dfdg.http.graphiql) and optional tracing
(dfdg.http.tracing). The view behaviour lives in dfdg.http.view.
"""

from __future__ import annotations

from typing import Any

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from dfdg.db.engine import Db, create_engine
from dfdg.db.notify import Listener
from dfdg.http import graphiql
from dfdg.http.metrics import Metrics, instrument_dataloaders
from dfdg.http.persisted import PersistedQueries
from dfdg.http.redact import install_log_redaction
from dfdg.http.reqlog import RequestObserver
from dfdg.http.tracing import asgi_middleware, traced_schema
from dfdg.settings import Settings


class ReplicaDb(Db):
    """Reads (every ``Db.all``) on the read replica; transactions (writes) on the primary."""

    def __init__(self, engine: Any, read_engine: Any) -> None:
        super().__init__(engine)
        self.read_engine = read_engine

    async def all(self, statement, params=None):
        async with self.read_engine.connect() as conn:
            return await self._run(conn, statement, params)


class Eco:
    def __init__(self, settings: Settings, database_url: str, state: Any) -> None:
        self.settings = settings
        self.database_url = database_url
        self.state = state
        self.metrics = Metrics() if settings.metrics else None
        self.persisted: PersistedQueries | None = None
        self.read_engine = None
        self.listener = Listener(database_url, on_change=self._subscriptions_changed,
                                 timeout=settings.statement_timeout_ms / 1000)
        if self.metrics is not None:
            instrument_dataloaders()
        install_log_redaction()

    def _subscriptions_changed(self) -> None:
        if self.metrics is not None:
            self.metrics.subscriptions.set(self.listener.count)

    def schema(self, schema: Any) -> Any:
        if not self.settings.tracing:
            return schema
        return traced_schema(schema)

    async def start(self, graphql_schema: Any) -> None:
        engine = self.state.engine
        if self.settings.read_database_url:
            self.read_engine = create_engine(self.settings, self.settings.read_database_url)
        self.persisted = PersistedQueries(
            self.settings.persisted_queries, engine, graphql_schema._schema,
            counter=self.metrics.persisted if self.metrics else None,
        )
        if self.settings.persisted_query_manifest:
            await self.persisted.load_manifest(self.settings.persisted_query_manifest)
        if self.metrics is not None:
            self.metrics.kendte_operationer(await self.persisted.godkendte_operationer())
            self.metrics.pools.engines["primary"] = engine
            if self.read_engine is not None:
                self.metrics.pools.engines["read"] = self.read_engine

    async def stop(self) -> None:
        await self.listener.stop()
        if self.read_engine is not None:
            await self.read_engine.dispose()

    def db(self) -> Db:
        """The per-request database handle (reads on the replica when one is configured)."""
        if self.read_engine is not None:
            return ReplicaDb(self.state.engine, self.read_engine)
        return Db(self.state.engine)

    def wrap(self, endpoint: ASGIApp) -> ASGIApp:
        """The GraphQL endpoint with the request log, metrics and (optional) tracing around it."""
        app: ASGIApp = RequestObserver(
            endpoint, metrics=self.metrics, log_requests=self.settings.request_log, sink=self.settings.request_log_sink,
        )
        if self.settings.tracing:
            middleware = asgi_middleware()
            if middleware is not None:
                app = middleware(app)
        return app

    def routes(self) -> list[BaseRoute]:
        routes: list[BaseRoute] = [
            Mount(graphiql.ASSETS_PATH, app=StaticFiles(directory=graphiql.ASSETS_DIR), name="graphiql-assets"),
        ]
        if self.metrics is not None:
            routes.append(Route("/metrics", self.metrics.endpoint, methods=["GET"]))
        return routes

