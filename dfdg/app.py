"""The ASGI application: GraphQL (with GraphiQL) at /graphql, health probes, lifespan."""

from __future__ import annotations

import base64
import contextlib
import gc
import logging
import time
import uuid
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType
from strawberry.types.unset import UNSET

from dfdg.auth import AuthError, verify_token
from dfdg.context import Context
from dfdg.db import adgangslog, forsegling
from dfdg.db.engine import create_engine
from dfdg.db.frist import FRIST, DatabaseUtilgaengelig, Frist, Proebe, Tidsgraenser, er_utilgaengelig
from dfdg.db.kodecache import load_kodecache
from dfdg.db.notify import libpq_url
from dfdg.db.pulje import pulje
from dfdg.http import Eco
from dfdg.http.cors import Cors
from dfdg.http.view import GraphQLOverHTTP
from dfdg.regler.aktoer import Actor
from dfdg.schema import databasefejl
from dfdg.schema import schema as default_schema
from dfdg.settings import Settings


log = logging.getLogger("dfdg.app")


def afvist(status: int, message: str, code: str, headers: dict[str, str] | None = None) -> Response:
    """A request refused before GraphQL runs, as a GraphQL-shaped JSON error."""
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=headers)


# HTTP-level refusals (hostile requests): status, code.
HTTP_KODER = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}
# POST bodies must be JSON: a browser cannot send that cross-site without a CORS preflight, so
# forms (urlencoded, multipart) and text/plain — the CSRF vectors — are refused (415).
POST_MEDIETYPER = ("application/json",)


async def _laes_krop(receive: Receive, maks: int) -> bytes | None:
    """The whole request body, or None as soon as it is longer than ``maks`` bytes."""
    dele, laengde = [], 0
    while True:
        besked = await receive()
        if besked["type"] != "http.request":
            break
        del_ = besked.get("body", b"")
        laengde += len(del_)
        if laengde > maks:
            return None
        dele.append(del_)
        if not besked.get("more_body", False):
            break
    return b"".join(dele)


_JSON_TYPER = {type(None): "null", bool: "en sandhedsværdi", int: "et tal", float: "et tal", str: "en tekst"}


def _json_objekt(krop: bytes) -> tuple[Response | None, Any]:
    """A POST body as the JSON object GraphQL over HTTP requires, or its 400 refusal: strawberry's own
    parsing (``json.loads``) would let a scalar through to crash on, and takes text that is no UTF-8
    JSON (a byte-order mark, unpaired surrogates, NaN)."""
    try:
        data = orjson.loads(krop)
    except orjson.JSONDecodeError as exc:
        return afvist(
            400, f"Forespørgslens krop er ikke gyldig JSON i UTF-8 (linje {exc.lineno}, kolonne {exc.colno}).", "BAD_REQUEST",
        ), None
    if not isinstance(data, dict):
        return afvist(
            400, f"Forespørgslens krop skal være et JSON-objekt med 'query' (og evt. 'variables', 'operationName' og "
            f"'extensions'), ikke {_JSON_TYPER.get(type(data), 'en anden JSON-værdi')}.", "BAD_REQUEST",
        ), None
    return None, data


def _genafspil(krop: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the already read body on, then waits as the original does."""
    sendt = False

    async def genafspillet():
        nonlocal sendt
        if not sendt:
            sendt = True
            return {"type": "http.request", "body": krop, "more_body": False}
        return await receive()

    return genafspillet


# The request headers the view reads itself (the rest: strawberry's and starlette's own look-ups).
_EGNE_HOVEDER = (b"content-length", b"content-type", b"authorization")


def _hoveder(scope: Scope) -> dict[bytes, str]:
    """The first value of each of ``_EGNE_HOVEDER`` in the request, as starlette's ``Headers.get``
    finds it, in one pass over the headers instead of a Headers object and a scan per look-up."""
    fundne: dict[bytes, str] = {}
    for navn, vaerdi in scope.get("headers", ()):
        if navn in _EGNE_HOVEDER and navn not in fundne:
            fundne[navn] = vaerdi.decode("latin-1")
    return fundne


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


class DfdgGraphQL(GraphQLOverHTTP, GraphQL):
    def __init__(self, schema, settings: Settings, state: Any, planlaegger=None) -> None:
        # GraphiQL goes with introspection: off in production (DFDG_INTROSPECTION=0).
        super().__init__(schema, graphql_ide="graphiql" if settings.introspection else None, allow_queries_via_get=True)
        self.settings = settings
        self.state = state
        # dfdg.plan: answers planned read operations before strawberry's pipeline (None: off).
        self.planlaegger = planlaegger
        self.tokens = VerificeredeTokens(settings.token_cache_seconds) if settings.token_cache_seconds > 0 else None

    async def _graenser(self, scope: Scope, receive: Receive, hoveder: dict[bytes, str]) -> tuple[Response | None, Receive]:
        """Refuse, before authentication and GraphQL: a body over ``max_body_bytes`` (413), a POST
        that is not JSON (415), a batch — a JSON array of operations (400), a body that is no JSON
        object in UTF-8 (400)."""
        maks = self.settings.max_body_bytes
        if scope["method"] == "GET":
            if len(scope.get("query_string", b"")) > maks:
                return afvist(414, f"Forespørgslens URL er længere end {maks} bytes; send den som POST.", "URI_TOO_LONG"), receive
            return None, receive
        if scope["method"] != "POST":
            return None, receive
        laengde = hoveder.get(b"content-length", "")
        if laengde.isdigit() and int(laengde) > maks:
            return afvist(413, f"Forespørgslen fylder mere end {maks} bytes.", "PAYLOAD_TOO_LARGE"), receive
        medietype = hoveder.get(b"content-type", "").partition(";")[0].strip().lower()
        if medietype not in POST_MEDIETYPER:
            return afvist(
                415, f"POST til /graphql skal have Content-Type: application/json (ikke {medietype or 'ingen'!r}); "
                "formularer og text/plain afvises.", "UNSUPPORTED_MEDIA_TYPE",
                {"Accept-Post": ", ".join(POST_MEDIETYPER)},
            ), receive
        krop = await _laes_krop(receive, maks)
        if krop is None:
            return afvist(413, f"Forespørgslen fylder mere end {maks} bytes.", "PAYLOAD_TOO_LARGE"), receive
        if krop.lstrip()[:1] == b"[":
            return afvist(
                400, "Batchede forespørgsler (et JSON-array af operationer) understøttes ikke; send én operation pr. request.",
                "BATCHING_NOT_SUPPORTED",
            ), receive
        afvisning, data = _json_objekt(krop)
        if afvisning is not None:
            return afvisning, receive
        scope.setdefault("state", {})["dfdg_krop"] = data  # the planned reads' fast path reads it here
        return None, _genafspil(krop, receive)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            hoveder = _hoveder(scope)
            refused, receive = await self._graenser(scope, receive, hoveder)
            if refused is not None:
                return await refused(scope, receive, send)
            header = hoveder.get(b"authorization")
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
        state = request.scope.setdefault("state", {})  # what request.state wraps, without its State object
        ctx = Context(
            settings=self.settings,
            db=self.state.eco.db(),
            kodecache=self.state.kodecache,
            actor=state.get("actor"),
            request=request,
            response=response,
        )
        state["ctx"] = ctx
        return ctx

    async def run(self, request, context=UNSET, root_value=UNSET):
        """strawberry's own HTTP refusals (bad JSON, a mutation over GET …) as JSON errors."""
        try:
            return await super().run(request, context, root_value)
        except HTTPException as exc:
            headers = {"Allow": "POST"} if exc.status_code == 405 else None
            code = HTTP_KODER.get(exc.status_code, "BAD_REQUEST")
            if isinstance(exc.__cause__, CannotGetOperationTypeError):  # operationName names none (Apollo's code)
                code = "OPERATION_RESOLUTION_FAILURE"
            return afvist(exc.status_code, exc.reason, code, headers)

    async def execute_single(self, *args, **kwargs) -> ExecutionResult:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as exc:
            if isinstance(exc.__cause__, InvalidOperationTypeError):
                if exc.__cause__.operation_type is StrawberryOperationType.SUBSCRIPTION:  # (graenser.Graenser)
                    raise HTTPException(
                        400, "Abonnementer kører over WebSocket (graphql-transport-ws) på /graphql, ikke over HTTP.",
                    ) from exc
                # GET never changes anything (GraphQL over HTTP: 405 for a mutation over GET).
                raise HTTPException(405, "Mutationer kan kun sendes med POST, aldrig med GET.") from exc
            raise

    def decode_json(self, data: str | bytes) -> object:
        # The JSON _graenser and the fast path accept (orjson): UTF-8 only, no NaN, at most 1,024
        # levels deep. json.loads took unpaired surrogates and recursed into a RecursionError (a 500)
        # on GET variables and WebSocket messages nested ~1,000 deep. orjson's JSONDecodeError is
        # json's, which strawberry answers with 400.
        return orjson.loads(data)

    # Overridden steps of strawberry's pipeline that the planned reads' fast path (dfdg.plan) takes
    # account of, so it may stay on (dfdg.plan.planlaegger.fast_path_hindringer):
    # * run: turns strawberry's HTTPExceptions into JSON errors; the fast path raises none (what it
    #   cannot answer, it hands on to strawberry, which runs this);
    # * execute_single (here: a mutation over GET -> 405; GraphQLOverHTTP: persisted queries): the
    #   fast path answers JSON POSTs of queries only, and resolves persisted queries through the
    #   same ``persisted_query`` (once per request);
    # * should_render_graphql_ide: GET only; the fast path answers POSTs only;
    # * decode_json: orjson, as the fast path parses.
    hurtigvej_kendte = (run, execute_single, GraphQLOverHTTP.execute_single, GraphQLOverHTTP.should_render_graphql_ide,
                        decode_json)

    async def _skriv_adgangslog(self, ctx: Context, result: ExecutionResult) -> ExecutionResult:
        """Append the request's reads of personal data to the access log (one statement, only
        when something was read; in the app, shared with concurrent requests: adgangslog.Samleskriver).
        Data whose read cannot be logged is not handed out."""
        if not ctx.laeste_cpr or ctx.actor is None:
            return result
        laeste, ctx.laeste_cpr = ctx.laeste_cpr, {}
        if ctx.loggede_cpr:  # already committed with a mutation (dfdg.resolvers.mutation.udfoer)
            laeste = {cpr: operation for cpr, operation in laeste.items() if cpr not in ctx.loggede_cpr}
        try:
            skriver = getattr(self.state, "adgangsskriver", None)
            if skriver is not None:
                await skriver.skriv(ctx.db, ctx.actor, laeste)
            else:
                await adgangslog.skriv(ctx.db, ctx.actor, laeste, getattr(self.state, "skrivepulje", None))
        except Exception as exc:
            if er_utilgaengelig(exc):
                return databasefejl.resultat(exc, ctx.db.udfald)
            fejl_id = uuid.uuid4().hex[:12]
            log.exception("adgangsloggen kunne ikke skrives (%s); svaret tilbageholdes", fejl_id, extra={"fejl_id": fejl_id})
            return ExecutionResult(data=None, errors=[GraphQLError(
                f"Der opstod en intern fejl. Oplys fejl-id {fejl_id} til supporten.",
                extensions={"code": "INTERNAL_SERVER_ERROR", "fejlId": fejl_id},
            )])
        return result

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        ctx: Context | None = getattr(request.state, "ctx", None)
        # A database fault anywhere answers the whole request, and hands nothing out (no log row needed).
        samlet = databasefejl.saml(result, ctx.db.udfald if ctx is not None else None)
        if samlet is not None:
            result = samlet
        elif ctx is not None:
            result = await self._skriv_adgangslog(ctx, result)
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            data["errors"] = [e.formatted for e in result.errors]
        extensions = dict(result.extensions or {})
        if ctx is not None:
            if self.settings.debug:
                extensions["sql"] = {"statements": ctx.db.statements, "ms": round(ctx.db.ms, 2), "planlagt": ctx.planlagt}
        if extensions:
            data["extensions"] = extensions
        return data

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)


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

        async def _send(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.graphql_http(scope, receive, _send)
        except Exception as exc:
            if not started and er_utilgaengelig(exc):  # met outside execution (a persisted query's look-up)
                accept = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"accept"), None)
                return await databasefejl.http_svar(accept, exc)(scope, receive, send)
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
        from dfdg.plan import Planlaegger

        planlaegger = Planlaegger(schema, settings, settings.read_database_url or database_url)
        schema = planlaegger.schema_med_planer(schema)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
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
        from dfdg.db.migrate import head_revision

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
