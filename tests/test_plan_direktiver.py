"""@skip/@include whose ``if:`` is a variable are planned (issue 12): a plan per combination of those
variables' values, made when first asked for, on the fast path (a JSON POST) and in the executor
hook (a GET), answering exactly as the reference executor (``DFDG_PLANNED_READS=0``) does —
defaults, null, @skip and @include on one field, on fields, fragments, inline fragments and nested
selections. And ``extensions.sql.planlagt`` (``DFDG_DEBUG=1``) says whether a plan answered.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import httpx
import orjson
import pytest

from dfdg.http.app import create_app
from tests import factories as f
from tests.test_plan_differential import _normaliser, laest  # noqa: F401 - laest is a fixture

FELTER = """query($cpr: String!, $a: Boolean!) {
  borger(cpr: $cpr) { cpr fornavn @include(if: $a) efternavn @skip(if: $a) }
}"""
# @skip and @include on one field, and on root fields
BEGGE = """query($cpr: String!, $a: Boolean!, $b: Boolean!) {
  borger(cpr: $cpr) { navn @include(if: $a) @skip(if: $b) cpr }
  kodelister @skip(if: $a) { moedeformer { id } }
}"""
FRAGMENTER = """query($cpr: String!, $a: Boolean!, $b: Boolean!) {
  borger(cpr: $cpr) {
    cpr
    ...F @include(if: $a)
    ... on Borger @skip(if: $a) { fornavn }
    ... @include(if: $b) { efternavn }
    fravaer @include(if: $b) { id fravaerstype @skip(if: $a) { id navn } fra @include(if: $a) }
  }
}
fragment F on Borger { navn kontaktgruppe @include(if: $b) { id } ... on Node @skip(if: $b) { id } }"""
STANDARD = """query($cpr: String!, $a: Boolean = true, $b: Boolean! = false) {
  borger(cpr: $cpr) { cpr fornavn @include(if: $a) efternavn @include(if: $b) }
}"""
# graphql-core evaluates @include only when @skip did not skip: a null it never reads is no error
NULL_ULAEST = """query($cpr: String!, $n: Boolean = true) {
  borger(cpr: $cpr) { cpr fornavn @skip(if: true) @include(if: $n) }
}"""
NULL_ROD = """query($cpr: String!, $n: Boolean = true) { borger(cpr: $cpr) @include(if: $n) { cpr } }"""
NULL_INDERST = """query($cpr: String!, $n: Boolean = true) {
  borger(cpr: $cpr) { cpr fravaer { id fra @include(if: $n) } }
}"""
ALLE = [(a, b) for a in (True, False) for b in (True, False)]


@pytest.fixture(scope="module")
async def borger(engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1)
    for dage in (3, 40):
        await f.fravaer(engine, b["cpr"], 56, date.today() - timedelta(days=dage), date.today() - timedelta(days=dage - 2))
    return b, jc


class Begge:
    def __init__(self, api, app, reference, laeste, borger) -> None:
        self.api, self.planlaegger, self.reference, self.laest = api, app.state.planlaegger, reference, laeste
        self.cpr = borger[0]["cpr"]
        self.headers = {"Authorization": f"Bearer {api.jobcenter(borger[1]['nummer'])}"}

    async def svar(self, query: str, variables: dict, *, get: bool = False) -> tuple[bool | None, dict]:
        """Both paths' answers must agree (JSON, access-log record); the planned one's
        ``extensions.sql.planlagt`` and its body are returned."""
        variables = {"cpr": self.cpr, **variables}
        if get:  # through strawberry's pipeline: planned in the executor hook
            params = {"query": query, "variables": orjson.dumps(variables).decode()}
            pl = await self.api.http.get("/graphql", params=params, headers=self.headers)
        else:
            pl = await self.api.http.post("/graphql", json={"query": query, "variables": variables}, headers=self.headers)
        pl_laest = self.laest[-1]
        ref = await self.reference.post("/graphql", json={"query": query, "variables": variables}, headers=self.headers)
        ref_laest = self.laest[-1]
        a, b = _normaliser(pl.content), _normaliser(ref.content)
        assert pl.status_code == ref.status_code and a[0] == b[0], f"\n{query}\n{variables}\n{a[0]}\n{b[0]}"
        assert pl_laest == ref_laest, (query, variables)
        assert b[2] is False  # the reference executor answered
        return a[2], orjson.loads(a[0])


@pytest.fixture
async def begge(api, app, reference, laest, borger):  # noqa: F811
    return Begge(api, app, reference, laest, borger)


@pytest.mark.parametrize("get", [False, True], ids=["hurtigvejen", "executoren"])
async def test_skip_and_include_with_variables_plan_and_answer_as_the_reference(begge, get):
    planlaegger = begge.planlaegger
    for a in (True, False):
        planlagt, body = await begge.svar(FELTER, {"a": a}, get=get)
        assert planlagt is True and list(body["data"]["borger"]) == ["cpr", "fornavn" if a else "efternavn"]
    for query in (BEGGE, FRAGMENTER):
        for a, b in ALLE:
            hurtige = planlaegger.hurtige
            planlagt, body = await begge.svar(query, {"a": a, "b": b}, get=get)
            assert planlagt is True and "errors" not in body, (query, a, b, body)
            assert planlaegger.hurtige == hurtige + (not get)
    _, body = await begge.svar(BEGGE, {"a": True, "b": False}, get=get)
    assert list(body["data"]) == ["borger"] and list(body["data"]["borger"]) == ["navn", "cpr"]
    _, body = await begge.svar(FRAGMENTER, {"a": True, "b": False}, get=get)
    assert list(body["data"]["borger"]) == ["cpr", "navn", "id"]
    _, body = await begge.svar(FRAGMENTER, {"a": False, "b": True}, get=get)
    borger = body["data"]["borger"]
    assert list(borger) == ["cpr", "fornavn", "efternavn", "fravaer"] and len(borger["fravaer"]) == 2
    assert list(borger["fravaer"][0]) == ["id", "fravaerstype"]
    # defaults: the variable's own, unless given
    for variables, felter in (({}, ["cpr", "fornavn"]), ({"a": False}, ["cpr"]), ({"b": True}, ["cpr", "fornavn", "efternavn"]),
                              ({"a": False, "b": True}, ["cpr", "efternavn"])):
        planlagt, body = await begge.svar(STANDARD, variables, get=get)
        assert planlagt is True and list(body["data"]["borger"]) == felter, variables
    # null where graphql-core reads it: its error, from the reference (at the root, and below a field)
    planlagt, body = await begge.svar(NULL_ROD, {"n": None}, get=get)
    assert planlagt is False and body["data"] is None and "'$n'" in body["errors"][0]["message"], body
    planlagt, body = await begge.svar(STANDARD, {"a": None}, get=get)
    assert planlagt is False and body["data"]["borger"] is None and body["errors"][0]["path"] == ["borger"], body
    planlagt, body = await begge.svar(NULL_INDERST, {"n": None}, get=get)
    # ([Fravaer!]!: the error nulls the citizen)
    assert planlagt is False and body["data"]["borger"] is None and body["errors"][0]["path"] == ["borger", "fravaer", 0]
    # … and where it does not (the field is skipped first): planned
    planlagt, body = await begge.svar(NULL_ULAEST, {"n": None}, get=get)
    assert planlagt is True and list(body["data"]["borger"]) == ["cpr"]


async def test_one_plan_per_combination_of_the_directives_variables(begge):
    planlaegger = begge.planlaegger
    foer = planlaegger.kompiler.kompiler
    kompileret = []

    def taelende(document, operation, direktiver=None):
        kompileret.append(direktiver)
        return foer(document, operation, direktiver)

    planlaegger.kompiler.kompiler = taelende
    try:
        query = BEGGE + " "  # a text of its own: compiled here, not by another test
        for runde in range(3):
            for a, b in ALLE:
                # the executor hook (GET) finds the fast path's plans: strawberry's parser cache gives it the same operation
                planlagt, _ = await begge.svar(query, {"a": a, "b": b}, get=runde == 2)
                assert planlagt is True
            if runde == 0:
                # the document is validated once, and each combination compiled once
                operation, plan, _ = planlaegger._dokumenter[(query, None)]
                assert plan is None
                planer = {k[1]: v[1] for k, v in planlaegger._varianter.items() if k[0] == id(operation)}
                assert sorted(planer) == sorted(ALLE) and len({id(p) for p in planer.values()}) == 4
        assert kompileret == [{"a": a, "b": b} for a, b in ALLE]
        assert planlaegger._dokumenter[(query, None)][0] is operation
        assert {k[1]: v[1] for k, v in planlaegger._varianter.items() if k[0] == id(operation)} == planer
    finally:
        planlaegger.kompiler.kompiler = foer


OPRET = """mutation($input: FravaerOpretInput!, $vis: Boolean!) {
  fravaerOpret(input: $input) { fravaer @include(if: $vis) { fra fravaerstype { id } } fejl { kode } }
}"""
OPRET_MED_BORGER = """mutation($input: FravaerOpretInput!) {
  fravaerOpret(input: $input) { fravaer { id borger { cpr } } fejl { kode } }
}"""


async def test_extensions_sql_planlagt_says_whether_the_plan_answered(api, app, engine, settings, database_url):
    planlaegger = app.state.planlaegger
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1)
    token = api.jobcenter(jc["nummer"])

    async def planlagt(query: str, variables: dict | None = None, *, get: bool = False):
        if get:
            r = await api.http.get("/graphql", params={"query": query, "variables": orjson.dumps(variables or {}).decode()},
                                   headers={"Authorization": f"Bearer {token}"})
            body = r.json()
        else:
            body = await api(query, variables, token=token)
        return body["extensions"]["sql"]["planlagt"], body

    query = "query($cpr: String!) { borger(cpr: $cpr) { cpr fravaer { fra } } }"
    for get in (False, True):  # the fast path, the executor hook
        tal = planlaegger.planlagte
        assert (await planlagt(query, {"cpr": b["cpr"]}, get=get))[0] is True
        assert planlaegger.planlagte == tal + 1
    # the reference answers: a document the planner does not plan, a plan that fell back
    assert (await planlagt("{ __schema { queryType { name } } }"))[0] is False
    tilbagefald = planlaegger.tilbagefald
    svar, body = await planlagt('{ borger(cpr: "12") { cpr } }')
    assert svar is False and body["errors"] and planlaegger.tilbagefald > tilbagefald
    # planned mutations (with a variable @include in its payload; with a payload reaching further)
    for i, vis in enumerate((True, False)):
        fra, til = date.today() + timedelta(days=10 * i), date.today() + timedelta(days=10 * i + 2)
        svar, body = await planlagt(OPRET, {"input": {"cpr": b["cpr"], "fravaerstypeId": 56, "fra": fra.isoformat(),
                                                      "til": til.isoformat()}, "vis": vis})
        assert svar is True and body["data"]["fravaerOpret"]["fejl"] == [], body
        assert ("fravaer" in body["data"]["fravaerOpret"]) is vis
    fra = (date.today() + timedelta(days=30)).isoformat()
    svar, body = await planlagt(OPRET_MED_BORGER, {"input": {"cpr": b["cpr"], "fravaerstypeId": 56, "fra": fra}})
    assert svar is True and body["data"]["fravaerOpret"]["fravaer"]["borger"]["cpr"] == b["cpr"]
    # without DFDG_DEBUG no extensions.sql at all
    uden = create_app(replace(settings, debug=False), database_url)
    async with uden.router.lifespan_context(uden):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=uden), base_url="http://u") as klient:
            r = await klient.post("/graphql", json={"query": query, "variables": {"cpr": b["cpr"]}},
                                  headers={"Authorization": f"Bearer {token}"})
            assert r.json()["data"]["borger"]["cpr"] == b["cpr"] and "extensions" not in r.json()
            assert uden.state.planlaegger.hurtige == 1
