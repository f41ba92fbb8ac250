"""GraphQL over HTTP media types (graphql-over-http spec): content negotiation and status codes.

``application/graphql-response+json`` is what spec-following clients ask for. Under it a
*request error* (the document does not parse or validate, variables do not coerce, a persisted
query is unknown) is answered with 400 and no ``data`` entry; a response with ``data`` is 200.
Under plain ``application/json`` (legacy clients, a missing Accept, ``*/*``) every well-formed
request is answered with 200, as the spec recommends for that media type. A database that cannot
be reached or does not answer (``DATABASE_UNAVAILABLE``, dfdg.schema.databasefejl) is 503 under
``application/graphql-response+json``, without ``data`` (the view adds ``Retry-After``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import orjson
from starlette.responses import Response

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
SUPPORTED = (GRAPHQL_RESPONSE_JSON, JSON)


def _ranges(accept: str) -> list[tuple[str, float]]:
    out = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        out.append((media, q))
    return out


@lru_cache(maxsize=256)  # clients send a handful of distinct Accept headers, each request again
def negotiate(accept: str | None) -> str | None:
    """The response media type for an Accept header; None when it accepts neither JSON type.

    No Accept header, ``*/*`` and ``application/*`` mean application/json; between the two JSON
    types the higher q wins, and a tie goes to the first listed (the client's own order)."""
    if not accept or not accept.strip():
        return JSON
    best: tuple[float, int, str] | None = None
    for index, (media, q) in enumerate(_ranges(accept)):
        if q <= 0:
            continue
        if media in SUPPORTED:
            candidate = media
        elif media in ("*/*", "application/*"):
            candidate = JSON
        else:
            continue
        key = (q, -index, candidate)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def afvist(status: int, message: str, code: str, headers: dict[str, str] | None = None) -> Response:
    """A request refused before GraphQL runs (its token, body, method), as a GraphQL-shaped JSON
    error: the same under either media type, with the refusal's own status."""
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(orjson.dumps(body), status_code=status, media_type=JSON, headers=headers)


def content_type(media: str) -> str:
    return f"{media}; charset=utf-8"


def is_request_error(response: Mapping[str, Any]) -> bool:
    """No execution happened: no data, and no error points into a result (errors raised while
    executing always carry a ``path``; parse, validation and coercion errors never do)."""
    errors = response.get("errors")
    return response.get("data") is None and bool(errors) and all(
        not (isinstance(e, Mapping) and e.get("path")) for e in errors
    )


def shape(response: Any, media: str) -> tuple[Any, int | None]:
    """(body, status) for one GraphQL response under the negotiated media type; status None
    means "let the view decide" (200)."""
    if media == GRAPHQL_RESPONSE_JSON and isinstance(response, Mapping):
        if er_utilgaengelig_svar(response):
            return {k: v for k, v in response.items() if k != "data"}, 503
        if is_request_error(response):
            return {k: v for k, v in response.items() if k != "data"}, 400
    return response, None


def er_utilgaengelig_svar(response: Mapping[str, Any]) -> bool:
    """No data, and every error is DATABASE_UNAVAILABLE (dfdg.schema.databasefejl)."""
    errors = response.get("errors")
    return response.get("data") is None and bool(errors) and all(
        isinstance(e, Mapping) and (e.get("extensions") or {}).get("code") == "DATABASE_UNAVAILABLE" for e in errors
    )


def error_codes(response: Any) -> list[str]:
    """``extensions.code`` of every error in a response (or a batch of them)."""
    responses = response if isinstance(response, list) else [response]
    codes = []
    for one in responses:
        for error in (one.get("errors") or ()) if isinstance(one, Mapping) else ():
            code = (error.get("extensions") or {}).get("code") if isinstance(error, Mapping) else None
            if code is None and isinstance(error, Mapping):
                code = "GRAPHQL_VALIDATION_FAILED" if not error.get("path") else "ERROR"
            codes.append(str(code))
    return codes
