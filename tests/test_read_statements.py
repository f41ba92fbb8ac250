"""Batched loading: the number of SQL statements a read runs does not grow with the page size.

DFDG_DEBUG is on in the tests, so every response carries extensions.sql.statements.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dfdg.db import tables as t
from tests import factories as f


async def _jobcenter_med_borgere(engine, antal: int) -> dict:
    """A fresh jobcentre with ``antal`` citizens, each with absences, summons, contacts, joblog,
    activities, memberships and referrals."""
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine)
    cprs: set[str] = set()
    while len(cprs) < antal:
        cprs.add(f.ny_cpr())
    cprs_sorted = sorted(cprs)
    await f.insert_rows(engine, t.Borger, [
        dict(cpr=c, fornavn="Test", efternavn=f"Borger {i}", kontaktgruppe_id=1 + (i % 2) * 6,
             ledighedsdato=date(2022, 1, 1), jobcenter_nummer=jc["nummer"], akasse_nummer=ak["nummer"],
             moedeform_maalgruppe=i % 3 == 0)
        for i, c in enumerate(cprs_sorted)
    ])
    tilbud = await f.moedetilbud(engine, jc["nummer"])
    start = f.nu().replace(microsecond=0) + timedelta(days=5)
    await f.insert_rows(engine, t.Fravaer, [
        dict(cpr=c, fravaerstype_id=typ, fra=date(2022, 10, 1), til=None, registreret_af=jc["myndighed"])
        for c in cprs_sorted for typ in (10, 56)
    ])
    await f.insert_rows(engine, t.Indkaldelse, [
        dict(cpr=c, jobcenter_nummer=jc["nummer"], moedetilbud_id=tilbud["id"], starttid=start, sluttid=start + timedelta(minutes=30),
             moedeform_id=form, samtaletype_id=7, oprettet_af=jc["myndighed"], moedelink="https://m.example.dk/x" if form == 8 else None)
        for c in cprs_sorted for form in (1, 8)
    ])
    await f.insert_rows(engine, t.Kontaktperson, [dict(cpr=c, navn="Sagsbehandler", oprettet_af=jc["myndighed"], oprettet_af_rolle="jobcenter") for c in cprs_sorted])
    await f.insert_rows(engine, t.Joblog, [
        dict(cpr=c, stillingsbetegnelse="Kok", virksomhedsnavn="Kroen", ansoegningsdato=date(2022, 10, d))
        for c in cprs_sorted for d in (3, 17)
    ])
    await f.insert_rows(engine, t.Indsats, [dict(cpr=c, betegnelse="Kursus", startdato=date(2022, 9, 1)) for c in cprs_sorted])
    await f.insert_rows(engine, t.Medlemskab, [dict(cpr=c, akasse_nummer=ak["nummer"], indmeldt=date(2020, 1, 1)) for c in cprs_sorted])
    v = await f.virksomhed(engine)
    jo = await f.jobordre(engine, v["cvr_nummer"], jc["nummer"])
    await f.insert_rows(engine, t.Formidling, [
        dict(jobordre_id=jo["id"], cpr=c, formidlingsstatustype_id=2, oprettet_af=jc["myndighed"]) for c in cprs_sorted
    ])
    return jc


@pytest.fixture(scope="module")
async def stort_jobcenter(engine):
    return await _jobcenter_med_borgere(engine, 100)


async def _statements(api, jc: dict, query: str, first: int) -> tuple[int, dict]:
    body = await api(query, {"jc": jc["nummer"], "first": first}, token=api.jobcenter(jc["nummer"]))
    assert "errors" not in body, body["errors"]
    return body["extensions"]["sql"]["statements"], body["data"]


ISSUE_QUERY = """
query($jc: String!, $first: Int) {
  borgere(filter: {jobcenter: $jc}, first: $first) {
    nodes {
      cpr
      fravaer { id fra fravaerstype { id navn } }
      indkaldelser { id starttid moedeform { id udgaaet } moedelink }
      kontaktpersoner { id navn }
      joblog { id ansoegningsdato }
      selvbooking(dato: "2022-10-15") { pligt fritaget frist fritagetAf { id } }
    }
  }
}
"""


async def test_borgere_100_with_relations_and_selvbooking_at_most_8_statements_same_as_10(api, stort_jobcenter):
    n100, data100 = await _statements(api, stort_jobcenter, ISSUE_QUERY, 100)
    n10, data10 = await _statements(api, stort_jobcenter, ISSUE_QUERY, 10)
    nodes = data100["borgere"]["nodes"]
    assert len(nodes) == 100 and len(data10["borgere"]["nodes"]) == 10
    assert all(len(n["fravaer"]) == 2 and len(n["indkaldelser"]) == 2 and len(n["joblog"]) == 2 for n in nodes)
    assert all(n["selvbooking"] == {"pligt": False, "fritaget": True, "frist": False, "fritagetAf": n["selvbooking"]["fritagetAf"]}
               for n in nodes)
    assert n100 <= 8
    assert n100 == n10


BORGER_FELTER = """
  cpr navn kontaktgruppe { id } jobcenter { nummer } akasse { nummer }
  fravaer { id borger { cpr } }
  indkaldelser {
    id valgbareMoedeformer { id } lokationsuddybning
    moedetilbud { id ledigePladser jobcenter { nummer } } jobcenter { nummer } borger { cpr }
  }
  kontaktpersoner { id } joblog { id }
  indsatser { id ophoersaarsag { id } }
  formidlinger { id jobordre { id titel virksomhed { cvrNummer } ansvarligtJobcenter { nummer } } borger { cpr } }
  medlemskab { id akasse { nummer } }
  harRetTilValgAfMoedeform(dato: "2022-10-15")
  selvbooking(dato: "2022-10-15") { pligt }
  joblogPligt(maaned: "2022-10")
  mindreIntensivIndsats(dato: "2022-10-15")
  kanModtageDagpenge(dato: "2022-10-15")
"""
ALT = """
query($jc: String!, $first: Int) {
  borgere(filter: {jobcenter: $jc}, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { %s }
  }
}
""" % BORGER_FELTER  # noqa: UP031 - an f-string would double every brace of the document
EN = "query($cpr: String!) { b: borger(cpr: $cpr) { %s } }" % BORGER_FELTER  # noqa: UP031 - as ALT


async def test_every_relation_and_derived_field_is_batched(api, stort_jobcenter):
    n100, data = await _statements(api, stort_jobcenter, ALT, 100)
    n10, _ = await _statements(api, stort_jobcenter, ALT, 10)
    assert data["borgere"]["totalCount"] == 100
    assert n100 == n10
    # page + count + one per loader (jobcenter, akasse, fravaer, indkaldelse, kontaktperson, joblog,
    # indsats, formidling, medlemskab, moedetilbud, jobordre, virksomhed); the citizens themselves are
    # primed by nothing, so borger { cpr } below relations costs one more; +1 the access log.
    assert n100 <= 16


async def test_one_borger_with_everything_is_bounded(api, stort_jobcenter):
    jc = stort_jobcenter
    token = api.jobcenter(jc["nummer"])
    cpr = (await api.data(ALT, {"jc": jc["nummer"], "first": 1}, token=token))["borgere"]["nodes"][0]["cpr"]
    body = await api(EN, {"cpr": cpr}, token=token)
    assert "errors" not in body, body["errors"]
    assert body["data"]["b"]["cpr"] == cpr
    assert body["extensions"]["sql"]["statements"] <= 14  # as the list, without its count


JOBORDRER = """
query($jc: String!, $first: Int) {
  jobordrer(filter: {ansvarligtJobcenter: $jc}, first: $first) {
    nodes {
      id status { id } ansvarligtJobcenter { nummer } virksomhed { cvrNummer produktionsenheder { pNummer } }
      produktionsenhed { pNummer } formidlinger { id borger { cpr } }
    }
  }
}
"""


async def test_jobordrer_with_relations_is_batched(api, engine):
    jc = await f.jobcenter(engine)
    for _ in range(12):
        v = await f.virksomhed(engine)
        p = await f.produktionsenhed(engine, v["cvr_nummer"])
        jo = await f.jobordre(engine, v["cvr_nummer"], jc["nummer"], p_nummer=p["p_nummer"])
        b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
        await f.formidling(engine, jo["id"], b["cpr"])
    n12, data = await _statements(api, jc, JOBORDRER, 12)
    n2, _ = await _statements(api, jc, JOBORDRER, 2)
    assert len(data["jobordrer"]["nodes"]) == 12
    assert all(len(n["formidlinger"]) == 1 for n in data["jobordrer"]["nodes"])
    assert n12 == n2 <= 8  # +1 the access log of the referred citizens
