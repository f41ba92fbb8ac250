"""Hostile queries: the classic GraphQL attack probes, each refused with a clear message before any
SQL runs; the HTTP-level refusals (body size, batching, GET mutation, forms/CSRF); the database's
statement timeout; error masking; introspection and suggestions behind one setting."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace

import httpx
import pytest
from graphql import get_introspection_query
from sqlalchemy import text

from dfdg.db.engine import create_engine
from tests import factories as f

KODE = "QUERY_LIMIT_EXCEEDED"


def _graense(body: dict, graense: str) -> dict:
    """The one limit error of a refused query (no data, nothing executed)."""
    assert body.get("data") is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == KODE and error["extensions"]["graense"] == graense, error
    assert body["extensions"]["sql"]["statements"] == 0
    return error


@pytest.fixture(scope="module")
def token(api):
    return api.jobcenter("10100")


# --- the attack probes -------------------------------------------------------------------------------

async def test_alias_overloading_101_aliases(api, token):
    query = "{ " + " ".join(f'a{i}: borger(cpr: "0101901234") {{ cpr }}' for i in range(101)) + " }"
    error = _graense(await api(query, token=token), "aliaser")
    assert error["message"] == "Forespørgslen bruger 101 aliaser; grænsen er 15 (maksimalt antal aliaser)."
    assert (error["extensions"]["fundet"], error["extensions"]["maks"]) == (101, 15)


async def test_aliases_are_counted_where_a_fragment_is_spread(api, token):
    query = ("{ ...F ...G } fragment F on Query { a: kodelister { x: moedeformer { id } } b: kodelister { moedeformer { id } } } "
             "fragment G on Query { c: kodelister { ...H ...H } } fragment H on Kodelister { " +
             " ".join(f"k{i}: moedeformer {{ id }}" for i in range(6)) + " }")
    _graense(await api(query, token=token), "aliaser")  # 3 + 6 x 2 = 15 ... + 1 = 16


async def test_500_duplicated_fields(api, token):
    error = _graense(await api("{ kodelister { moedeformer { " + "id " * 500 + "} } }", token=token), "gentagne_felter")
    assert "Feltet 'id' er valgt 500 gange" in error["message"]


async def test_duplicates_through_fragments_are_counted(api, token):
    query = "{ kodelister { moedeformer { ...F " + "...F " * 30 + "} } } fragment F on Moedeform { id }"
    _graense(await api(query, token=token), "gentagne_felter")


async def test_more_than_10_unknown_directives(api, token):
    query = "{ kodelister " + " ".join(f"@d{i}" for i in range(11)) + " { moedeformer { id } } }"
    error = _graense(await api(query, token=token), "direktiver")
    assert error["message"] == "Forespørgslen bruger 11 direktiver; grænsen er 10 (maksimalt antal direktiver)."


async def test_known_directives_count_too(api, token):
    query = "{ kodelister { " + " ".join(f"m{i}: moedeformer @include(if: true) {{ id }}" for i in range(11)) + " } }"
    _graense(await api(query, token=token), "direktiver")


async def test_deep_nesting(api, token):
    indre = "id"
    for _ in range(6):
        indre = f"fravaer {{ borger {{ {indre} }} }}"
    error = _graense(await api('{ borger(cpr: "0101901234") { ' + indre + " } }", token=token), "dybde")
    assert error["message"] == "Forespørgslen er 14 niveauer dyb; grænsen er 12 (maksimal dybde)."


async def test_deep_nesting_through_fragments(api, token):
    query = ('{ borger(cpr: "0101901234") { ...A } } fragment A on Borger { fravaer { borger { ...B } } } '
             "fragment B on Borger { fravaer { borger { ...C } } } fragment C on Borger { fravaer { borger { ...D } } } "
             "fragment D on Borger { fravaer { borger { ...E } } } fragment E on Borger { fravaer { borger { ...G } } } "
             "fragment G on Borger { fravaer { borger { cpr } } }")
    _graense(await api(query, token=token), "dybde")


async def test_circular_introspection_query(api):
    query = "{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }"
    body = await api(query)
    assert body["data"] is None
    assert body["errors"][0]["message"] == "Maximum introspection depth exceeded"


async def test_graphiqls_own_introspection_query_works(api):
    body = await api(get_introspection_query(descriptions=True, specified_by_url=True, directive_is_repeatable=True,
                                             schema_description=True, input_value_deprecation=True))
    assert "errors" not in body and body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_a_huge_first(api, token):
    """Refused before anything runs, as the resolver would refuse it: BAD_USER_INPUT naming 'first'."""
    for query, variables in (('{ borgere(first: 1000000) { nodes { cpr } } }', None),
                             ("query($n: Int) { jobordrer(first: $n) { totalCount } }", {"n": 10**9})):
        body = await api(query, variables, token=token)
        assert body["data"] is None and body["extensions"]["sql"]["statements"] == 0
        [error] = body["errors"]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}
        assert error["message"].startswith("Argumentet 'first' må højst være 100 (feltet ")


async def test_first_defaults_and_negative_first_is_a_clear_mistake(api, token):
    body = await api("{ borgere(first: -1) { totalCount } }", token=token)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}
    assert "ikke være negativt" in body["errors"][0]["message"]


async def test_cost_multiplies_a_connection_by_first(api, token):
    # 100 citizens x 10 referrals x a job order x 10 referrals x a citizen x 10 referrals ...
    query = """{ borgere(first: 100) { nodes { formidlinger { jobordre { formidlinger { borger {
                   formidlinger { jobordre { id } } } } } } } } }"""
    error = _graense(await api(query, token=token), "kostpris")
    assert error["extensions"]["maks"] == 50000 and error["extensions"]["fundet"] > 50000
    assert "kan returnere op til" in error["message"]
    # the same shape with first: 2 is fine
    assert "errors" not in await api(query.replace("first: 100", "first: 2"), token=token)


async def test_the_issue_query_with_first_100_is_within_the_limits(api, token):
    query = """query($first: Int) { borgere(first: $first) { nodes { cpr
      fravaer { id fra fravaerstype { id navn } } indkaldelser { id starttid moedeform { id udgaaet } moedelink }
      kontaktpersoner { id navn } joblog { id ansoegningsdato }
      selvbooking(dato: "2022-10-15") { pligt fritaget frist fritagetAf { id } } } } }"""
    body = await api(query, {"first": 100}, token=token)
    assert "errors" not in body, body["errors"]


async def test_too_many_tokens(api, token):
    query = "{ kodelister { moedeformer { " + " ".join(["id"] * 6000) + " } } }"
    body = await api(query, token=token)
    error = _graense(body, "tokens")
    assert error["message"] == "Forespørgslen har mere end 5000 leksikalske tokens; grænsen er 5000 (maksimalt antal tokens)."
    assert error["extensions"]["maks"] == 5000 and error["locations"]


# --- HTTP-level refusals ------------------------------------------------------------------------------

def _http_fejl(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == code
    return error["message"]


async def test_array_batching_is_refused(http, token):
    batch = [{"query": "{ kodelister { moedeformer { id } } }"}] * 2
    message = _http_fejl(await http.post("/graphql", json=batch), 400, "BATCHING_NOT_SUPPORTED")
    assert "én operation pr. request" in message


async def test_get_never_mutates(api, http, engine, token):
    b = await f.borger(engine)
    mutation = f'mutation {{ fravaerOpret(input: {{cpr: "{b["cpr"]}", fravaerstypeId: 10, fra: "2030-01-01"}}) {{ fejl {{ kode }} }} }}'
    response = await http.get("/graphql", params={"query": mutation}, headers={"Authorization": f"Bearer {token}"})
    assert "kun sendes med POST" in _http_fejl(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "POST"
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM fravaer WHERE cpr = :c"), {"c": b["cpr"]})).scalar() == 0
    # a query over GET is fine
    ok = await http.get("/graphql", params={"query": "{ kodelister { moedeformer { id } } }"}, headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and ok.json()["data"]["kodelister"]["moedeformer"]


@pytest.mark.parametrize("form", ["urlencoded", "multipart", "text/plain", "none"])
async def test_form_encoded_post_is_refused_csrf(http, form):
    query = "{ kodelister { moedeformer { id } } }"
    kwargs = {
        "urlencoded": {"data": {"query": query}},
        "multipart": {"files": {"operations": (None, json.dumps({"query": query}))}},
        "text/plain": {"content": json.dumps({"query": query}), "headers": {"Content-Type": "text/plain"}},
        "none": {"content": json.dumps({"query": query})},
    }[form]
    response = await http.post("/graphql", **kwargs)
    assert "Content-Type: application/json" in _http_fejl(response, 415, "UNSUPPORTED_MEDIA_TYPE")


async def test_json_with_charset_is_fine(http):
    response = await http.post("/graphql", content=json.dumps({"query": "{ __typename }"}),
                               headers={"Content-Type": "application/json; charset=utf-8"})
    assert response.status_code == 200 and response.json()["data"] == {"__typename": "Query"}


async def test_a_repeated_header_counts_by_its_first_value(http, api):
    krop = json.dumps({"query": "{ __typename }"})
    json_foerst = [("Content-Type", "application/json"), ("Content-Type", "text/plain")]
    assert (await http.post("/graphql", content=krop, headers=json_foerst)).status_code == 200
    _http_fejl(await http.post("/graphql", content=krop, headers=json_foerst[::-1]), 415, "UNSUPPORTED_MEDIA_TYPE")
    token = api.jobcenter("10100")
    gyldig_foerst = [("Content-Type", "application/json"), ("Authorization", f"Bearer {token}"), ("Authorization", "Basic x")]
    assert (await http.post("/graphql", content=krop, headers=gyldig_foerst)).status_code == 200
    r = await http.post("/graphql", content=krop, headers=[gyldig_foerst[0], *gyldig_foerst[:0:-1]])
    assert r.status_code == 401


async def test_request_body_size_is_capped(http):
    stor = json.dumps({"query": "{ __typename }", "variables": {"x": "a" * 200_000}})
    assert "100000 bytes" in _http_fejl(
        await http.post("/graphql", content=stor, headers={"Content-Type": "application/json"}), 413, "PAYLOAD_TOO_LARGE")

    async def chunks():  # no Content-Length: counted while read
        for _ in range(30):
            yield b" " * 10_000
        yield stor.encode()

    response = await http.post("/graphql", content=chunks(), headers={"Content-Type": "application/json"})
    _http_fejl(response, 413, "PAYLOAD_TOO_LARGE")


async def test_malformed_json_is_a_clear_400(http):
    response = await http.post("/graphql", content="{not json", headers={"Content-Type": "application/json"})
    assert "JSON" in _http_fejl(response, 400, "BAD_REQUEST")


# --- error masking -------------------------------------------------------------------------------------

async def test_client_mistakes_keep_their_message(api, token):
    syntax = await api("{ borger(cpr: ", token=token)
    assert syntax["errors"][0]["message"].startswith("Syntax Error")
    validation = await api("{ borger(cpr: 1) { cpr } }", token=token)
    assert "String cannot represent a non string value" in validation["errors"][0]["message"]
    unknown = await api('{ borger(cpr: "0101901234") { cprr } }', token=token)
    assert unknown["errors"][0]["message"] == "Cannot query field 'cprr' on type 'Borger'. Did you mean 'cpr'?"
    bad = await api('{ borger(cpr: "12") { cpr } }', token=token)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and "CPR" in bad["errors"][0]["message"]


# --- the database's statement timeout -----------------------------------------------------------------

async def test_a_slow_statement_is_cancelled_by_the_database(settings, database_url):
    engine = create_engine(replace(settings, statement_timeout_ms=100), database_url)
    try:
        started = time.perf_counter()
        with pytest.raises(Exception) as raised:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT pg_sleep(5)"))
        assert time.perf_counter() - started < 2
        assert getattr(raised.value.orig, "sqlstate", None) == "57014"  # query_canceled
    finally:
        await engine.dispose()


# --- a second app: production settings (introspection off, tighter limits, a short timeout) ------------

@pytest.fixture(scope="module")
async def produktion(settings, database_url):
    from dfdg.http.app import create_app

    app = create_app(replace(settings, introspection=False, max_aliases=2, max_depth=3, statement_timeout_ms=300), database_url)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            yield client


async def _post(client, query, token=None, variables=None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_introspection_off_and_suggestions_go_with_it(produktion, token):
    body = await _post(produktion, "{ __schema { queryType { name } } }")
    assert "introspection has been disabled" in body["errors"][0]["message"]
    body = await _post(produktion, '{ __type(name: "Borger") { name } }')
    assert "introspection has been disabled" in body["errors"][0]["message"]
    assert (await _post(produktion, "{ __typename }"))["data"] == {"__typename": "Query"}
    unknown = await _post(produktion, '{ borger(cpr: "0101901234") { cprr } }', token)
    assert unknown["errors"][0]["message"] == "Cannot query field 'cprr' on type 'Borger'."
    arg = await _post(produktion, '{ borger(cpx: "0101901234") { cpr } }', token)
    assert all("Did you mean" not in e["message"] for e in arg["errors"])
    variabel = await _post(produktion, "query($f: BorgerFilter) { borgere(filter: $f) { totalCount } }", token, {"f": {"jobcentr": "1"}})
    assert variabel["errors"] and all("Did you mean" not in e["message"] for e in variabel["errors"])
    # GraphiQL goes too
    ide = await produktion.get("/graphql", headers={"Accept": "text/html"})
    assert ide.status_code == 404


async def test_limits_come_from_the_settings(produktion, token):
    body = await _post(produktion, "{ a: kodelister { moedeformer { id } } b: kodelister { moedeformer { id } } c: __typename }", token)
    assert body["errors"][0]["extensions"]["graense"] == "aliaser" and body["errors"][0]["extensions"]["maks"] == 2
    body = await _post(produktion, '{ borger(cpr: "0101901234") { fravaer { fravaerstype { id } } } }', token)
    assert body["errors"][0]["extensions"]["graense"] == "dybde"


async def test_a_request_cannot_hold_a_connection_for_long(produktion, engine, token):
    """A statement waiting on a lock is cancelled after statement_timeout_ms; the caller gets a
    clear error with an error id, not a hung request."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
        await conn.execute(text("LOCK TABLE jobordre IN ACCESS EXCLUSIVE MODE"))
        try:
            started = time.perf_counter()
            body = await asyncio.wait_for(_post(produktion, "{ jobordrer(first: 1) { totalCount } }", token), timeout=10)
            elapsed = time.perf_counter() - started
        finally:
            await transaction.rollback()
    assert elapsed < 3
    [error] = body["errors"]
    assert error["extensions"]["code"] == "STATEMENT_TIMEOUT" and error["extensions"]["fejlId"]
    assert "tog for lang tid" in error["message"]


# --- the cost per request, remembered while within the limit ----------------------------------------

def test_the_cost_is_remembered_per_document_and_value_of_the_variables_it_reads(monkeypatch):
    from graphql import parse

    from dfdg.schema import graenser, schema
    from dfdg.settings import Settings

    gs, s = schema._schema, Settings()
    kost = parse("query($n: Int = 1000, $c: String) { borgere(first: $n) { nodes { cpr } } borger(cpr: $c) { cpr } }")
    # null is not absent: null skips the default (1000, over max_first), absent takes it
    assert graenser.kostprisfejl(gs, kost, None, {"n": None}, s) == []
    [fejl] = graenser.kostprisfejl(gs, kost, None, {}, s)
    assert fejl.extensions == {"code": "BAD_USER_INPUT", "argument": "first"}
    assert graenser.kostprisfejl(gs, kost, None, {"n": 10, "c": "0101010101"}, s) == []
    assert graenser.kostprisfejl(gs, kost, None, {"n": 101, "c": "0101010101"}, s)  # every time, not remembered
    assert graenser.kostprisfejl(gs, kost, None, {"n": 101, "c": "0101010101"}, s)
    # True == 1, but True is no `first` (the default applies): over a limit that 1 is within
    bil = replace(s, max_cost=graenser.kostprisfejl(gs, kost, None, {"n": 1}, replace(s, max_cost=0))[0].extensions["fundet"])
    assert graenser.kostprisfejl(gs, kost, None, {"n": 1}, bil) == []
    assert graenser.kostprisfejl(gs, kost, None, {"n": True}, bil)
    # other settings, other answer
    assert graenser.kostprisfejl(gs, kost, None, {"n": 10}, replace(s, max_first=5))

    # within the limit, the same document and `first` again: no walk of the document; another
    # variable (the CPR number) does not count
    def gaa_ikke(*args, **kw):
        raise AssertionError("the document was walked again")

    monkeypatch.setattr(graenser, "_Kostpris", gaa_ikke)
    assert graenser.kostprisfejl(gs, kost, None, {"n": 10, "c": "0202020202"}, s) == []
    assert graenser.kostprisfejl(gs, kost, None, {"n": None}, s) == []
    with pytest.raises(AssertionError, match="walked"):
        graenser.kostprisfejl(gs, kost, None, {"n": 11}, s)
    with pytest.raises(AssertionError, match="walked"):  # a list value is not remembered
        graenser.kostprisfejl(gs, parse("query($r: [_Any!]!) { _entities(representations: $r) { __typename } }"),
                              None, {"r": []}, s)


def test_last_costs_what_first_does_and_is_refused_above_max_first():
    """Paging backwards (issue 13, item 6): a connection multiplies its children by ``last`` as by
    ``first``; ``last`` above max_first is refused before anything runs, naming it; a variable given
    as ``last`` is read per request."""
    from graphql import parse

    from dfdg.schema import graenser, schema
    from dfdg.settings import Settings

    gs, s = schema._schema, Settings()
    nul = replace(s, max_cost=0)
    for n in (1, 50, 100):
        [frem] = graenser.kostprisfejl(gs, parse(f"{{ borgere(first: {n}) {{ nodes {{ fravaer {{ id }} }} }} }}"), None, None, nul)
        [tilbage] = graenser.kostprisfejl(gs, parse(f"{{ borgere(last: {n}) {{ nodes {{ fravaer {{ id }} }} }} }}"), None, None, nul)
        assert tilbage.extensions["fundet"] == frem.extensions["fundet"] > n
    [fejl] = graenser.kostprisfejl(gs, parse("{ borgere(last: 101) { totalCount } }"), None, None, s)
    assert fejl.extensions == {"code": "BAD_USER_INPUT", "argument": "last"}
    assert fejl.message.startswith("Argumentet 'last' må højst være 100")
    doc = parse("query($n: Int) { borgere(last: $n) { nodes { cpr } } }")
    assert graenser.kostprisfejl(gs, doc, None, {"n": 10}, s) == []
    assert graenser.kostprisfejl(gs, doc, None, {"n": 101}, s)  # not the answer remembered for 10
