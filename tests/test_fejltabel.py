"""One error shape (issue 13, item 3): the README's table "Errors: what each failure looks like",
row by row, against a real server (uvicorn on a free port) over HTTP — under both media types —
and over the WebSocket (``graphql-transport-ws``); and every error's code and position.

The table is read from README.md: each row names a failure, and ``SONDER`` holds, per failure, the
requests that cause it. A row without a probe, or a probe without a row, fails; so does any cell
the server contradicts: the status under each media type, the set of ``extensions.code`` seen, and
what the WebSocket does (``close 44xx``, an ``error`` message, a ``next`` message with ``errors``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import websockets
from sqlalchemy import text

from dfdg.http.tokens import mint_token
from dfdg.regler.aktoer import Rolle
from tests import factories as f
from tests.eco_support import live_server

README = Path(__file__).resolve().parent.parent / "README.md"
JSON = "application/json"
GQL = "application/graphql-response+json"
# Codes whose errors always point into the document.
MED_STED = {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"}


# --- the table -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Raekke:
    fejl: str
    json: int | None
    gql: int | None
    koder: frozenset[str]
    ws: frozenset[str]


def _status(celle: str) -> int | None:
    m = re.match(r"\s*(\d{3})\b", celle)
    return int(m.group(1)) if m else None


def _ws(celle: str) -> frozenset[str]:
    udfald = {f"close {k}" for k in re.findall(r"close (\d{4})", celle)}
    if "`error` message" in celle:
        udfald.add("error")
    if "`next` with `errors`" in celle:
        udfald.add("next")
    return frozenset(udfald)


def tabellen() -> list[Raekke]:
    tekst = README.read_text(encoding="utf-8")
    sektion = tekst.split("## Errors: what each failure looks like", 1)[1].split("\n## ", 1)[0]
    linjer = [linje for linje in sektion.splitlines() if linje.startswith("|")]
    assert linjer[0].startswith("| failure |"), linjer[0]
    raekker = []
    for linje in linjer[2:]:
        celler = [c.strip() for c in linje.strip().strip("|").split(" | ")]
        assert len(celler) == 5, linje
        fejl, json_, gql, koder, ws = celler
        raekker.append(Raekke(fejl, _status(json_), _status(gql), frozenset(re.findall(r"`([A-Z][A-Z_]+)`", koder)), _ws(ws)))
    return raekker


# --- what a failure did --------------------------------------------------------------------------

@dataclass
class Udfald:
    json: set[int] = field(default_factory=set)
    gql: set[int] = field(default_factory=set)
    koder: set[str] = field(default_factory=set)
    ws: set[str] = field(default_factory=set)
    svar: list = field(default_factory=list)  # every decoded HTTP body and WebSocket message, for assertions

    def fejl(self, errors) -> None:
        for error in errors or ():
            kode = (error.get("extensions") or {}).get("code")
            assert kode, f"en fejl uden extensions.code: {error}"
            if kode in MED_STED:
                assert error.get("locations"), f"en fejl uden locations: {error}"
            self.koder.add(kode)


class Sonde:
    def __init__(self, base: str, settings, engine, app, allowlist: httpx.AsyncClient) -> None:
        self.base = base
        self.app = app
        self.ws_url = base.replace("http://", "ws://") + "/graphql"
        self.settings = settings
        self.engine = engine
        self.allowlist = allowlist
        self.token = mint_token(settings, rolle=Rolle.JOBCENTER, myndighed="10100")

    def bearer(self, token: str | None = None) -> dict:
        return {"Authorization": f"Bearer {token or self.token}"}

    async def http(self, u: Udfald, method: str = "POST", *, json_=None, query: str | None = None,
                   variables: dict | None = None, token: str | None = "standard", headers: dict | None = None,
                   klient: httpx.AsyncClient | None = None, params: dict | None = None,
                   content: bytes | None = None) -> list[httpx.Response]:
        """The same request under each media type; statuses and codes into ``u``."""
        svar = []
        for medie, statusser in ((JSON, u.json), (GQL, u.gql)):
            h = {"Accept": medie, **(headers or {})}
            if token == "standard":
                h.update(self.bearer())
            elif token:
                h.update(self.bearer(token))
            if json_ is None and query is not None:
                body = {"query": query, **({"variables": variables} if variables is not None else {})}
            else:
                body = json_
            async with contextlib.AsyncExitStack() as stack:
                client = klient or await stack.enter_async_context(httpx.AsyncClient(base_url=self.base, timeout=30))
                if method == "GET":
                    r = await client.get("/graphql", params=params, headers=h)
                elif content is not None:
                    r = await client.post("/graphql", content=content, headers=h)
                else:
                    r = await client.post("/graphql", json=body, headers=h)
            statusser.add(r.status_code)
            decoded = r.json()
            u.svar.append(decoded)
            if medie == GQL and r.status_code == 400 and "errors" in decoded and decoded.get("data") is None:
                assert "data" not in decoded, decoded  # a request error: no data entry at all
            u.fejl(decoded.get("errors"))
            svar.append(r)
        return svar

    async def ws(self, u: Udfald, *beskeder: dict, init: dict | None = None, subprotokol: str = "graphql-transport-ws",
                 ack: bool = True, vent: float = 10) -> None:
        """Connect, send ``connection_init`` (unless ``init`` is None), then ``beskeder``; read until
        the operation ends (``complete``/``error``) or the server closes. What happened into ``u``."""
        try:
            async with websockets.connect(self.ws_url, subprotocols=[subprotokol]) as ws:
                if init is not None:
                    await ws.send(json.dumps({"type": "connection_init", "payload": init}))
                    if ack:
                        svar = json.loads(await asyncio.wait_for(ws.recv(), vent))
                        assert svar["type"] == "connection_ack", svar
                for besked in beskeder:
                    await ws.send(json.dumps(besked))
                while True:
                    svar = json.loads(await asyncio.wait_for(ws.recv(), vent))
                    u.svar.append(svar)
                    if svar["type"] == "error":
                        u.ws.add("error")
                        u.fejl(svar["payload"])
                        return
                    if svar["type"] == "next" and svar["payload"].get("errors"):
                        u.ws.add("next")
                        u.fejl(svar["payload"]["errors"])
                    if svar["type"] == "complete":
                        return
        except websockets.ConnectionClosed as closed:
            u.ws.add(f"close {closed.rcvd.code}")
            u.svar.append({"close": closed.rcvd.code, "reason": closed.rcvd.reason})

    def abonner(self, query: str, variables: dict | None = None, operation_name: str | None = None, id_: str = "1") -> dict:
        return {"id": id_, "type": "subscribe",
                "payload": {"query": query, "variables": variables, "operationName": operation_name}}


ABONNEMENT = "subscription { webservicebeskeder { id } }"


# --- the probes, one per row of the table ----------------------------------------------------------

async def _parse(s: Sonde, u: Udfald) -> None:
    await s.http(u, query='{ borger(cpr: "0101901234") { cpr }')
    await s.ws(u, s.abonner("subscription { webservicebeskeder { id }"), init=s.bearer())
    assert u.svar[-1]["reason"].startswith("Syntax Error"), u.svar[-1]


async def _validering(s: Sonde, u: Udfald) -> None:
    await s.http(u, query='{ borger(cpr: "0101901234") { cprr } }')
    await s.http(u, query="{ borgere(first: \"fem\") { totalCount } }")
    await s.http(u, query='query($cpr: String!) { borger(cpr: $cpr) { harRetTilValgAfMoedeform(dato: "2022-13-01") } }',
                 variables={"cpr": "0101901234"})
    await s.ws(u, s.abonner("subscription { webservicebeskeder { findesIkke } }"), init=s.bearer())


async def _variabel(s: Sonde, u: Udfald) -> None:
    await s.http(u, query="query($cpr: String!, $dato: Date) { borger(cpr: $cpr) { selvbooking(dato: $dato) { pligt } } }",
                 variables={"cpr": "0101901234", "dato": "2022-02-30"})
    await s.http(u, query="query($first: Int!) { borgere(first: $first) { totalCount } }", variables={})
    # over the WebSocket: a subscription refused before it starts, a query answered as executed
    await s.ws(u, s.abonner("subscription($vis: Boolean!) { webservicebeskeder { id @include(if: $vis) } }", {"vis": "ja"}),
               init=s.bearer())
    await s.ws(u, s.abonner("query($first: Int!) { borgere(first: $first) { totalCount } }", {"first": "fem"}), init=s.bearer())


async def _graense(s: Sonde, u: Udfald) -> None:
    await s.http(u, query="{ " + " ".join(f"a{i}: __typename" for i in range(20)) + " }")
    await s.http(u, query="{ kodelister { moedeformer { " + " ".join(["id"] * 6000) + " } } }")
    await s.ws(u, s.abonner("subscription { webservicebeskeder { " + " ".join(f"a{i}: id" for i in range(20)) + " } }"),
               init=s.bearer())


async def _first(s: Sonde, u: Udfald) -> None:
    await s.http(u, query="{ borgere(first: 1000) { totalCount } }")
    await s.http(u, query='{ moedetilbud(jobcenter: "10100", last: 1000) { totalCount } }')
    await s.ws(u, s.abonner("{ borgere(first: 1000) { totalCount } }"), init=s.bearer())
    assert [e["extensions"]["argument"] for svar in u.svar for e in _errors(svar)] == ["first"] * 2 + ["last"] * 2 + ["first"], u.svar


def _errors(svar: dict) -> list[dict]:
    if svar.get("type") == "error":
        return svar["payload"]
    if svar.get("type") == "next":
        return svar["payload"].get("errors") or []
    return svar.get("errors") or []


async def _argument(s: Sonde, u: Udfald) -> None:
    await s.http(u, query='{ borger(cpr: "12") { cpr } }')
    await s.http(u, query='{ borgere(first: 2, after: "ikke-en-markoer") { totalCount } }')
    await s.http(u, query="{ borgere(last: -1) { totalCount } }")
    await s.http(u, query="{ jobordrer(first: 2, last: 2) { totalCount } }")
    await s.ws(u, s.abonner('{ borger(cpr: "3213010101") { cpr } }'), init=s.bearer())
    assert u.svar[0]["data"] == {"borger": None}, u.svar[0]
    assert all("argument" in e["extensions"] for svar in u.svar for e in _errors(svar))


async def _operation(s: Sonde, u: Udfald) -> None:
    await s.http(u, json_={"query": "query A { __typename } query B { __typename }", "operationName": "C"})
    await s.ws(u, s.abonner("subscription A { webservicebeskeder { id } }", operation_name="B"), init=s.bearer())


async def _ingen_token(s: Sonde, u: Udfald) -> None:
    [r, _] = await s.http(u, query='{ __typename borger(cpr: "0101901234") { cpr } }', token=None)
    assert r.json()["data"] == {"__typename": "Query", "borger": None}, r.text
    async with httpx.AsyncClient(base_url=s.base) as client:
        svar = await client.post("/graphql", json={"query": "{ __typename __schema { queryType { name } } }"})
    assert svar.json()["data"] == {"__typename": "Query", "__schema": {"queryType": {"name": "Query"}}}
    await s.ws(u, s.abonner(ABONNEMENT), init={})


async def _ugyldig_token(s: Sonde, u: Udfald) -> None:
    udloebet = mint_token(s.settings, rolle=Rolle.JOBCENTER, myndighed="10100", ttl_seconds=-60)
    forfalsket = mint_token(replace(s.settings, jwt_secret="en-angribers-egen-hemmelighed-paa-32-bytes"),
                            rolle=Rolle.JOBCENTER, myndighed="10100")
    for token in (udloebet, forfalsket):
        for r in await s.http(u, query="{ __typename }", token=token):
            assert r.headers["www-authenticate"] == 'Bearer error="invalid_token"'
        await s.ws(u, init=s.bearer(token), ack=False)
    for r in await s.http(u, query="{ __typename }", token=None, headers={"Authorization": "Basic dXNlcjpwdw=="}):
        assert r.headers["www-authenticate"].startswith("Bearer")
    await s.ws(u, init={"Authorization": "Basic dXNlcjpwdw=="}, ack=False)


async def _udloeber(s: Sonde, u: Udfald) -> None:
    token = mint_token(s.settings, rolle=Rolle.AKASSE, myndighed="71717", ttl_seconds=3)
    await s.ws(u, s.abonner("subscription { webservicebeskeder { beskedtype } }"), init=s.bearer(token))
    assert u.svar[-1]["type"] == "complete" and "udløbet" in _errors(u.svar[-2])[0]["message"], u.svar


async def _rolle(s: Sonde, u: Udfald) -> None:
    fremmed = await f.borger(s.engine)  # a citizen of another jobcentre than 10100's
    [r, _] = await s.http(u, query="query($c: String!) { borger(cpr: $c) { cpr } }", variables={"c": fremmed["cpr"]})
    assert r.json()["data"] == {"borger": None} and "errors" not in r.json()
    borger = mint_token(s.settings, rolle=Rolle.BORGER, cpr=fremmed["cpr"])
    [r, _] = await s.http(u, query="mutation($i: FravaerOpretInput!) { fravaerOpret(input: $i) { fravaer { id } fejl { kode } } }",
                          variables={"i": {"cpr": fremmed["cpr"], "fravaerstypeId": 10, "fra": _om(30)}}, token=borger)
    assert r.json()["data"]["fravaerOpret"] == {"fravaer": None, "fejl": [{"kode": 61002}]} and "errors" not in r.json()
    await s.ws(u, s.abonner(ABONNEMENT), init=s.bearer(borger))


def _om(dage: int) -> str:
    """A day relative to the API's today (Copenhagen's), so no row depends on the day the suite runs."""
    from dfdg.context import idag

    return (idag() + timedelta(days=dage)).isoformat()


async def _apq(s: Sonde, u: Udfald) -> None:
    await s.http(u, json_={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}})


async def _allowlist(s: Sonde, u: Udfald) -> None:
    await s.http(u, query="{ __typename }", klient=s.allowlist)
    sha = hashlib.sha256(b"{ kodelister { moedeformer { id } } }").hexdigest()
    await s.http(u, json_={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}}}, klient=s.allowlist)


async def _timeout(s: Sonde, u: Udfald) -> None:
    async with s.engine.connect() as conn:
        transaction = await conn.begin()
        await conn.execute(text("LOCK TABLE jobordre IN ACCESS EXCLUSIVE MODE"))
        try:
            await s.http(u, query="{ jobordrer(first: 1) { totalCount } }")
            await s.ws(u, s.abonner("{ jobordrer(first: 1) { totalCount } }"), init=s.bearer(), vent=20)
        finally:
            await transaction.rollback()
    assert all(e["extensions"].get("fejlId") for svar in u.svar for e in _errors(svar)), u.svar


async def _intern(s: Sonde, u: Udfald) -> None:
    b = await f.borger(s.engine)
    navn = f"test_fejltabel_{b['cpr']}"
    async with s.engine.begin() as conn:
        await conn.execute(text(f"""
            CREATE FUNCTION {navn}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.cpr = '{b['cpr']}' THEN RAISE EXCEPTION 'injiceret'; END IF; RETURN NEW; END $$"""))
        await conn.execute(text(f"CREATE TRIGGER {navn} BEFORE INSERT ON fravaer FOR EACH ROW EXECUTE FUNCTION {navn}()"))
    opret = "mutation($i: FravaerOpretInput!) { fravaerOpret(input: $i) { fravaer { id } } }"
    variables = {"i": {"cpr": b["cpr"], "fravaerstypeId": 10, "fra": _om(30)}}
    token = mint_token(s.settings, rolle=Rolle.JOBCENTER, myndighed=b["jobcenter_nummer"])
    try:
        await s.http(u, query=opret, variables=variables, token=token)
        await s.ws(u, s.abonner(opret, variables), init=s.bearer(token))
    finally:
        async with s.engine.begin() as conn:
            await conn.execute(text(f"DROP TRIGGER {navn} ON fravaer"))
            await conn.execute(text(f"DROP FUNCTION {navn}()"))
    for svar in u.svar:
        if svar.get("type") == "complete":
            continue
        [error] = _errors(svar)
        assert error["extensions"]["fejlId"] in error["message"] and "injiceret" not in error["message"], error


async def _abonnement_over_http(s: Sonde, u: Udfald) -> None:
    await s.http(u, query=ABONNEMENT)
    await s.http(u, "GET", params={"query": ABONNEMENT})


async def _mutation_get(s: Sonde, u: Udfald) -> None:
    for r in await s.http(u, "GET", params={"query": 'mutation { fravaerSlet(id: "1") { slettetId } }'}):
        assert r.headers["allow"] == "POST"


async def _ikke_json(s: Sonde, u: Udfald) -> None:
    await s.http(u, content=b"{ikke json", headers={"Content-Type": "application/json"})
    await s.http(u, json_={"variables": {}})


async def _batch(s: Sonde, u: Udfald) -> None:
    await s.http(u, json_=[{"query": "{ __typename }"}, {"query": "{ __typename }"}])


async def _for_stor(s: Sonde, u: Udfald) -> None:
    await s.http(u, json_={"query": "{ __typename }", "variables": {"fyld": "x" * 100_001}})


async def _lang_url(s: Sonde, u: Udfald) -> None:
    # httpx refuses to build a URL this long; http.client sends it as a client might.
    import http.client
    from urllib.parse import urlencode, urlsplit

    sti = "/graphql?" + urlencode({"query": "{ __typename }", "variables": json.dumps({"fyld": "x" * 100_001})})

    def hent(medie: str) -> tuple[int, dict]:
        forbindelse = http.client.HTTPConnection(urlsplit(s.base).hostname, urlsplit(s.base).port, timeout=30)
        try:
            forbindelse.request("GET", sti, headers={"Accept": medie})
            svar = forbindelse.getresponse()
            return svar.status, json.loads(svar.read())
        finally:
            forbindelse.close()

    for medie, statusser in ((JSON, u.json), (GQL, u.gql)):
        status, body = await asyncio.to_thread(hent, medie)
        statusser.add(status)
        u.svar.append(body)
        u.fejl(body.get("errors"))


async def _ikke_json_post(s: Sonde, u: Udfald) -> None:
    await s.http(u, content=b"query=%7B__typename%7D", headers={"Content-Type": "application/x-www-form-urlencoded"})
    await s.http(u, content=b'{"query": "{ __typename }"}', headers={"Content-Type": "text/plain"})


async def _foer_ack(s: Sonde, u: Udfald) -> None:
    await s.ws(u, s.abonner(ABONNEMENT))


async def _to_init(s: Sonde, u: Udfald) -> None:
    await s.ws(u, {"type": "connection_init", "payload": {}}, init=s.bearer())


async def _samme_id(s: Sonde, u: Udfald) -> None:
    await s.ws(u, s.abonner(ABONNEMENT), s.abonner(ABONNEMENT), init=s.bearer())


async def _ukendt_besked(s: Sonde, u: Udfald) -> None:
    await s.ws(u, {"type": "start", "id": "1", "payload": {"query": ABONNEMENT}}, init=s.bearer())


async def _subprotokol(s: Sonde, u: Udfald) -> None:
    await s.ws(u, init=None, subprotokol="graphql-ws")


async def _init_timeout(s: Sonde, u: Udfald) -> None:
    """The wait is the view's (60 s): shortened on the app of this process, which is driven as an
    ASGI websocket, the server closes 4408."""
    from starlette.routing import WebSocketRoute

    from dfdg.http.view import DfdgGraphQL

    [view] = [r.endpoint for r in s.app.routes if isinstance(r, WebSocketRoute)]
    assert isinstance(view, DfdgGraphQL) and view.connection_init_wait_timeout == timedelta(seconds=60)
    sendt: list[dict] = []
    modtaget = [{"type": "websocket.connect"}]
    lukket = asyncio.Event()

    async def receive() -> dict:
        if modtaget:
            return modtaget.pop(0)
        await lukket.wait()
        return {"type": "websocket.disconnect", "code": 1000}

    async def send(message: dict) -> None:
        sendt.append(message)
        if message["type"] == "websocket.close":
            lukket.set()

    scope = {"type": "websocket", "path": "/graphql", "raw_path": b"/graphql", "root_path": "", "scheme": "ws",
             "query_string": b"", "headers": [(b"sec-websocket-protocol", b"graphql-transport-ws")],
             "subprotocols": ["graphql-transport-ws"], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
             "asgi": {"version": "3.0"}, "state": {}}
    view.connection_init_wait_timeout = timedelta(seconds=0.2)
    try:
        await asyncio.wait_for(s.app(scope, receive, send), 10)
    finally:
        view.connection_init_wait_timeout = timedelta(seconds=60)
    [luk] = [m for m in sendt if m["type"] == "websocket.close"]
    u.ws.add(f"close {luk['code']}")


SONDER = {
    "the document does not parse": _parse,
    "the document does not validate: an unknown field, a wrong argument type, a literal its scalar refuses (`dato: \"2022-13-01\"`)": _validering,
    "a variable's value does not coerce (`$dato: \"2022-02-30\"`), or a required one is missing": _variabel,
    "the document is over a limit: depth, aliases, directives, repeated fields, tokens, cost": _graense,
    "`first` or `last` above `DFDG_MAX_FIRST`": _first,
    "an argument its resolver refuses: a malformed CPR, CVR or jobcentre number, a foreign cursor, a negative `first` or `last`, `first` and `last` together": _argument,
    "`operationName` names no operation of the document": _operation,
    "no token, asking for data (`__typename` and introspection need none)": _ingen_token,
    "an invalid token: expired, forged, another issuer or audience, not `Bearer <token>`": _ugyldig_token,
    "the token of a running subscription expires": _udloeber,
    "a role without access: what it may not read does not exist (`null`, `[]`, an empty connection), a mutation answers `fejl: [{kode: 61002}]`": _rolle,
    "an unknown persisted-query hash (APQ: the client sends the document next)": _apq,
    "a document outside the allow-list (`DFDG_PERSISTED_QUERIES=allowlist`), sent as text or as a hash": _allowlist,
    "the database cancelled a statement after `DFDG_STATEMENT_TIMEOUT_MS`": _timeout,
    "an unexpected error in the server (the message shows only its `fejlId`, which the log has)": _intern,
    "a subscription sent over HTTP": _abonnement_over_http,
    "a mutation sent with GET": _mutation_get,
    "a body that is not JSON, or has no `query`": _ikke_json,
    "a batch (a JSON array of operations)": _batch,
    "a body over `DFDG_MAX_BODY_BYTES`": _for_stor,
    "a GET whose query string is over `DFDG_MAX_BODY_BYTES`": _lang_url,
    "a POST that is not `application/json` (a form, `text/plain`: the CSRF vectors)": _ikke_json_post,
    "`subscribe` before the server's `connection_ack`": _foer_ack,
    "a second `connection_init`": _to_init,
    "`subscribe` with an `id` that is already running": _samme_id,
    "a message that is not `graphql-transport-ws`": _ukendt_besked,
    "another subprotocol (the legacy `graphql-ws` of subscriptions-transport-ws)": _subprotokol,
    "no `connection_init` within 60 s of connecting": _init_timeout,
}

RAEKKER = tabellen()


def test_every_row_of_the_table_has_a_probe_and_every_probe_a_row():
    navne = [r.fejl for r in RAEKKER]
    assert len(navne) == len(set(navne)), "to rækker med samme fejl"
    assert set(navne) - set(SONDER) == set(), "rækker i README uden en sonde i SONDER"
    assert set(SONDER) - set(navne) == set(), "sonder uden en række i README's tabel"


@pytest.fixture(scope="module")
async def sonde(database_url, settings, engine, app):
    from dfdg.http.app import create_app

    # A short statement timeout, so the cancelled-statement row takes a second, not five.
    with live_server(database_url, settings, env={"DFDG_STATEMENT_TIMEOUT_MS": "1500"}) as base:
        allow = create_app(replace(settings, persisted_queries="allowlist"), database_url)
        async with allow.router.lifespan_context(allow):
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=allow), base_url="http://testserver") as klient:
                yield Sonde(base, settings, engine, app, klient)


@pytest.mark.parametrize("raekke", RAEKKER, ids=[str(i) for i in range(1, len(RAEKKER) + 1)])
async def test_each_row_of_the_error_table_holds(sonde, raekke):
    u = Udfald()
    await SONDER[raekke.fejl](sonde, u)
    hvad = f"{raekke.fejl}: {u.svar}"
    assert u.json == ({raekke.json} if raekke.json else set()), hvad
    assert u.gql == ({raekke.gql} if raekke.gql else set()), hvad
    assert u.koder == set(raekke.koder), hvad
    assert u.ws == set(raekke.ws), hvad


# --- positions: a refused literal is located where it stands ---------------------------------------

async def test_a_bad_date_literal_has_the_literal_s_location(api):
    token = api.jobcenter("10100")
    body = await api('query($cpr: String!) {\n  borger(cpr: $cpr) {\n    harRetTilValgAfMoedeform(dato: "2022-13-01")\n  }\n}',
                     {"cpr": "0101901234"}, token=token)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert error["locations"] == [{"line": 3, "column": 36}], error
    assert "Date" in error["message"]


async def test_a_bad_literal_inside_an_input_object_is_located_at_itself(api):
    token = api.jobcenter("10100")
    body = await api('mutation {\n  fravaerOpret(input: {cpr: "0101901234", fravaerstypeId: 10,\n    fra: "2022-02-30"}) { fejl { kode } }\n}',
                     token=token)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert error["locations"] == [{"line": 3, "column": 10}], error


async def test_every_error_of_a_request_error_has_a_code_on_both_media_types(api):
    """Parse, validation and variable errors, as graphql-http's clients see them."""
    token = api.jobcenter("10100")
    for query, variables, kode in (
        ("{ borger(", None, "GRAPHQL_PARSE_FAILED"),
        ("{ findesIkke }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("query($d: DateTime) { moedetilbud(jobcenter: \"10100\", fra: $d) { totalCount } }", {"d": "i går"}, "BAD_USER_INPUT"),
    ):
        for medie, status in ((JSON, 200), (GQL, 400)):
            r = await api.post(query, variables, token=token, headers={"Accept": medie})
            assert r.status_code == status
            assert [e["extensions"]["code"] for e in r.json()["errors"]] == [kode], r.text
            assert all(e["locations"] for e in r.json()["errors"]), r.text


async def test_the_request_log_and_the_metrics_name_the_code_the_client_got(api, caplog):
    """They called every error without a path GRAPHQL_VALIDATION_FAILED; now each its own code."""
    caplog.set_level(logging.INFO, logger="dfdg.request")
    caplog.clear()
    await api("query Stavefejl { borger(")
    await api("query Ukendt { findesIkke }")
    await api("query Variabel($first: Int!) { borgere(first: $first) { totalCount } }", {"first": "fem"})
    linjer = [json.loads(r.getMessage()) for r in caplog.records if r.name == "dfdg.request"]
    assert [linje["errors"] for linje in linjer] == [
        ["GRAPHQL_PARSE_FAILED"], ["GRAPHQL_VALIDATION_FAILED"], ["BAD_USER_INPUT"]], linjer
    metrics = (await api.http.get("/metrics")).text
    assert 'code="GRAPHQL_PARSE_FAILED"' in metrics
