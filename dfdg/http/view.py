"""``GraphQLOverHTTP``: the HTTP and WebSocket behaviour dfdg adds to strawberry's ASGI view.

Mixed in before ``strawberry.asgi.GraphQL`` (``class DfdgGraphQL(GraphQLOverHTTP, GraphQL)``),
it reads ``self.settings`` and ``self.state`` (``state.eco``) of the view it is mixed into:

* media types of GraphQL over HTTP (``application/graphql-response+json``; dfdg.http.media);
* persisted queries, APQ or allow-list (dfdg.http.persisted), for GET and POST;
* GraphiQL from local assets (dfdg.http.graphiql), so the IDE works without a CDN;
* ``graphql-transport-ws`` subscriptions with the bearer token in the ``connection_init``
  payload (``{"Authorization": "Bearer …"}``).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.http import GraphQLRequestData
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.types import ExecutionResult

from dfdg.auth import AuthError, verify_token
from dfdg.http import media
from dfdg.http.graphiql import graphiql_html
from dfdg.http.observe import operation_of
from dfdg.http.wsadgang import OperationensSkema
from dfdg.schema import databasefejl


class _TextWebSocket(ASGIWebSocketAdapter):
    """Sends every message as a text frame, as graphql-transport-ws requires (the view's
    orjson encoder returns bytes, which strawberry would send as binary frames)."""

    async def send_json(self, message: Any) -> None:
        from starlette.websockets import WebSocketDisconnect

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


def bearer_token(params: dict | None) -> str | None:
    """The token of a connection_init payload: ``Authorization``/``authorization`` as
    ``Bearer <token>``, or a bare ``token``. None when there is none; ValueError when malformed."""
    params = params or {}
    header = next((v for k, v in params.items() if k.lower() == "authorization"), None)
    if header is None:
        headers = params.get("headers")
        if isinstance(headers, dict):
            header = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
    if header is None:
        token = params.get("token")
        return token if isinstance(token, str) and token else None
    if not isinstance(header, str):
        raise ValueError("Authorization skal være en tekst")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ValueError("Authorization skal have formen 'Bearer <token>'")
    return token.strip()


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


__all__ = ["GraphQLOverHTTP", "bearer_token"]
