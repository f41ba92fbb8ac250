"""Statements per request on the planned read path: one per loader and relation level, whatever the
page size (the reference executor batches the same way; the differential test checks the planned
path never runs more than it)."""

from __future__ import annotations

from datetime import date, timedelta

from tests import factories as f

LISTE = """query($first: Int!, $jc: String!) {
  borgere(first: $first, filter: {jobcenter: $jc}) {
    edges { node {
      cpr navn
      fravaer { fra til fravaerstype { id navn } }
      indkaldelser { starttid status moedeform { id } }
      kontaktpersoner { navn }
      joblog { stillingsbetegnelse }
      selvbooking { pligt frist fritagetAf { fra } }
    } }
  }
}"""

DYB = """query($cpr: String!) {
  borger(cpr: $cpr) {
    jobcenter { nummer }
    indkaldelser { moedetilbud { jobcenter { navn } } jobcenter { navn } borger { cpr } }
  }
}"""


async def _borgere(engine, antal: int) -> str:
    jc = await f.jobcenter(engine)
    for i in range(antal):
        b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
        await f.fravaer(engine, b["cpr"], 11, date.today() - timedelta(days=i), None)
        await f.indkaldelse(engine, b["cpr"], jc["nummer"])
        await f.kontaktperson(engine, b["cpr"], jc["myndighed"])
        await f.joblog(engine, b["cpr"], date.today() - timedelta(days=3))
    return jc["nummer"]


async def test_a_list_of_citizens_runs_one_statement_per_relation_whatever_its_length(api, engine, app):
    jc = await _borgere(engine, 12)
    planlaegger = app.state.planlaegger
    tal = {}
    for first in (2, 12):
        foer = planlaegger.planlagte
        body = await api(LISTE, {"first": first, "jc": jc}, token=api.jobcenter(jc))
        assert "errors" not in body, body
        assert planlaegger.planlagte == foer + 1, "not answered by the planned path"
        assert len(body["data"]["borgere"]["edges"]) == first
        tal[first] = body["extensions"]["sql"]["statements"]
    # the page, then fravaer (shared by fravaer and selvbooking), indkaldelser, kontaktpersoner, joblog;
    # + the access log's one row-set insert (issue #4: one statement per request, not per citizen)
    assert tal == {2: 6, 12: 6}


async def test_nested_relations_run_one_statement_per_loader_and_level(api, engine, app):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    tilbud = await f.moedetilbud(engine, jc["nummer"])
    for _ in range(3):
        await f.indkaldelse(engine, b["cpr"], jc["nummer"], moedetilbud_id=tilbud["id"])
    body = await api(DYB, {"cpr": b["cpr"]}, token=api.jobcenter(jc["nummer"]))
    assert "errors" not in body, body
    # borger; jobcenter + indkaldelser; moedetilbud (the jobcentre and citizen are already loaded);
    # the access log
    assert body["extensions"]["sql"]["statements"] == 5
    assert [i["moedetilbud"]["jobcenter"]["navn"] for i in body["data"]["borger"]["indkaldelser"]] == [jc["navn"]] * 3


async def test_one_citizen_by_cpr_is_one_statement(api, engine, app):
    b = await f.borger(engine)
    body = await api("query($c: String!) { borger(cpr: $c) { cpr navn kontaktgruppe { id navn } } }", {"c": b["cpr"]},
                     token=api.jobcenter(b["jobcenter_nummer"]))
    assert body["data"]["borger"]["cpr"] == b["cpr"]
    assert body["extensions"]["sql"]["statements"] == 2  # the citizen, and the access log
