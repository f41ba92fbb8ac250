"""The request's size and body, checked before authentication and GraphQL.

A GET's URL and a POST's body are bounded by ``DFDG_MAX_BODY_BYTES``; a POST must be one JSON
object in UTF-8 (no batch, no form). What passes is read once: the body is replayed to strawberry,
and its JSON left on the scope for the planned reads' fast path (``scope["state"]["dfdg_krop"]``).
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response
from starlette.types import Message, Receive, Scope

from dfdg.http.media import afvist

# POST bodies must be JSON: a browser cannot send that cross-site without a CORS preflight, so
# forms (urlencoded, multipart) and text/plain — the CSRF vectors — are refused (415).
POST_MEDIETYPER = ("application/json",)

# The request headers the view reads itself (the rest: strawberry's and starlette's own look-ups).
_EGNE_HOVEDER = (b"content-length", b"content-type", b"authorization")


def hoveder(scope: Scope) -> dict[bytes, str]:
    """The first value of each of ``_EGNE_HOVEDER`` in the request, as starlette's ``Headers.get``
    finds it, in one pass over the headers instead of a Headers object and a scan per look-up."""
    fundne: dict[bytes, str] = {}
    for navn, vaerdi in scope.get("headers", ()):
        if navn in _EGNE_HOVEDER and navn not in fundne:
            fundne[navn] = vaerdi.decode("latin-1")
    return fundne


async def graenser(maks: int, scope: Scope, receive: Receive, hoveder: dict[bytes, str]) -> tuple[Response | None, Receive]:
    """Refuse, before authentication and GraphQL: a body over ``maks`` bytes (413), a POST that is
    not JSON (415), a batch — a JSON array of operations (400), a body that is no JSON object in
    UTF-8 (400). Otherwise (None, the ``receive`` to go on with)."""
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

    async def genafspillet() -> Message:
        nonlocal sendt
        if not sendt:
            sendt = True
            return {"type": "http.request", "body": krop, "more_body": False}
        return await receive()

    return genafspillet
