"""CORS for /graphql: browser pages on the origins of ``DFDG_CORS_ORIGINS`` (none by default) may
call the API across origins.

* Exact origins only (``dfdg.settings.oprindelse``), no wildcard, and never credentials (no
  ``Access-Control-Allow-Credentials``): the API takes a bearer token in ``Authorization``, not
  cookies, so a page must hold the token to use it.
* A preflight (``OPTIONS /graphql`` with ``Origin`` and ``Access-Control-Request-Method``) from an
  allowed origin, for GET or POST and only the headers of ``HEADERS``, is answered 204 with the
  allowed methods and headers and a max-age of ``MAX_AGE`` seconds; any other preflight is refused
  (403, a JSON error saying why, and no CORS headers, so the browser blocks the request).
* A GET or POST from an allowed origin gets ``Access-Control-Allow-Origin`` and
  ``Access-Control-Expose-Headers`` (the request id, ``WWW-Authenticate``); every request with an
  ``Origin`` gets ``Vary: Origin``, since the answer depends on it.

``dfdg.http.app._App`` calls this in front of the GraphQL endpoint, the planned reads' fast path
included. With no origins configured nothing is looked up per request, and with origins configured
a request without ``Origin`` (a server-side client, the gateway) costs one scan of its headers.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from starlette.types import Message, Receive, Scope, Send

from dfdg.settings import oprindelse

METHODS = ("GET", "POST")
# What clients of this API send: the token and JSON (the fetch standard only lets a page send
# Content-Type: application/json after a preflight), GraphQL over HTTP's Accept, the idempotency
# key of mutations, a request id for the logs, and the headers Apollo's clients add (client name
# and version; Apollo Server's CSRF-prevention headers, which Apollo Client can be told to send).
HEADERS = (
    "authorization", "content-type", "accept", "idempotency-key", "x-request-id",
    "apollographql-client-name", "apollographql-client-version", "apollo-require-preflight",
    "x-apollo-operation-name",
)
EXPOSED = ("x-request-id", "www-authenticate")
# Chromium caches a preflight for at most two hours, Firefox for a day.
MAX_AGE = 7200

_VARY_PREFLIGHT = b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"


def _hoved(scope: Scope, navn: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == navn:
            return value
    return None


def _afvist(besked: str) -> tuple[int, list, bytes]:
    body = orjson.dumps({"errors": [{"message": besked, "extensions": {"code": "CORS_PREFLIGHT_REJECTED"}}]})
    return 403, [(b"content-type", b"application/json"), (b"vary", _VARY_PREFLIGHT)], body


class Cors:
    def __init__(self, origins: Iterable[str]) -> None:
        self.origins = frozenset(oprindelse(o).encode("latin-1") for o in origins)
        self._svar_hoveder = (
            (b"access-control-expose-headers", ", ".join(EXPOSED).encode()),
            (b"vary", b"Origin"),
        )

    def origin(self, scope: Scope) -> bytes | None:
        """The request's ``Origin``, when there are origins to allow (else None, without looking)."""
        return _hoved(scope, b"origin") if self.origins else None

    def send(self, send: Send, origin: bytes) -> Send:
        """``send`` with the CORS headers of an actual (not preflight) request from ``origin``."""
        ekstra = ((b"access-control-allow-origin", origin), *self._svar_hoveder) if origin in self.origins \
            else ((b"vary", b"Origin"),)

        async def med_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *ekstra]}
            await send(message)

        return med_cors

    def preflight_svar(self, scope: Scope) -> tuple[int, list, bytes]:
        """Status, headers and body for ``OPTIONS /graphql``."""
        origin = _hoved(scope, b"origin")
        metode = _hoved(scope, b"access-control-request-method")
        if origin is None or metode is None:  # not a preflight: what the resource allows
            return 204, [(b"allow", b"GET, POST, OPTIONS")], b""
        tekst = origin.decode("latin-1")
        if origin not in self.origins:
            return _afvist(f"Oprindelsen {tekst} må ikke kalde API'et fra en browser "
                           "(tilladte oprindelser sættes i DFDG_CORS_ORIGINS).")
        metode_tekst = metode.decode("latin-1").strip()
        if metode_tekst not in METHODS:
            return _afvist(f"Metoden {metode_tekst} er ikke tilladt fra {tekst}; kun GET og POST.")
        oenskede = (_hoved(scope, b"access-control-request-headers") or b"").decode("latin-1").lower()
        ikke_tilladte = [h for h in (h.strip() for h in oenskede.split(",")) if h and h not in HEADERS]
        if ikke_tilladte:
            return _afvist(f"Headeren {', '.join(ikke_tilladte)} er ikke tilladt fra {tekst}; "
                           f"tilladt er {', '.join(HEADERS)}.")
        return 204, [
            (b"access-control-allow-origin", origin),
            (b"access-control-allow-methods", ", ".join(METHODS).encode()),
            (b"access-control-allow-headers", ", ".join(HEADERS).encode()),
            (b"access-control-max-age", str(MAX_AGE).encode()),
            (b"vary", _VARY_PREFLIGHT),
        ], b""

    async def preflight(self, scope: Scope, receive: Receive, send: Send) -> None:
        status, headers, body = self.preflight_svar(scope)
        if body:
            headers = [*headers, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
