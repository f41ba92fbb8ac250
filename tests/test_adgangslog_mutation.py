"""A mutation's answer and its data agree (issue #11, item 3): the access-log rows of what a
mutation's payload shows are written by the mutation's own transaction, so a log write that fails
rolls the mutation back (an error, nothing written) instead of answering a committed write as an
error; nothing is logged after the commit, because a payload shows no citizen but the written
registration's. On both execution paths: the planned absence mutations (the ``app`` fixture) and
strawberry's executor (``DFDG_PLANNED_READS=0``)."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import text

from dfdg.http.tokens import mint_token
from dfdg.regler.aktoer import Rolle
from tests import factories as f

OPRET = """mutation($i: FravaerOpretInput!) {
  fravaerOpret(input: $i) { fravaer { id registreret } fejl { kode } }
}"""
OPRET_KUN_FEJL = "mutation($i: FravaerOpretInput!) { fravaerOpret(input: $i) { fejl { kode } } }"


@pytest.fixture
def stier(http, reference, app):
    """Each path's client, and whether the planned app answered the last request from its plan."""
    planlaegger = app.state.planlaegger
    return {"planlagt": http, "reference": reference}, planlaegger


async def _post(klient, query: str, variables: dict, token: str) -> dict:
    r = await klient.post("/graphql", json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return r.json()


async def _rows(engine, sql: str, **params) -> list[tuple]:
    async with engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(sql), params)]


async def _skrevet(engine, cpr: str) -> dict:
    return {
        "fravaer": await _rows(engine, "SELECT id, registreret FROM fravaer WHERE cpr = :c ORDER BY id", c=cpr),
        "historik": await _rows(engine, "SELECT handling FROM historik WHERE cpr = :c", c=cpr),
        "beskeder": await _rows(engine, "SELECT beskedtype FROM webservicebesked WHERE cpr = :c", c=cpr),
        "adgangslog": await _rows(engine, "SELECT rolle, operation, tid FROM adgangslog WHERE cpr = :c ORDER BY id", c=cpr),
    }


@contextlib.asynccontextmanager
async def adgangsloggen_fejler_for(engine, cpr: str):
    """Every INSERT of an access-log row about ``cpr`` fails (a trigger), while the block runs."""
    navn = f"test_log_fejler_{cpr}"
    async with engine.begin() as conn:
        await conn.execute(text(f"""
            CREATE FUNCTION {navn}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.cpr = '{cpr}' THEN RAISE EXCEPTION 'injected'; END IF; RETURN NEW; END $$"""))
        await conn.execute(text(f"CREATE TRIGGER {navn} BEFORE INSERT ON adgangslog FOR EACH ROW EXECUTE FUNCTION {navn}()"))
    try:
        yield
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP TRIGGER {navn} ON adgangslog"))
            await conn.execute(text(f"DROP FUNCTION {navn}()"))


def _opret(b: dict, **input) -> dict:
    return {"i": {"cpr": b["cpr"], "fravaerstypeId": 10, "fra": "2030-03-01", **input}}


@pytest.mark.parametrize("sti", ["planlagt", "reference"])
async def test_the_payloads_row_is_written_by_the_mutations_own_transaction(api, engine, stier, sti):
    klienter, planlaegger = stier
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1)
    foer = planlaegger.hurtige
    body = await _post(klienter[sti], OPRET, _opret(b), api.jobcenter(jc["nummer"]))
    assert body["data"]["fravaerOpret"]["fejl"] == [] and (planlaegger.hurtige > foer) is (sti == "planlagt")
    skrevet = await _skrevet(engine, b["cpr"])
    ((_, registreret),) = skrevet["fravaer"]
    # One row, and now() of the absence's own transaction: written before it committed.
    assert skrevet["adgangslog"] == [("jobcenter", "Mutation.fravaerOpret", registreret)]
    # one transaction (citizen, absence, history, message, access log) and nothing after it
    assert body["extensions"]["sql"]["statements"] == 5


@pytest.mark.parametrize("sti", ["planlagt", "reference"])
async def test_a_failed_log_write_rolls_the_mutation_back_and_a_retry_writes_once(api, engine, stier, sti):
    klienter, planlaegger = stier
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1)
    token = api.jobcenter(jc["nummer"])
    async with adgangsloggen_fejler_for(engine, b["cpr"]):
        foer = planlaegger.hurtige
        body = await _post(klienter[sti], OPRET, _opret(b, idempotensnoegle=f"n-{b['cpr']}"), token)
        assert (planlaegger.hurtige > foer) is (sti == "planlagt")
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR" and body["errors"][0]["extensions"]["fejlId"]
    assert "injected" not in str(body)
    # The error is the truth: nothing was written, not the absence, its history, its message or its key.
    assert await _skrevet(engine, b["cpr"]) == {"fravaer": [], "historik": [], "beskeder": [], "adgangslog": []}
    assert await _rows(engine, "SELECT 1 FROM idempotens WHERE noegle = :n", n=f"n-{b['cpr']}") == []
    # So the client's retry, with the key or without, writes the absence once.
    for _ in range(2):
        body = await _post(klienter[sti], OPRET, _opret(b, idempotensnoegle=f"n-{b['cpr']}"), token)
        assert body["data"]["fravaerOpret"]["fejl"] == []
    skrevet = await _skrevet(engine, b["cpr"])
    assert len(skrevet["fravaer"]) == 1 and len(skrevet["historik"]) == 1
    # an idempotent repeat shows the stored result: a read, logged (by its own transaction) too
    assert [r[:2] for r in skrevet["adgangslog"]] == [("jobcenter", "Mutation.fravaerOpret")] * 2


@pytest.mark.parametrize("sti", ["planlagt", "reference"])
async def test_a_token_whose_subject_cannot_be_logged_never_gets_a_committed_write_answered_as_an_error(
    api, settings, engine, stier, sti,
):
    """Reproduced with a NUL byte in ``sub`` (PostgreSQL text cannot hold it): the log row could
    not be written after the commit, and the client got INTERNAL_SERVER_ERROR for a write that was
    there. Such a token may also be refused before anything runs; either way, answer and data agree."""
    klienter, _ = stier
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1)
    token = mint_token(settings, rolle=Rolle.JOBCENTER, myndighed=jc["nummer"], subjekt="sb\x00-17")
    r = await klienter[sti].post("/graphql", json={"query": OPRET, "variables": _opret(b)}, headers={"Authorization": f"Bearer {token}"})
    skrevet = await _skrevet(engine, b["cpr"])
    if r.status_code == 200 and r.json().get("data") and r.json()["data"]["fravaerOpret"]["fejl"] == []:
        assert len(skrevet["fravaer"]) == 1 and len(skrevet["adgangslog"]) == 1, r.text
    else:
        assert skrevet["fravaer"] == [] and skrevet["historik"] == [] and skrevet["beskeder"] == [], r.text


@pytest.mark.parametrize("sti", ["planlagt", "reference"])
async def test_a_payload_that_does_not_show_the_registration_logs_nothing(api, engine, stier, sti):
    klienter, _ = stier
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1)
    async with adgangsloggen_fejler_for(engine, b["cpr"]):
        body = await _post(klienter[sti], OPRET_KUN_FEJL, _opret(b), api.jobcenter(jc["nummer"]))
    assert body["data"]["fravaerOpret"]["fejl"] == [], body
    skrevet = await _skrevet(engine, b["cpr"])
    assert len(skrevet["fravaer"]) == 1 and skrevet["adgangslog"] == []


async def test_a_payload_shows_no_other_citizen_so_nothing_is_read_after_the_commit(api, engine):
    """What a payload can reach beyond the written registration (the job order's other referrals)
    is not shown: it could only be logged after the commit, where a failed log write would turn the
    committed referral into an error answer. A query reads it, logged as any read."""
    jc = await f.jobcenter(engine)
    ny, anden = await f.borger(engine, jobcenter_nummer=jc["nummer"]), await f.borger(engine, jobcenter_nummer=jc["nummer"])
    v = await f.virksomhed(engine)
    jobordre = await f.jobordre(engine, v["cvr_nummer"], jc["nummer"], status_id=1)
    await f.formidling(engine, jobordre["id"], anden["cpr"])
    token = api.jobcenter(jc["nummer"])
    query = """mutation($i: FormidlingOpretInput!) {
      formidlingOpret(input: $i) {
        formidling { borger { cpr } jobordre { formidlinger { borger { cpr } } } }
        fejl { kode }
      }
    }"""
    async with adgangsloggen_fejler_for(engine, anden["cpr"]):
        body = await _post(api.http, query, {"i": {"jobordreId": str(jobordre["id"]), "cpr": ny["cpr"],
                                                   "formidlingsstatustypeId": 2}}, token)
    svar = body["data"]["formidlingOpret"]
    assert svar["fejl"] == [], body
    assert svar["formidling"]["borger"] == {"cpr": ny["cpr"]}
    assert svar["formidling"]["jobordre"]["formidlinger"] == [{"borger": {"cpr": ny["cpr"]}}]
    assert [r[:2] for r in (await _skrevet(engine, ny["cpr"]))["adgangslog"]] == [("jobcenter", "Mutation.formidlingOpret")]
    assert (await _skrevet(engine, anden["cpr"]))["adgangslog"] == []
    # the same through a query: both referrals, both logged
    laes = "query($id: ID!) { jobordre(id: $id) { formidlinger { borger { cpr } } } }"
    data = (await _post(api.http, laes, {"id": str(jobordre["id"])}, token))["data"]
    assert sorted(x["borger"]["cpr"] for x in data["jobordre"]["formidlinger"]) == sorted([ny["cpr"], anden["cpr"]])
    assert [r[:2] for r in (await _skrevet(engine, anden["cpr"]))["adgangslog"]] == [("jobcenter", "Query.jobordre")]
    # and a job order's update shows the job order, not the citizens referred to it
    opdater = "mutation($id: ID!) { jobordreOpdater(id: $id, input: {titel: \"Lagerchef\"}) { jobordre { titel formidlinger { borger { cpr } } } fejl { kode } } }"
    svar = (await _post(api.http, opdater, {"id": str(jobordre["id"])}, token))["data"]["jobordreOpdater"]
    assert svar["fejl"] == [] and svar["jobordre"] == {"titel": "Lagerchef", "formidlinger": []}


async def test_acknowledged_messages_in_the_payload_are_logged_by_the_acknowledging_transaction(api, engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    besked = await f.webservicebesked(engine, "jobcenter", jc["myndighed"], cpr=b["cpr"])
    uden = await f.webservicebesked(engine, "jobcenter", jc["myndighed"], cpr=None)
    token = api.jobcenter(jc["nummer"])
    query = "mutation($n: [Int!]!) { webservicebeskederKvitter(input: {loebenumre: $n}) { beskeder { cpr } fejl { kode } } }"
    async with adgangsloggen_fejler_for(engine, b["cpr"]):
        body = await _post(api.http, query, {"n": [besked["id"], uden["id"]]}, token)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert await _rows(engine, "SELECT status FROM webservicebesked WHERE id = ANY(:i)", i=[besked["id"], uden["id"]]) == [("klar",)] * 2
    body = await _post(api.http, query, {"n": [besked["id"], uden["id"]]}, token)
    assert body["data"]["webservicebeskederKvitter"] == {"beskeder": [{"cpr": b["cpr"]}, {"cpr": None}], "fejl": []}
    assert [r[:2] for r in (await _skrevet(engine, b["cpr"]))["adgangslog"]] == [("jobcenter", "Mutation.webservicebeskederKvitter")]


async def test_the_operation_logged_is_the_mutation_the_client_called(api, engine):
    """The legacy createBooking runs indkaldelseOpret's body; its read is logged as createBooking."""
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    query = """mutation($i: IndkaldelseOpretInput!) { createBooking(input: $i) { indkaldelse { id } fejl { kode } } }"""
    variables = {"i": {"cpr": b["cpr"], "starttid": "2030-05-02T10:00:00+02:00", "sluttid": "2030-05-02T10:30:00+02:00",
                       "moedeformId": 1, "samtaletypeId": 7, "sted": "Jobcentret, Torvet 3"}}
    body = await _post(api.http, query, variables, api.jobcenter(jc["nummer"]))
    assert body["data"]["createBooking"]["fejl"] == [], body
    assert [r[:2] for r in (await _skrevet(engine, b["cpr"]))["adgangslog"]] == [("jobcenter", "Mutation.createBooking")]
