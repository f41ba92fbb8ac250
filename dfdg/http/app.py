"""The ASGI application: GraphQL (with GraphiQL) at /graphql, health probes, lifespan.

The GraphQL view is dfdg.http.view's ``DfdgGraphQL``; what the app adds is the way to it (past
Starlette's middleware, with CORS and each request's budget for the database), what it starts and
stops (engines, pools, the access log's group commit, the planner), and ``/healthz``, ``/readyz``.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Message, Receive, Scope, Send

from dfdg.db import adgangslog, forsegling
from dfdg.db.engine import create_engine
from dfdg.db.frist import (
    FRIST,
    DatabaseUtilgaengelig,
    Frist,
    Proebe,
    Tidsgraenser,
    er_utilgaengelig,
)
from dfdg.db.kodecache import load_kodecache
from dfdg.db.migrate import head_revision
from dfdg.db.notify import libpq_url
from dfdg.db.pulje import pulje
from dfdg.http import media
from dfdg.http.cors import Cors
from dfdg.http.eco import Eco
from dfdg.http.view import DfdgGraphQL
from dfdg.plan import Planlaegger
from dfdg.schema import databasefejl
from dfdg.schema import schema as default_schema
from dfdg.settings import Settings

log = logging.getLogger("dfdg.app")  # the name dfdg.http.redact filters and operators know


def utilgaengelig_svar(accept: str | None, original: BaseException) -> Response:
    """``DATABASE_UNAVAILABLE`` (dfdg.schema.databasefejl) for a fault met outside GraphQL
    execution (a persisted query's look-up, say), under the media type the client accepts."""
    valgt = media.negotiate(accept) or media.JSON
    body, status = media.shape({"data": None, "errors": [databasefejl.fejl(original).formatted]}, valgt)
    return Response(orjson.dumps(body), status_code=status or 200, media_type=media.content_type(valgt),
                    headers={"Retry-After": databasefejl.RETRY_AFTER} if status == 503 else None)


class _App(Starlette):
    """Starlette, with HTTP GET/POST to /graphql handed straight to the GraphQL endpoint (request
    log, metrics, tracing included) past Starlette's error middleware, exception middleware and
    router, which cost CPU on every request and do nothing for it. Everything else (lifespan,
    websockets, the other routes, other methods on /graphql) goes through Starlette as before.
    An exception before the response has started still answers 500 (as ServerErrorMiddleware).
    CORS (dfdg.http.cors) is applied here, to every answer of /graphql and its preflight."""

    graphql_http: Any = None
    cors: Cors | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.graphql_http is None or scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        sti, rod = scope["path"], scope.get("root_path")
        if sti != "/graphql" and not (rod and sti == f"{rod}/graphql"):
            return await super().__call__(scope, receive, send)
        if self.cors is not None:
            if scope["method"] == "OPTIONS":
                return await self.cors.preflight(scope, receive, send)
            origin = self.cors.origin(scope)
            if origin is not None:
                send = self.cors.send(send, origin)
        if scope["method"] not in ("GET", "POST") or rod:
            return await super().__call__(scope, receive, send)
        scope["app"] = self
        scope["router"] = self.router
        started = False

        async def _send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.graphql_http(scope, receive, _send)
        except Exception as exc:
            if not started and er_utilgaengelig(exc):  # met outside execution (a persisted query's look-up)
                accept = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"accept"), None)
                return await utilgaengelig_svar(accept, exc)(scope, receive, send)
            if not started:
                await PlainTextResponse("Internal Server Error", status_code=500)(scope, receive, send)
            raise


class _MedFrist:
    """Gives each HTTP request its budget for waits on the database (dfdg.db.frist), in the
    request's own context."""

    def __init__(self, app: Any, graenser: Tidsgraenser) -> None:
        self.app = app
        self.graenser = graenser

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = FRIST.set(Frist(self.graenser))
        try:
            await self.app(scope, receive, send)
        finally:
            FRIST.reset(token)


def create_app(settings: Settings, database_url: str, schema=default_schema) -> Starlette:
    class State:
        engine = None
        kodecache = None
        eco = None
        skrivepulje = None  # raw asyncpg pool on the primary: the access log (dfdg.db.adgangslog)
        adgangsskriver = None  # the access log's group commit on skrivepulje
        proebe = None  # /readyz's own connection

    forsegling.brug(settings.id_key)
    if settings.id_key == Settings.id_key and settings.jwt_jwks_file is not None:
        log.warning("DFDG_ID_KEY er ikke sat: markører og borgeres globale id forsegles med udviklingsnøglen")
    state = State()
    state.eco = eco = Eco(settings, database_url, state)
    tidsgraenser = Tidsgraenser.fra(settings)
    schema = eco.schema(schema)
    planlaegger = None
    if settings.planned_reads:
        planlaegger = Planlaegger(schema, settings, settings.read_database_url or database_url)
        schema = planlaegger.schema_med_planer(schema)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state.engine = create_engine(settings, database_url)
        state.kodecache = await load_kodecache(state.engine)
        await eco.start(schema)
        if planlaegger is not None:
            await planlaegger.start()
        egen_pulje = None
        if planlaegger is not None and planlaegger.pool is not None and planlaegger.database_url == database_url:
            state.skrivepulje = planlaegger.pool  # no replica: the planner's pool is the primary's
        else:
            egen_pulje = state.skrivepulje = await pulje(settings, database_url, "dfdg").start()
        if planlaegger is not None:
            planlaegger.skrivepulje = state.skrivepulje
        state.adgangsskriver = adgangslog.Samleskriver(state.skrivepulje, timeout=tidsgraenser.saetning)
        state.proebe = Proebe(libpq_url(database_url))
        if settings.gc_freeze:  # what start-up loaded lives as long as the process
            gc.collect()
            gc.freeze()
        if settings.gc_threshold:
            gc.set_threshold(*settings.gc_threshold)
        try:
            yield
        finally:
            skriver, state.adgangsskriver = state.adgangsskriver, None
            await skriver.luk()
            state.skrivepulje = None
            if egen_pulje is not None:
                await egen_pulje.close()
            if planlaegger is not None:
                await planlaegger.luk()
            await eco.stop()
            await state.proebe.luk()
            await state.engine.dispose()

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        """Within a second, whatever the database does (its own connection, dfdg.db.frist.Proebe)."""
        try:
            revision = await state.proebe.revision()
        except DatabaseUtilgaengelig as exc:
            return JSONResponse({"klar": False, "fejl": databasefejl.KODE, "grund": str(exc)}, status_code=503)
        except Exception as exc:  # the probe reports, it does not crash
            return JSONResponse({"klar": False, "fejl": type(exc).__name__}, status_code=503)
        current = revision == head_revision()
        return JSONResponse({"klar": current, "migration": revision}, status_code=200 if current else 503)

    graphql = DfdgGraphQL(schema, settings, state, planlaegger)
    graphql_http = _MedFrist(eco.wrap(graphql), tidsgraenser)
    app = _App(
        routes=[
            Route("/healthz", healthz), Route("/readyz", readyz),
            Route("/graphql", graphql_http, methods=["GET", "POST"]), WebSocketRoute("/graphql", graphql),
            *eco.routes(),
        ],
        lifespan=lifespan,
    )
    app.graphql_http = graphql_http
    app.cors = Cors(settings.cors_origins)
    app.state.dfdg = state
    app.state.planlaegger = planlaegger
    return app
