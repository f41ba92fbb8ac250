"""The ASGI application: GraphQL (with GraphiQL) at /graphql, health probes, lifespan."""

from __future__ import annotations

import base64
import contextlib
import gc
import time
from typing import Any

import orjson
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from dfdg.auth import Actor, AuthError, verify_token
from dfdg.context import Context
from dfdg.db.engine import Db, create_engine
from dfdg.db.kodecache import load_kodecache
from dfdg.schema import schema as default_schema
from dfdg.settings import Settings


def unauthorized(message: str) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}
    return Response(
        orjson.dumps(body), status_code=401, media_type="application/json",
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


class VerificeredeTokens:
    """Tokens verified within the last ``seconds`` (never past their own ``exp``), by the whole token
    string: a token is only found here if it is byte for byte one that ``verify_token`` accepted."""

    def __init__(self, seconds: int, maxsize: int = 4096) -> None:
        self.seconds = seconds
        self.maxsize = maxsize
        self._tokens: dict[str, tuple[Actor, float]] = {}

    def verify(self, settings: Settings, token: str) -> Actor:
        now = time.time()
        found = self._tokens.get(token)
        if found is not None and found[1] > now:
            return found[0]
        actor = verify_token(settings, token)
        try:
            payload = token.split(".")[1]
            exp = float(orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["exp"])
        except (IndexError, ValueError, KeyError, TypeError):
            return actor
        if len(self._tokens) >= self.maxsize:
            self._tokens.clear()
        self._tokens[token] = (actor, min(exp, now + self.seconds))
        return actor


class DfdgGraphQL(GraphQL):
    def __init__(self, schema, settings: Settings, state: Any, planlaegger=None) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=True)
        self.settings = settings
        self.state = state
        # dfdg.plan: answers planned read operations before strawberry's pipeline (None: off).
        self.planlaegger = planlaegger
        self.tokens = VerificeredeTokens(settings.token_cache_seconds) if settings.token_cache_seconds > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope, receive)
            header = request.headers.get("authorization")
            scope.setdefault("state", {})["actor"] = None
            if header:
                scheme, _, token = header.partition(" ")
                if scheme.lower() != "bearer" or not token.strip():
                    return await unauthorized("Authorization-headeren skal have formen 'Bearer <token>'")(scope, receive, send)
                try:
                    token = token.strip()
                    scope["state"]["actor"] = (
                        self.tokens.verify(self.settings, token) if self.tokens else verify_token(self.settings, token)
                    )
                except AuthError as exc:
                    return await unauthorized(str(exc))(scope, receive, send)
            if self.planlaegger is not None:
                return await self.planlaegger.http(self, scope, receive, send, super().__call__)
        await super().__call__(scope, receive, send)

    async def get_context(self, request, response) -> Context:
        ctx = Context(
            settings=self.settings,
            db=Db(self.state.engine),
            kodecache=self.state.kodecache,
            actor=getattr(request.state, "actor", None),
            request=request,
            response=response,
        )
        request.state.ctx = ctx
        return ctx

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            data["errors"] = [e.formatted for e in result.errors]
        extensions = dict(result.extensions or {})
        ctx: Context | None = getattr(request.state, "ctx", None)
        if ctx is not None:
            if self.settings.debug:
                extensions["sql"] = {"statements": ctx.db.statements, "ms": round(ctx.db.ms, 2)}
        if extensions:
            data["extensions"] = extensions
        return data

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)


def create_app(settings: Settings, database_url: str, schema=default_schema) -> Starlette:
    class State:
        engine = None
        kodecache = None

    state = State()
    planlaegger = None
    if settings.planned_reads:
        from dfdg.plan import Planlaegger

        planlaegger = Planlaegger(schema, settings, database_url)
        schema = planlaegger.schema_med_planer(schema)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        state.engine = create_engine(settings, database_url)
        state.kodecache = await load_kodecache(state.engine)
        if planlaegger is not None:
            await planlaegger.start()
        if settings.gc_freeze:  # what start-up loaded lives as long as the process
            gc.collect()
            gc.freeze()
        if settings.gc_threshold:
            gc.set_threshold(*settings.gc_threshold)
        try:
            yield
        finally:
            if planlaegger is not None:
                await planlaegger.luk()
            await state.engine.dispose()

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        from dfdg.db.migrate import current_revision, head_revision

        try:
            async with state.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
                revision = await conn.run_sync(current_revision)
        except Exception as exc:  # the probe reports, it does not crash
            return JSONResponse({"klar": False, "fejl": type(exc).__name__}, status_code=503)
        current = revision == head_revision()
        return JSONResponse({"klar": current, "migration": revision}, status_code=200 if current else 503)

    graphql = DfdgGraphQL(schema, settings, state, planlaegger)
    app = Starlette(
        routes=[Route("/healthz", healthz), Route("/readyz", readyz), Route("/graphql", graphql, methods=["GET", "POST"])],
        lifespan=lifespan,
    )
    app.state.dfdg = state
    app.state.planlaegger = planlaegger
    return app
