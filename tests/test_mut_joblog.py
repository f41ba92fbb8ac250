"""joblogRegistrer / joblogOpdater through HTTP (R4.1-a, R4.2-a)."""

from datetime import date, timedelta

from sqlalchemy import text

from tests import factories as f

REGISTRER = """
mutation($input: JoblogRegistrerInput!) {
  joblogRegistrer(input: $input) { joblogPost { id stillingsbetegnelse virksomhedsnavn ansoegningsdato ansoegningsfrist } fejl { kode besked felt } }
}"""
OPDATER = """
mutation($id: ID!, $input: JoblogOpdaterInput!) {
  joblogOpdater(id: $id, input: $input) { joblogPost { id ansoegningsdato ansoegningsfrist } fejl { kode felt } }
}"""


def _input(cpr, **kw):
    return {"cpr": cpr, "stillingsbetegnelse": "Lagermedarbejder", "virksomhedsnavn": "Lager A/S",
            "ansoegningsdato": date.today().isoformat(), **kw}


async def _scalar(engine, sql, **params):
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar()


async def test_R4_1_a_citizen_registers_dates_from_2015_01_01(api, engine):
    b = await f.borger(engine)
    data = await api.data(REGISTRER, {"input": _input(b["cpr"], ansoegningsdato="2015-01-01", ansoegningsfrist="2015-01-01")},
                          token=api.token("borger", cpr=b["cpr"]))
    assert data["joblogRegistrer"]["fejl"] == []
    assert data["joblogRegistrer"]["joblogPost"]["ansoegningsdato"] == "2015-01-01"
    assert data["joblogRegistrer"]["joblogPost"]["ansoegningsfrist"] == "2015-01-01"


async def test_R4_1_a_dates_before_2015_are_rejected_both_at_once(api, engine):
    b = await f.borger(engine)
    token = api.token("borger", cpr=b["cpr"])
    data = await api.data(REGISTRER, {"input": _input(b["cpr"], ansoegningsdato="1020-10-31", ansoegningsfrist="2014-12-31")}, token=token)
    assert data["joblogRegistrer"]["joblogPost"] is None
    assert [(e["kode"], e["felt"]) for e in data["joblogRegistrer"]["fejl"]] == [
        (65001, "input.ansoegningsdato"), (65002, "input.ansoegningsfrist"),
    ]
    assert data["joblogRegistrer"]["fejl"][0]["besked"] == "Ansøgningsdato (SubmissionDate) kan ikke ligge før 01-01-2015"
    only_frist = await api.data(REGISTRER, {"input": _input(b["cpr"], ansoegningsfrist="2014-12-31")}, token=token)
    assert [e["kode"] for e in only_frist["joblogRegistrer"]["fejl"]] == [65002]
    assert await _scalar(engine, "SELECT count(*) FROM joblog WHERE cpr = :c", c=b["cpr"]) == 0


async def test_R4_1_a_update_checks_the_dates_it_sets(api, engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    post = await f.joblog(engine, b["cpr"], date(2022, 10, 3))
    token = api.jobcenter(jc["nummer"])
    bad = await api.data(OPDATER, {"id": str(post["id"]), "input": {"ansoegningsdato": "2014-06-01"}}, token=token)
    assert [(e["kode"], e["felt"]) for e in bad["joblogOpdater"]["fejl"]] == [(65001, "input.ansoegningsdato")]
    ok = await api.data(OPDATER, {"id": str(post["id"]), "input": {"ansoegningsfrist": "2022-10-15"}}, token=token)
    assert ok["joblogOpdater"]["fejl"] == []
    assert ok["joblogOpdater"]["joblogPost"]["ansoegningsfrist"] == "2022-10-15"
    assert ok["joblogOpdater"]["joblogPost"]["ansoegningsdato"] == "2022-10-03"
    required = await api.data(OPDATER, {"id": str(post["id"]), "input": {"ansoegningsdato": None, "virksomhedsnavn": "  "}}, token=token)
    assert sorted((e["kode"], e["felt"]) for e in required["joblogOpdater"]["fejl"]) == [(61003, "input.ansoegningsdato"), (61003, "input.virksomhedsnavn")]


async def test_R4_2_a_no_warning_47_after_30_days_without_logging(api, engine):
    """A citizen who has not logged for 40 running days, registering and changing entries: no
    message of any warning type (nor any message at all) is queued for the citizen."""
    ak = await f.akasse(engine)
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], akasse_nummer=ak["nummer"], kontaktgruppe_id=1)
    await f.joblog(engine, b["cpr"], date.today() - timedelta(days=40))
    token = api.token("borger", cpr=b["cpr"])
    created = await api.data(REGISTRER, {"input": _input(b["cpr"])}, token=token)
    assert created["joblogRegistrer"]["fejl"] == []
    await api.data(OPDATER, {"id": created["joblogRegistrer"]["joblogPost"]["id"], "input": {"virksomhedsnavn": "Andet Lager A/S"}}, token=token)
    assert await _scalar(engine, "SELECT count(*) FROM webservicebesked WHERE cpr = :c", c=b["cpr"]) == 0
    warnings = await _scalar(engine, """
        SELECT count(*) FROM webservicebesked
        WHERE beskedtype ILIKE '%warning%' OR beskedtype ILIKE '%advarsel%'
           OR indhold ? 'warningTypeIdentifier' OR indhold ? 'WarningTypeIdentifier'""")
    assert warnings == 0
    for modtager, mtoken in ((ak["nummer"], api.token("akasse", myndighed=ak["nummer"])), (jc["nummer"], api.jobcenter(jc["nummer"]))):
        queue = await api.data("{ webservicebeskeder(first: 100) { edges { node { beskedtype cpr } } } }", token=mtoken)
        assert [e for e in queue["webservicebeskeder"]["edges"] if e["node"]["cpr"] == b["cpr"]] == [], modtager
    # The duty follows the calendar month (R4.2-a): a month is what is asked, never 30 days.
    pligt = await api.data("query($c: String!, $m: String!) { borger(cpr: $c) { joblogPligt(maaned: $m) } }",
                           {"c": b["cpr"], "m": date.today().strftime("%Y-%m")}, token=api.jobcenter(jc["nummer"]))
    assert pligt["borger"]["joblogPligt"] is True


async def test_joblog_unknown_id_and_plain_or_global_id(api, engine):
    b = await f.borger(engine)
    token = api.token("borger", cpr=b["cpr"])
    missing = await api.data(OPDATER, {"id": "987654321", "input": {"ansoegningsfrist": None}}, token=token)
    assert [(e["kode"], e["felt"]) for e in missing["joblogOpdater"]["fejl"]] == [(61001, "id")]
    created = await api.data(REGISTRER, {"input": _input(b["cpr"], ansoegningsfrist="2030-01-01")}, token=token)
    gid = created["joblogRegistrer"]["joblogPost"]["id"]
    cleared = await api.data(OPDATER, {"id": gid, "input": {"ansoegningsfrist": None}}, token=token)
    assert cleared["joblogOpdater"]["joblogPost"]["ansoegningsfrist"] is None
