"""Bad input: malformed identifiers and page arguments are the caller's mistake (BAD_USER_INPUT,
naming the argument), never a 500 or an empty result; callers without a valid token are told so."""

from __future__ import annotations

import base64
from dataclasses import replace

import orjson
import pytest

from dfdg.http.tokens import mint_token
from dfdg.regler.aktoer import Rolle
from tests import factories as f

BORGER = "query($cpr: String!) { borger(cpr: $cpr) { cpr } }"


@pytest.fixture(scope="module")
def token(api) -> str:
    return api.jobcenter("10100")


# --- CPR (CODELISTS.md, identifier formats) --------------------------------------------------------

@pytest.mark.parametrize("cpr", [
    "123456789",      # 9 digits
    "12345678901",    # 11 digits
    "",               # empty
    "01019O1234",     # a letter O
    "0101-01234",     # a dash
    "0113901234",     # month 13
    "0100901234",     # month 0
    "3201901234",     # day 32
    "0001901234",     # day 0
    "3002901234",     # 30 February
    "3104901234",     # 31 April
    "０１０１９０１２３４",  # full-width digits
])
async def test_malformed_cpr_is_bad_user_input_naming_cpr(api, token, cpr):
    body = await api(BORGER, {"cpr": cpr}, token=token)
    f.kraev_bad_input(body, "cpr")
    assert body["data"] == {"borger": None}


async def test_cpr_failing_modulus_11_with_a_real_date_is_accepted(api, engine, token):
    ukendt = f.ny_cpr(mod11=False)
    body = await api(BORGER, {"cpr": ukendt}, token=token)
    assert body["data"] == {"borger": None} and "errors" not in body
    kendt = await f.borger(engine, cpr=f.ny_cpr(mod11=False))
    eget = api.jobcenter(kendt["jobcenter_nummer"])
    assert (await api.data(BORGER, {"cpr": kendt["cpr"]}, token=eget))["borger"] == {"cpr": kendt["cpr"]}


async def test_29_february_is_always_accepted(api, engine, token):
    for cpr in ("2902011234", "2902001234", "2902991235"):
        body = await api(BORGER, {"cpr": cpr}, token=token)
        assert "errors" not in body, cpr
    b = await f.borger(engine, cpr="2902" + f.ny_cpr()[4:])
    eget = api.jobcenter(b["jobcenter_nummer"])
    assert (await api.data(BORGER, {"cpr": b["cpr"]}, token=eget))["borger"] == {"cpr": b["cpr"]}


# --- CVR, P-number, jobcentre ----------------------------------------------------------------------

KONTI = "query($cvr: String, $p: String) { virksomhedskonti(cvrNummer: $cvr, pNummer: $p) { totalCount } }"


@pytest.mark.parametrize("cvr", ["13748137", "1374813", "137481360", "1374813A", ""])
async def test_malformed_cvr_is_bad_user_input(api, token, cvr):
    f.kraev_bad_input(await api(KONTI, {"cvr": cvr}, token=token), "cvrNummer")


async def test_valid_cvr_is_accepted(api, token):
    body = await api(KONTI, {"cvr": "13748136"}, token=token)
    assert "errors" not in body


@pytest.mark.parametrize("p", ["123456789", "12345678901", "12345678x0", ""])
async def test_malformed_p_nummer_is_bad_user_input(api, token, p):
    f.kraev_bad_input(await api(KONTI, {"cvr": "13748136", "p": p}, token=token), "pNummer")
    f.kraev_bad_input(await api(KONTI, {"p": p}, token=token), "pNummer")


@pytest.mark.parametrize("query,argument", [
    ('{ moedetilbud(jobcenter: "1234") { totalCount } }', "jobcenter"),
    ('{ moedetilbud(jobcenter: "123456") { totalCount } }', "jobcenter"),
    ('{ moedetilbud(jobcenter: "1234x") { totalCount } }', "jobcenter"),
    ('{ borgere(filter: {jobcenter: "1234"}) { totalCount } }', "jobcenter"),
    ('{ borgere(filter: {myndighed: "1234"}) { totalCount } }', "myndighed"),
    ('{ cvSoegning(filter: {jobcenter: "1234"}) { totalCount } }', "jobcenter"),
    ('{ cvSoegning(filter: {myndighed: "ab1"}) { totalCount } }', "myndighed"),
    ('{ jobordrer(filter: {ansvarligtJobcenter: "1234"}) { totalCount } }', "ansvarligtJobcenter"),
])
async def test_malformed_jobcenter_or_myndighed_is_bad_user_input(api, token, query, argument):
    f.kraev_bad_input(await api(query, token=token), argument)


# --- first / after ---------------------------------------------------------------------------------

LISTER = [
    "borgere(first: $first, after: $after)",
    "cvSoegning(first: $first, after: $after)",
    'moedetilbud(jobcenter: "10100", first: $first, after: $after)',
    "jobordrer(first: $first, after: $after)",
    "virksomhedskonti(first: $first, after: $after)",
    "webservicebeskeder(first: $first, after: $after)",
]


def _liste(felt: str) -> str:
    return f"query($first: Int, $after: String) {{ {felt} {{ edges {{ cursor }} }} }}"


def _markoer(values) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode()


@pytest.mark.parametrize("felt", LISTER)
@pytest.mark.parametrize("first", [101, -1, 1_000_000])
async def test_first_out_of_range_is_bad_user_input(api, token, felt, first):
    f.kraev_bad_input(await api(_liste(felt), {"first": first}, token=token), "first")


@pytest.mark.parametrize("felt", LISTER)
async def test_first_0_and_100_are_accepted(api, token, felt):
    for first in (0, 100):
        body = await api(_liste(felt), {"first": first}, token=token)
        assert "errors" not in body, (felt, first, body["errors"])


@pytest.mark.parametrize("felt", [x for x in LISTER if not x.startswith("webservicebeskeder")])
@pytest.mark.parametrize("after", [
    "garbage!", "", "====", _markoer({"a": 1}), _markoer([]), _markoer([1, 2, 3]),
    base64.urlsafe_b64encode(b"\xff\xfe not json").decode(),
])
async def test_garbage_after_cursor_is_bad_user_input(api, token, felt, after):
    f.kraev_bad_input(await api(_liste(felt), {"after": after}, token=token), "after")


async def test_cursor_of_the_wrong_type_for_the_list_is_bad_user_input(api, token):
    """Sealed as the API seals cursors, but with values that are no sort key of the list."""
    from dfdg.db.queries import encode_cursor

    f.kraev_bad_input(await api(_liste(LISTER[3]), {"after": encode_cursor(["ikke et tal"])}, token=token), "after")
    f.kraev_bad_input(await api(_liste(LISTER[2]), {"after": encode_cursor(["ikke en tid", 1])}, token=token), "after")
    f.kraev_bad_input(await api(_liste(LISTER[2]), {"after": encode_cursor([])}, token=token), "after")


async def test_bad_date_is_rejected_before_anything_runs(api, engine, token):
    b = await f.borger(engine)
    for query, variables in [
        ('query($cpr: String!) { borger(cpr: $cpr) { harRetTilValgAfMoedeform(dato: "2022-13-01") } }', {"cpr": b["cpr"]}),
        ('query($cpr: String!, $d: Date) { borger(cpr: $cpr) { selvbooking(dato: $d) { pligt } } }', {"cpr": b["cpr"], "d": "2022-02-30"}),
        ('query($d: DateTime) { moedetilbud(jobcenter: "10100", fra: $d) { totalCount } }', {"d": "i går"}),
    ]:
        body = await api(query, variables, token=token)
        assert body["data"] is None
        assert "Date" in body["errors"][0]["message"]
        assert f.fejlkoder(body) != ["INTERNAL_SERVER_ERROR"]
        assert body["extensions"]["sql"]["statements"] == 0


# --- tokens ----------------------------------------------------------------------------------------

DATAFELTER = [
    '{ borger(cpr: "0101901234") { cpr } }',
    "{ borgere { totalCount } }",
    "{ cvSoegning { totalCount } }",
    '{ indkaldelse(id: "1") { id } }',
    '{ moedetilbud(jobcenter: "10100") { totalCount } }',
    '{ jobordre(id: "1") { id } }',
    "{ jobordrer { totalCount } }",
    "{ virksomhedskonti { totalCount } }",
    "{ kodelister { moedeformer { id } } }",
    "{ webservicebeskeder { totalCount } }",
    '{ node(id: "Qm9yZ2VyOjAxMDE5MDEyMzQ") { id } }',
]


@pytest.mark.parametrize("query", DATAFELTER)
async def test_no_token_on_a_data_field_is_unauthenticated(api, query):
    body = await api(query)
    assert f.fejlkoder(body) == ["UNAUTHENTICATED"]
    assert not any((body["data"] or {}).values())
    assert "Authorization" in body["errors"][0]["message"]


@pytest.mark.parametrize("query", DATAFELTER)
async def test_no_token_is_checked_before_the_arguments(api, query):
    """Without a token, a malformed argument gets UNAUTHENTICATED, not a hint about the argument."""
    bad = query.replace("0101901234", "9999").replace('"10100"', '"1"')
    assert f.fejlkoder(await api(bad)) == ["UNAUTHENTICATED"]


async def test_typename_and_introspection_work_without_a_token(api):
    assert await api.data("{ __typename }") == {"__typename": "Query"}
    data = await api.data("{ __schema { queryType { name } types { name } } }")
    assert data["__schema"]["queryType"]["name"] == "Query"
    assert "Borger" in {t["name"] for t in data["__schema"]["types"]}


async def test_graphiql_is_served_without_a_token(api):
    r = await api.http.get("/graphql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "graphiql" in r.text.lower()


def _forged(settings) -> str:
    return mint_token(replace(settings, jwt_secret="an-attacker-s-own-secret-of-32-bytes!!"), rolle=Rolle.JOBCENTER, myndighed="10100")


@pytest.mark.parametrize("header", [
    "forged", "expired", "other-audience", "other-issuer", "no-myndighed", "unknown-role", "not-a-jwt",
    "basic", "empty-bearer", "borger-without-cpr",
])
async def test_bad_token_is_http_401(api, settings, header):
    import jwt

    secret = settings.jwt_secret
    claims = {"sub": "x", "rolle": "jobcenter", "myndighed": "10100", "iss": settings.jwt_issuer,
              "aud": settings.jwt_audience, "exp": 4_102_444_800}
    value = {
        "forged": f"Bearer {_forged(settings)}",
        "expired": f"Bearer {mint_token(settings, rolle=Rolle.JOBCENTER, myndighed='10100', ttl_seconds=-60)}",
        "other-audience": "Bearer " + jwt.encode({**claims, "aud": "another-api"}, secret, algorithm="HS256"),
        "other-issuer": "Bearer " + jwt.encode({**claims, "iss": "someone-else"}, secret, algorithm="HS256"),
        "no-myndighed": "Bearer " + jwt.encode({k: v for k, v in claims.items() if k != "myndighed"}, secret, algorithm="HS256"),
        "unknown-role": "Bearer " + jwt.encode({**claims, "rolle": "admin"}, secret, algorithm="HS256"),
        "not-a-jwt": "Bearer abc.def.ghi",
        "basic": "Basic dXNlcjpwdw==",
        "empty-bearer": "Bearer ",
        "borger-without-cpr": "Bearer " + jwt.encode({**claims, "rolle": "borger"}, secret, algorithm="HS256"),
    }[header]
    for query in ('{ borger(cpr: "0101901234") { cpr } }', "{ __typename }"):
        r = await api.post(query, headers={"Authorization": value})
        assert r.status_code == 401, (header, r.text)
        assert r.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert r.headers["www-authenticate"].startswith("Bearer")


async def test_alg_none_token_is_rejected(api, settings):
    import jwt

    unsigned = jwt.encode({"sub": "x", "rolle": "jobcenter", "myndighed": "10100", "iss": settings.jwt_issuer,
                           "aud": settings.jwt_audience, "exp": 4_102_444_800}, None, algorithm="none")
    r = await api.post("{ __typename }", headers={"Authorization": f"Bearer {unsigned}"})
    assert r.status_code == 401


