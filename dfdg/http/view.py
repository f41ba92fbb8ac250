"""The GraphQL view: strawberry's ASGI view with the HTTP and WebSocket behaviour dfdg adds.

``GraphQLOverHTTP`` is what GraphQL over HTTP and the ecosystem ask of the view; it reads
``self.settings`` and ``self.state`` (``state.eco``) of the view it is mixed into:

* media types of GraphQL over HTTP (``application/graphql-response+json``; dfdg.http.media);
* persisted queries, APQ or allow-list (dfdg.http.persisted), for GET and POST;
* GraphiQL from local assets (dfdg.http.graphiql), so the IDE works without a CDN;
* ``graphql-transport-ws`` subscriptions with the bearer token in the ``connection_init``
  payload (``{"Authorization": "Bearer …"}``).

``DfdgGraphQL`` (``GraphQLOverHTTP`` mixed in before ``strawberry.asgi.GraphQL``) is the view the
app serves: it bounds the request (dfdg.http.krop), verifies its token (dfdg.http.tokens), hands
planned operations to the planner's fast path (dfdg.plan), makes the context, and writes the
access log (dfdg.http.adgangslog) before a result is handed out.
"""

from __future__ import annotations

from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType
from strawberry.types.unset import UNSET

from dfdg.context import Context
from dfdg.http import adgangslog, krop, media, tokens
from dfdg.http.graphiql import graphiql_html
from dfdg.http.media import afvist
from dfdg.http.tokens import AuthError, VerificeredeTokens, bearer_token, unauthorized, verify_token
from dfdg.http.wsadgang import OperationensSkema
from dfdg.schema import databasefejl
from dfdg.schema.observe import operation_of
from dfdg.settings import Settings


class _TextWebSocket(ASGIWebSocketAdapter):
    """Sends every message as a text frame, as graphql-transport-ws requires (the view's
    orjson encoder returns bytes, which strawberry would send as binary frames)."""

    async def send_json(self, message: Any) -> None:
        encoded = self.view.encode_json(message)
        try:
            await self.ws.send_text(encoded.decode("utf-8") if isinstance(encoded, bytes) else encoded)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc

    async def close(self, code: int, reason: str) -> None:
        # A refused connection_init (4403, graphql-transport-ws) says why in the close reason, in
        # Danish, as the 401 of an HTTP request does (``on_ws_connect`` leaves it on the scope).
        if code == 4403:
            reason = _lukkegrund(self.ws.scope.get("state", {}).get("dfdg_afvisning") or reason)
        await super().close(code, reason)


class _TransportWS(BaseGraphQLTransportWSHandler):
    """Keeps the ``connection_init`` payload on the context, where ``on_ws_connect`` reads it; runs
    each operation with its own context and its reads logged before each result is sent
    (dfdg.http.wsadgang)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = OperationensSkema(self.schema, self.view)

    async def handle_connection_init(self, message: Any) -> None:
        payload = message.get("payload") if isinstance(message, dict) else None
        try:
            self.context.connection_params = payload if isinstance(payload, dict) else {}
        except AttributeError:  # a context that does not take attributes
            pass
        await super().handle_connection_init(message)


def _lukkegrund(besked: str) -> str:
    """A WebSocket close reason: at most 123 bytes of UTF-8 (RFC 6455), cut between characters."""
    kodet = besked.encode("utf-8")
    return besked if len(kodet) <= 123 else kodet[:123].decode("utf-8", "ignore")


def _accept(scope: Any) -> str | None:
    """The request's first Accept header, as ``request.headers.get("accept")`` finds it, without
    building a Headers object for a request that has none yet."""
    for navn, vaerdi in scope.get("headers", ()):
        if navn == b"accept":
            return vaerdi.decode("latin-1")
    return None


class GraphQLOverHTTP:
    graphql_transport_ws_handler_class = _TransportWS
    websocket_adapter_class = _TextWebSocket
    settings: Any
    state: Any

    # -- media types ---------------------------------------------------------------------------

    async def get_sub_response(self, request: Request) -> Response:
        sub_response = await super().get_sub_response(request)  # type: ignore[misc]
        sub_response.dfdg_media = media.negotiate(_accept(request.scope)) or media.JSON  # type: ignore[attr-defined]
        # The scope's state dict, which request.state wraps: a first look-up on the State misses
        # through an AttributeError.
        sub_response.dfdg_operation = operation_of(request.scope.setdefault("state", {}))  # type: ignore[attr-defined]
        return sub_response

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        chosen = getattr(sub_response, "dfdg_media", media.JSON)
        op = getattr(sub_response, "dfdg_operation", None)
        if op is not None:  # the codes the client sees, after every extension had its say
            op.error_codes = media.error_codes(response_data)
        body, status = media.shape(response_data, chosen)
        # The content type as a header set afterwards would be: after content-length, before the
        # sub-response's; without a MutableHeaders scan per header.
        response = Response(
            self.encode_json(body), status_code=status or 200, media_type=media.content_type(chosen),  # type: ignore[attr-defined]
        )
        response.raw_headers.extend(sub_response.raw_headers)
        if status == 503:  # the database (dfdg.schema.databasefejl): when to try again
            response.headers["Retry-After"] = databasefejl.RETRY_AFTER
        if sub_response.background:
            response.background = sub_response.background
        if sub_response.status_code:
            response.status_code = sub_response.status_code
        return response

    # -- GraphiQL ------------------------------------------------------------------------------

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET with only extensions is a hashed (APQ) query, not a browser asking for the IDE.
        return super().should_render_graphql_ide(request) and request.query_params.get("extensions") is None  # type: ignore[misc]

    async def render_graphql_ide(self, request: Request) -> Response:
        request.state.dfdg_ide = True
        return HTMLResponse(graphiql_html(str(request.scope.get("root_path", ""))))

    # -- persisted queries ---------------------------------------------------------------------

    async def persisted_query(self, request: Request, sub_response: Response, query: str | None,
                              extensions: dict | None) -> tuple[str | None, ExecutionResult | None]:
        """The query text to run, or the result refusing the request (a persisted-query rejection).
        Resolved once per request: the planned reads' fast path (dfdg.plan) asks first, and
        ``execute_single`` gets the same answer when the fast path hands the request on."""
        state = request.scope.setdefault("state", {})
        if "dfdg_persisted" in state:
            return state["dfdg_persisted"]
        store = getattr(getattr(self.state, "eco", None), "persisted", None)
        svar: tuple[str | None, ExecutionResult | None] = (query, None)
        if store is not None:
            resolved, rejection = await store.resolve(query, extensions)
            op = operation_of(request.state)
            if rejection is not None:
                op.persisted = rejection.code
                if rejection.status:
                    sub_response.status_code = rejection.status
                svar = (None, ExecutionResult(data=None, errors=[rejection.error()]))
            else:
                if (extensions or {}).get("persistedQuery") is not None:
                    op.persisted = "hash" if query is None else "query"  # how the client sent it
                svar = (resolved, None)
        state["dfdg_persisted"] = svar
        return svar

    def persisted_query_uden_extensions(self) -> bool:
        """Whether ``persisted_query`` can refuse or change a request that has no ``extensions``:
        only under the allow-list (with APQ or "off" such a request runs its own text), or when a
        subclass resolves persisted queries its own way. The planned reads' fast path asks, and
        otherwise leaves the call out."""
        if type(self).persisted_query is not GraphQLOverHTTP.persisted_query:
            return True
        store = getattr(getattr(self.state, "eco", None), "persisted", None)
        return store is not None and store.mode == "allowlist"

    async def execute_single(self, request: Request, request_adapter: Any, sub_response: Response, context: Any,
                             root_value: Any, request_data: GraphQLRequestData) -> ExecutionResult:
        query, afvist = await self.persisted_query(request, sub_response, request_data.query, request_data.extensions)
        if afvist is not None:
            return afvist
        request_data.query = query
        return await super().execute_single(  # type: ignore[misc]
            request=request, request_adapter=request_adapter, sub_response=sub_response, context=context,
            root_value=root_value, request_data=request_data,
        )

    # -- subscriptions -------------------------------------------------------------------------

    @property
    def websocket_subprotocols(self) -> list[str]:
        # Only graphql-transport-ws (graphql-ws on npm); the legacy subscriptions-transport-ws is not offered.
        return [GRAPHQL_TRANSPORT_WS_PROTOCOL]

    async def on_ws_connect(self, context: Any) -> Any:
        try:
            token = bearer_token(getattr(context, "connection_params", None))
            if token is not None:
                context.actor = verify_token(self.settings, token)
        except (ValueError, AuthError) as exc:
            websocket = getattr(context, "request", None)
            if websocket is not None:
                websocket.scope.setdefault("state", {})["dfdg_afvisning"] = str(exc)
            raise ConnectionRejectionError({"message": str(exc)}) from exc
        return await super().on_ws_connect(context)  # type: ignore[misc]


# HTTP-level refusals (hostile requests): status, code.
HTTP_KODER = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


class DfdgGraphQL(GraphQLOverHTTP, GraphQL):
    def __init__(self, schema, settings: Settings, state: Any, planlaegger=None) -> None:
        # GraphiQL goes with introspection: off in production (DFDG_INTROSPECTION=0).
        super().__init__(schema, graphql_ide="graphiql" if settings.introspection else None, allow_queries_via_get=True)
        self.settings = settings
        self.state = state
        # dfdg.plan: answers planned read operations before strawberry's pipeline (None: off).
        self.planlaegger = planlaegger
        self.tokens = VerificeredeTokens(settings.token_cache_seconds) if settings.token_cache_seconds > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            hoveder = krop.hoveder(scope)
            refused, receive = await krop.graenser(self.settings.max_body_bytes, scope, receive, hoveder)
            if refused is not None:
                return await refused(scope, receive, send)
            try:
                scope.setdefault("state", {})["actor"] = tokens.aktoer(
                    self.settings, self.tokens, hoveder.get(b"authorization"),
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
            notify=self.state.eco.listener,
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
        # The JSON krop.graenser and the fast path accept (orjson): UTF-8 only, no NaN, at most 1,024
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
        """The access log's rows of the request's reads (dfdg.http.adgangslog; also what
        dfdg.http.wsadgang calls for each WebSocket result)."""
        return await adgangslog.skriv(self.state, ctx, result)

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
