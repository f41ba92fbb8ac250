"""Bad input is never a 500 or an internal error (issue 11, item 5), and the SDL is not for anonymous
callers when introspection is off (issue 11, item 7).

Every case goes through the GraphQL HTTP endpoint of the planned app (the fast path answers JSON
POSTs) and of the reference app (``DFDG_PLANNED_READS=0``), and the WebSocket and a real uvicorn
where the issue saw the failure: a body that is no JSON object, a character PostgreSQL text cannot
hold in any string argument, an idempotency key over its documented maximum, a token claim of the
wrong type, several operations without ``operationName``.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx
import jwt
import pytest
from sqlalchemy import text

from dfdg.http.app import create_app
from dfdg.schema.mutation.faelles import IDEMPOTENSNOEGLE_MAKS
from tests import factories as f
from tests.eco_support import live_server

SDL = Path(__file__).resolve().parent.parent / "schema.graphql"
GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture
def klienter(http, reference):
    """The planned app's client and the reference app's."""
    return {"planlagt": http, "reference": reference}


def _fejl(r: httpx.Response, status: int, kode: str) -> dict:
    assert r.status_code == status, r.text
    [error] = r.json()["errors"]
    assert error["extensions"]["code"] == kode, error
    return error


# --- the body: a JSON object, in UTF-8 ---------------------------------------------------------------

@pytest.mark.parametrize("krop,ord_", [
    (b"null", "null"), (b"5", "et tal"), (b'"x"', "en tekst"), (b"true", "en sandhedsværdi"),
    (b"\xff\xfe{}", "UTF-8"), (b'{"query": "{ __typename }\xff"}', "UTF-8"),
    (b'{"query": "{ __typename }\\ud800"}', "UTF-8"),  # an unpaired surrogate: no UTF-8 can carry it
    (b"\xef\xbb\xbf{}", "UTF-8"), (b"{", "JSON"), (b"", "JSON"),
])
async def test_a_body_that_is_no_json_object_in_utf8_is_400_before_authentication(klienter, krop, ord_):
    for klient in klienter.values():
        # a token that would be refused: the body is judged first, and never a 500
        r = await klient.post("/graphql", content=krop, headers={"Content-Type": "application/json",
                                                                   "Authorization": "Bearer forkert"})
        error = _fejl(r, 400, "BAD_REQUEST")
        assert ord_ in error["message"] and "Forespørgslens krop" in error["message"], error


@pytest.mark.parametrize("dybde", [990, 1020])
async def test_json_nested_a_thousand_levels_deep_is_no_500(api, klienter, dybde):
    """orjson takes 1,024 levels; json.loads ran out of Python recursion below that (a 500)."""
    vaerdi = "[" * dybde + "]" * dybde
    token = f"Bearer {api.jobcenter('10100')}"
    for klient in klienter.values():
        r = await klient.get("/graphql", params={"query": BORGERE, "variables": f'{{"a": {vaerdi}}}'},
                             headers={"Authorization": token})
        assert r.status_code == 200 and r.json()["data"] is None and r.json()["errors"], r.text
        krop = f'{{"query": {json.dumps(BORGERE)}, "variables": {{"a": {vaerdi}}}}}'
        r = await klient.post("/graphql", content=krop, headers={"Authorization": token, "Content-Type": "application/json"})
        assert r.status_code == 200 and r.json()["data"] is None and r.json()["errors"], r.text


# --- characters PostgreSQL text cannot hold ----------------------------------------------------------

SLET = "mutation($id: ID!, $k: String) { fravaerSlet(id: $id, input: {idempotensnoegle: $k}) { slettetId } }"
SLET_INPUT = "mutation($id: ID!, $i: FravaerSletInput) { fravaerSlet(id: $id, input: $i) { slettetId } }"
SLET_LITERAL = 'mutation($id: ID!) { fravaerSlet(id: $id, input: {idempotensnoegle: "a\\u0000b"}) { slettetId } }'
AFSLUT = """mutation($id: ID!, $k: String) { indsatsAfslut(id: $id, input: {slutdato: "2026-01-01", ophoersaarsagId: 1,
  idempotensnoegle: $k}) { fejl { kode } } }"""
BOOKING = """mutation($id: ID!, $k: String) { updateBooking(id: $id, input: {sted: "Her", idempotensnoegle: $k}) { fejl { kode } } }"""
BORGERE = "query($a: String) { borgere(filter: {akasse: $a}) { totalCount } }"
BORGERE_LITERAL = 'query { borgere(filter: {akasse: "12\\u0000"}) { totalCount } }'


async def _fravaer(engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1)
    row = await f.fravaer(engine, b["cpr"], 10, date(2021, 6, 1), date(2021, 6, 14))
    return jc, b, row


async def _findes(engine, fravaer_id: int) -> bool:
    async with engine.connect() as conn:
        return bool((await conn.execute(text("SELECT count(*) FROM fravaer WHERE id = :i"), {"i": fravaer_id})).scalar())


def _bad_input(r: httpx.Response, argument: str) -> dict:
    error = _fejl(r, 200, "BAD_USER_INPUT")
    assert r.json()["data"] is None
    assert error["extensions"]["argument"] == argument and f"'{argument}" in error["message"], error
    assert "ikke kan gemmes" in error["message"], error
    return error


async def test_a_nul_in_a_string_argument_is_bad_user_input_naming_it(api, klienter, engine):
    jc, b, row = await _fravaer(engine)
    token = f"Bearer {api.jobcenter(jc['nummer'])}"
    indsats = await f.indsats(engine, b["cpr"])
    indkaldelse = await f.indkaldelse(engine, b["cpr"], jc["nummer"])
    tilfaelde = [
        (SLET, {"id": str(row["id"]), "k": "a\x00b"}, "input.idempotensnoegle"),
        (SLET_INPUT, {"id": str(row["id"]), "i": {"idempotensnoegle": "\x00"}}, "input.idempotensnoegle"),
        (SLET_LITERAL, {"id": str(row["id"])}, "input.idempotensnoegle"),
        (AFSLUT, {"id": str(indsats["id"]), "k": "x\x00"}, "input.idempotensnoegle"),
        (BOOKING, {"id": str(indkaldelse["id"]), "k": "x\x00"}, "input.idempotensnoegle"),
        (BORGERE, {"a": "12\x00"}, "filter.akasse"),
        (BORGERE_LITERAL, {}, "filter.akasse"),
    ]
    for _navn, klient in klienter.items():
        for query, variables, argument in tilfaelde:
            r = await klient.post("/graphql", json={"query": query, "variables": variables}, headers={"Authorization": token})
            _bad_input(r, argument)
        # a request error for clients of the spec's media type
        r = await klient.post("/graphql", json={"query": BORGERE, "variables": {"a": "\x00"}},
                              headers={"Authorization": token, "Accept": GRAPHQL_RESPONSE})
        assert r.status_code == 400 and "data" not in r.json(), r.text
    assert await _findes(engine, row["id"]), "fraværet blev slettet trods afvisningen"


async def test_over_get_a_nul_is_bad_user_input_and_a_lone_surrogate_no_json(api, klienter):
    """A GET's variables are JSON as a POST body is: an unpaired surrogate cannot be UTF-8 (400)."""
    token = f"Bearer {api.jobcenter('10100')}"
    for klient in klienter.values():
        r = await klient.get("/graphql", params={"query": BORGERE, "variables": json.dumps({"a": "1\x00"})},
                             headers={"Authorization": token})
        _bad_input(r, "filter.akasse")
        r = await klient.get("/graphql", params={"query": BORGERE, "variables": json.dumps({"a": "1\ud800"})},
                             headers={"Authorization": token})
        _fejl(r, 400, "BAD_REQUEST")


async def test_a_character_postgresql_cannot_hold_in_an_unused_variable_is_ignored(api, engine):
    """Only what the operation declares is looked at: graphql-core ignores the rest as well."""
    body = await api("{ __typename }", {"ubrugt": "\x00"})
    assert body["data"] == {"__typename": "Query"}


# --- the idempotency key: at most IDEMPOTENSNOEGLE_MAKS characters -----------------------------------

OPRET = """mutation($input: FravaerOpretInput!) { fravaerOpret(input: $input) { fravaer { id } fejl { kode } } }"""
LANGT_ALIAS = "a" * 300


async def test_an_idempotency_key_over_its_maximum_is_bad_user_input_before_the_database(api, klienter, engine):
    assert IDEMPOTENSNOEGLE_MAKS == 255  # the README documents it
    for navn, klient in klienter.items():
        jc, b, _ = await _fravaer(engine)
        h = {"Authorization": f"Bearer {api.jobcenter(jc['nummer'])}"}
        opret = {"cpr": b["cpr"], "fravaerstypeId": 10, "fra": "2026-08-03"}
        # 8,000 random characters failed inside PostgreSQL (an index entry holds ~2,700 bytes)
        for noegle in ("x" * 256, "".join(chr(0x4E00 + i) for i in range(8000))):
            r = await klient.post("/graphql", json={"query": OPRET, "variables": {"input": {**opret, "idempotensnoegle": noegle}}},
                                  headers=h)
            error = _fejl(r, 200, "BAD_USER_INPUT")
            assert error["extensions"]["argument"] == "input.idempotensnoegle" and "255 tegn" in error["message"], error
            assert "idempotensnoegle" in error["message"] and r.json()["data"] is None
        r = await klient.post("/graphql", json={"query": OPRET, "variables": {"input": opret}},
                              headers={**h, "Idempotency-Key": "k" * 256})
        error = _fejl(r, 200, "BAD_USER_INPUT")
        assert error["extensions"]["argument"] == "Idempotency-Key" and "Idempotency-Key" in error["message"], error
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM fravaer WHERE cpr = :c AND fra = '2026-08-03'"),
                                       {"c": b["cpr"]})).scalar() == 0, navn


async def test_the_longest_key_of_the_widest_characters_with_the_longest_subject_is_kept(api, settings, klienter, engine):
    """At the bounds (a 255-character key of 4-byte characters, a 255-character ``sub`` of them, an
    alias of any length with the header) the key is stored and a repeat returns the first result."""
    for navn, klient in klienter.items():
        jc, b, _ = await _fravaer(engine)
        # a subject of its own per path: the keys are the caller's (the database is shared)
        token = api.token("jobcenter", myndighed=jc["nummer"], subjekt="😀" * 254 + navn[0])
        h = {"Authorization": f"Bearer {token}"}
        noegle = "🙂" * IDEMPOTENSNOEGLE_MAKS
        svar = []
        for fra in ("2026-09-01", "2026-09-02"):  # a repeat with the same key writes nothing
            variables = {"input": {"cpr": b["cpr"], "fravaerstypeId": 10, "fra": fra, "idempotensnoegle": noegle}}
            r = await klient.post("/graphql", json={"query": OPRET, "variables": variables}, headers=h)
            assert r.status_code == 200 and "errors" not in r.json(), r.text
            svar.append(r.json()["data"]["fravaerOpret"]["fravaer"]["id"])
        assert svar[0] == svar[1], navn
        alias = f"mutation($input: FravaerOpretInput!) {{ {LANGT_ALIAS}: fravaerOpret(input: $input) {{ fravaer {{ id }} }} }}"
        for _ in range(2):
            r = await klient.post("/graphql", json={"query": alias, "variables": {"input": {
                "cpr": b["cpr"], "fravaerstypeId": 10, "fra": "2026-09-10"}}}, headers={**h, "Idempotency-Key": "ø".encode("latin-1") * 255})
            assert r.status_code == 200 and "errors" not in r.json(), r.text
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM fravaer WHERE cpr = :c"), {"c": b["cpr"]})).scalar() == 3, navn


# --- several operations and no operationName ---------------------------------------------------------

TO_OPERATIONER = "query A { kodelister { moedeformer { id } } } query B { __typename }"


async def test_several_operations_without_operation_name_are_refused_as_the_spec_says(api, klienter):
    h = {"Authorization": f"Bearer {api.jobcenter('10100')}"}
    for navn, klient in klienter.items():
        for accept, status in (("application/json", 200), (GRAPHQL_RESPONSE, 400)):
            for r in (
                await klient.post("/graphql", json={"query": TO_OPERATIONER}, headers={**h, "Accept": accept}),
                await klient.get("/graphql", params={"query": TO_OPERATIONER}, headers={**h, "Accept": accept}),
            ):
                error = _fejl(r, status, "BAD_USER_INPUT")
                assert error["extensions"]["argument"] == "operationName" and "'operationName'" in error["message"]
                assert "2 operationer (A, B)" in error["message"], error
                assert r.json().get("data") is None, (navn, r.text)
        # named, each runs
        r = await klient.post("/graphql", json={"query": TO_OPERATIONER, "operationName": "B"}, headers=h)
        assert r.json() == {"data": {"__typename": "Query"}, "extensions": r.json()["extensions"]}
        r = await klient.post("/graphql", json={"query": TO_OPERATIONER, "operationName": "A"}, headers=h)
        assert r.json()["data"]["kodelister"]["moedeformer"], r.text


# --- token claims of the wrong type ------------------------------------------------------------------

def _claims(settings, **kw) -> dict:
    now = int(time.time())
    value = {"sub": "sagsbehandler-1", "rolle": "jobcenter", "myndighed": "10100", "iss": settings.jwt_issuer,
             "aud": settings.jwt_audience, "iat": now, "exp": now + 600}
    value.update(kw)
    return {k: v for k, v in value.items() if v is not None}


DAARLIGE_CLAIMS = [
    ({"myndighed": 10100}, "myndighed"),
    ({"myndighed": ["10100"]}, "myndighed"),
    ({"myndighed": "101\x0000"}, "myndighed"),
    ({"myndighed": "1" * 65}, "myndighed"),
    ({"rolle": "borger", "myndighed": None, "cpr": 101901234}, "cpr"),
    ({"rolle": "borger", "myndighed": None, "cpr": "12345"}, "cpr"),
    ({"rolle": "borger", "myndighed": None, "cpr": "01019O1234"}, "cpr"),
    ({"rolle": "borger", "myndighed": None, "cpr": "０１０１９０１２３４"}, "cpr"),  # full-width digits
    ({"sub": "a\x00b"}, "sub"),
    ({"sub": "s" * 256}, "sub"),
    ({"rolle": 5}, "rolle"),
    ({"rolle": ["jobcenter"]}, "rolle"),
]


@pytest.mark.parametrize("claims,claim", DAARLIGE_CLAIMS)
async def test_a_claim_of_the_wrong_type_is_401_naming_it(http, reference, settings, claims, claim):
    token = jwt.encode(_claims(settings, **claims), settings.jwt_secret, algorithm="HS256")
    for klient in (http, reference):
        r = await klient.post("/graphql", json={"query": '{ borger(cpr: "0101901234") { cpr } }'},
                              headers={"Authorization": f"Bearer {token}"})
        error = _fejl(r, 401, "UNAUTHENTICATED")
        assert f"'{claim}'" in error["message"] or "rolle" in error["message"], error
        assert r.headers["www-authenticate"].startswith("Bearer")


async def test_claims_at_their_bounds_are_accepted(http, settings):
    for claims in ({"sub": "s" * 255, "myndighed": "1" * 64}, {"rolle": "borger", "myndighed": None, "cpr": "0101901234"},
                   {"rolle": "vitas", "myndighed": None, "sub": "Åse Ærø, Vitas"}):
        token = jwt.encode(_claims(settings, **claims), settings.jwt_secret, algorithm="HS256")
        r = await http.post("/graphql", json={"query": "{ kodelister { moedeformer { id } } }"},
                            headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200 and "errors" not in r.json(), (claims, r.text)


# --- a real server, and the WebSocket ----------------------------------------------------------------

@pytest.fixture(scope="module")
def server(database_url, settings):
    with live_server(database_url, settings) as base:
        yield base


async def test_a_real_server_answers_bad_bodies_and_claims_and_keeps_the_connection(server, settings):
    token = jwt.encode(_claims(settings, myndighed=10100), settings.jwt_secret, algorithm="HS256")
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        for krop in (b"null", b"5", b"\xff"):
            _fejl(await client.post("/graphql", content=krop, headers={"Content-Type": "application/json"}), 400, "BAD_REQUEST")
        r = await client.post("/graphql", json={"query": '{ borger(cpr: "0101901234") { cpr } }'},
                              headers={"Authorization": f"Bearer {token}"})
        assert "'myndighed'" in _fejl(r, 401, "UNAUTHENTICATED")["message"]
        # the same connection still serves
        assert (await client.get("/healthz")).text == "ok"


def _ws(server: str):
    import websockets

    return websockets.connect(server.replace("http://", "ws://") + "/graphql", subprotocols=["graphql-transport-ws"])


@pytest.mark.parametrize("claims,claim", [DAARLIGE_CLAIMS[i] for i in (0, 2, 4, 8, 10)])
async def test_a_claim_of_the_wrong_type_is_refused_in_connection_init_saying_why(server, settings, claims, claim):
    import websockets

    token = jwt.encode(_claims(settings, **claims), settings.jwt_secret, algorithm="HS256")
    async with _ws(server) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd.code == 4403
    reason = closed.value.rcvd.reason
    assert "Ugyldigt token" in reason or "rolle" in reason, reason
    assert len(reason.encode()) <= 123


async def test_over_the_websocket_several_operations_and_a_nul_are_refused(server, settings):
    """graphql-transport-ws runs queries and mutations too: the same checks, the same answers."""
    token = jwt.encode(_claims(settings, rolle="jobcenter", myndighed="10100"), settings.jwt_secret, algorithm="HS256")
    async with _ws(server) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
        for i, (payload, argument) in enumerate([
            ({"query": "subscription A { webservicebeskeder { id } } subscription B { webservicebeskeder { beskedtype } }"},
             "operationName"),
            ({"query": SLET, "variables": {"id": "1", "k": "\x00"}}, "input.idempotensnoegle"),
            ({"query": SLET_LITERAL, "variables": {"id": "1"}}, "input.idempotensnoegle"),
        ]):
            await ws.send(json.dumps({"id": str(i), "type": "subscribe", "payload": payload}))
            svar = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert svar["type"] == "error" and svar["id"] == str(i), svar
            [error] = svar["payload"]
            assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["argument"] == argument, svar


# --- _service { sdl } with introspection off -------------------------------------------------------

@pytest.fixture(scope="module")
async def produktion(settings, database_url):
    app = create_app(replace(settings, introspection=False), database_url)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://produktion") as client:
            yield client


async def test_the_sdl_needs_an_authenticated_caller_when_introspection_is_off(produktion, api):
    for r in (await produktion.post("/graphql", json={"query": "{ _service { sdl } }"}),
              await produktion.get("/graphql", params={"query": "query Sdl { _service { __typename } }"}),
              await produktion.post("/graphql", json={"query": "{ _service { sdl } }"}, headers={"Accept": GRAPHQL_RESPONSE})):
        assert r.status_code == 200, r.text
        [error] = r.json()["errors"]
        assert error["extensions"]["code"] == "UNAUTHENTICATED" and error["path"] == ["_service"], error
        assert r.json()["data"] is None and "type Borger" not in r.text
    # the router, with its own credential, gets the SDL: the committed schema.graphql
    r = await produktion.post("/graphql", json={"query": "{ _service { sdl } }"},
                              headers={"Authorization": f"Bearer {api.token('vitas', subjekt='router')}"})
    assert r.json()["data"]["_service"]["sdl"] + "\n" == SDL.read_text(encoding="utf-8")


async def test_the_sdl_stays_open_with_introspection_on(api):
    body = await api("{ _service { sdl } }")
    assert "type Borger" in body["data"]["_service"]["sdl"]
