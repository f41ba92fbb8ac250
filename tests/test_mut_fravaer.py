"""fravaerOpret / fravaerOpdater / fravaerSlet through HTTP (R2.1-a, R2.1-b, R2.2-a)."""

from datetime import date, datetime, timedelta

from sqlalchemy import text

from dfdg.regler.tid import DANMARK
from tests import factories as f

OPRET = """
mutation($input: FravaerOpretInput!) {
  fravaerOpret(input: $input) { fravaer { id fra til fravaerstype { id udgaaet } } fejl { kode besked felt } }
}"""
OPDATER = """
mutation($id: ID!, $input: FravaerOpdaterInput!) {
  fravaerOpdater(id: $id, input: $input) { fravaer { id til fravaerstype { id } } fejl { kode felt } }
}"""
SLET = "mutation($id: ID!) { fravaerSlet(id: $id) { slettetId fejl { kode felt } } }"


async def _borger(engine, kontaktgruppe_id=1):
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=kontaktgruppe_id, akasse_nummer=ak["nummer"])
    return b, jc, ak


async def _beskeder(engine, cpr):
    async with engine.connect() as conn:
        rows = await conn.execute(text("SELECT modtagertype, modtager, beskedtype, status FROM webservicebesked WHERE cpr = :c ORDER BY id"), {"c": cpr})
        return [tuple(r) for r in rows]


async def test_R2_1_a_sorgorlov_on_kontaktgruppe_1_is_registered_and_stops_dagpenge(api, engine):
    b, jc, _ = await _borger(engine)
    fra = date.today()
    data = await api.data(OPRET, {"input": {"cpr": b["cpr"], "fravaerstypeId": 79, "fra": fra.isoformat()}}, token=api.jobcenter(jc["nummer"]))
    assert data["fravaerOpret"]["fejl"] == []
    assert data["fravaerOpret"]["fravaer"]["fravaerstype"] == {"id": 79, "udgaaet": False}
    d = await api.data("query($c: String!) { borger(cpr: $c) { kanModtageDagpenge } }", {"c": b["cpr"]}, token=api.jobcenter(jc["nummer"]))
    assert d["borger"]["kanModtageDagpenge"] is False


async def test_R2_1_a_sorgorlov_not_allowed_on_other_kontaktgruppe(api, engine):
    b, jc, _ = await _borger(engine, kontaktgruppe_id=7)
    data = await api.data(OPRET, {"input": {"cpr": b["cpr"], "fravaerstypeId": 79, "fra": date.today().isoformat()}}, token=api.jobcenter(jc["nummer"]))
    assert data["fravaerOpret"]["fravaer"] is None
    assert [(e["kode"], e["felt"]) for e in data["fravaerOpret"]["fejl"]] == [(63002, "input.fravaerstypeId")]


async def test_R2_2_a_type_78_cannot_be_created(api, engine):
    b, jc, _ = await _borger(engine)
    data = await api.data(OPRET, {"input": {"cpr": b["cpr"], "fravaerstypeId": 78, "fra": "2022-03-01", "til": "2022-02-01"}}, token=api.jobcenter(jc["nummer"]))
    # All errors at once: the expired type and the reversed period.
    assert sorted(e["kode"] for e in data["fravaerOpret"]["fejl"]) == [61005, 63001]
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM fravaer WHERE cpr = :c"), {"c": b["cpr"]})).scalar() == 0


async def test_R2_2_a_existing_type_78_can_be_ended_and_deleted_but_not_newly_set(api, engine):
    b, jc, _ = await _borger(engine)
    gammel = await f.fravaer(engine, b["cpr"], 78, date(2021, 1, 4))
    andet = await f.fravaer(engine, b["cpr"], 10, date(2021, 6, 1), date(2021, 6, 14))
    token = api.jobcenter(jc["nummer"])
    ended = await api.data(OPDATER, {"id": str(gammel["id"]), "input": {"til": "2022-03-31"}}, token=token)
    assert ended["fravaerOpdater"]["fejl"] == []
    assert ended["fravaerOpdater"]["fravaer"]["til"] == "2022-03-31"
    newly = await api.data(OPDATER, {"id": str(andet["id"]), "input": {"fravaerstypeId": 78}}, token=token)
    assert [e["kode"] for e in newly["fravaerOpdater"]["fejl"]] == [63001]
    deleted = await api.data(SLET, {"id": str(gammel["id"])}, token=token)
    assert deleted["fravaerSlet"]["fejl"] == [] and deleted["fravaerSlet"]["slettetId"]


async def test_R2_1_b_create_update_delete_queue_messages_to_akasse_and_jobcenter(api, engine):
    b, jc, ak = await _borger(engine)
    token = api.jobcenter(jc["nummer"])
    created = await api.data(OPRET, {"input": {"cpr": b["cpr"], "fravaerstypeId": 10, "fra": "2026-07-01"}}, token=token)
    fid = created["fravaerOpret"]["fravaer"]["id"]
    await api.data(OPDATER, {"id": fid, "input": {"til": "2026-07-14"}}, token=token)
    await api.data(SLET, {"id": fid}, token=token)
    beskeder = await _beskeder(engine, b["cpr"])
    expected = []
    for handling in ("Oprettet", "Opdateret", "Slettet"):
        expected += [("akasse", ak["nummer"], f"Fravaer{handling}", "klar"), ("jobcenter", jc["nummer"][:3], f"Fravaer{handling}", "klar")]
    assert beskeder == expected


async def test_R2_1_b_no_messages_outside_kontaktgruppe_1(api, engine):
    b, jc, _ = await _borger(engine, kontaktgruppe_id=7)
    await api.data(OPRET, {"input": {"cpr": b["cpr"], "fravaerstypeId": 11, "fra": "2026-07-01"}}, token=api.jobcenter(jc["nummer"]))
    assert await _beskeder(engine, b["cpr"]) == []


async def test_one_transaction_failure_after_first_write_leaves_nothing(api, engine):
    """The message insert fails after the absence and its history are written: all rolls back."""
    b, jc, _ = await _borger(engine)
    async with engine.begin() as conn:
        await conn.execute(text(f"""
            CREATE OR REPLACE FUNCTION test_fail_{b['cpr']}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.cpr = '{b['cpr']}' THEN RAISE EXCEPTION 'injected'; END IF; RETURN NEW; END $$"""))
        await conn.execute(text(f"CREATE TRIGGER test_fail_{b['cpr']} BEFORE INSERT ON webservicebesked FOR EACH ROW EXECUTE FUNCTION test_fail_{b['cpr']}()"))
    try:
        body = await api(OPRET, {"input": {"cpr": b["cpr"], "fravaerstypeId": 10, "fra": "2026-07-01"}}, token=api.jobcenter(jc["nummer"]))
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP TRIGGER test_fail_{b['cpr']} ON webservicebesked"))
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "injected" not in body["errors"][0]["message"]
    async with engine.connect() as conn:
        for table in ("fravaer", "historik", "webservicebesked"):
            n = (await conn.execute(text(f"SELECT count(*) FROM {table} WHERE cpr = :c"), {"c": b["cpr"]})).scalar()
            assert n == 0, table


async def test_idempotency_key_returns_first_result_and_writes_once(api, engine):
    b, jc, _ = await _borger(engine)
    token = api.jobcenter(jc["nummer"])
    variables = {"input": {"cpr": b["cpr"], "fravaerstypeId": 10, "fra": "2026-08-01", "idempotensnoegle": "k-1"}}
    first = await api.data(OPRET, variables, token=token)
    second = await api.data(OPRET, variables, token=token)
    assert first == second
    via_header = await api.data(OPRET, {"input": {"cpr": b["cpr"], "fravaerstypeId": 10, "fra": "2026-09-01"}}, token=token, headers={"Idempotency-Key": "h-1"})
    again = await api.data(OPRET, {"input": {"cpr": b["cpr"], "fravaerstypeId": 10, "fra": "2026-09-01"}}, token=token, headers={"Idempotency-Key": "h-1"})
    assert via_header == again
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM fravaer WHERE cpr = :c"), {"c": b["cpr"]})).scalar() == 2


async def test_unknown_citizen_and_malformed_cpr(api, engine):
    jc = await f.jobcenter(engine)
    token = api.jobcenter(jc["nummer"])
    unknown = await api.data(OPRET, {"input": {"cpr": f.ny_cpr(), "fravaerstypeId": 10, "fra": "2026-08-01"}}, token=token)
    assert [(e["kode"], e["felt"]) for e in unknown["fravaerOpret"]["fejl"]] == [(61001, "input.cpr")]
    bad = await api.data(OPRET, {"input": {"cpr": "3213901234", "fravaerstypeId": 10, "fra": "2026-08-01"}}, token=token)
    assert [(e["kode"], e["felt"]) for e in bad["fravaerOpret"]["fejl"]] == [(61004, "input.cpr")]


async def test_R2_2_a_and_R1_1_d_an_expired_code_newly_set_is_refused_in_one_shape(api, engine):
    """One check (dfdg.regler.koder.kode_fejl) for 'an expired code may stay but not be newly set':
    the absence type (63001) and the meeting form (62005) are refused in the same words."""
    b, jc, _ = await _borger(engine)
    token = api.jobcenter(jc["nummer"])
    fravaer = await api.data(OPRET, {"input": {"cpr": b["cpr"], "fravaerstypeId": 78, "fra": "2022-03-01"}}, token=token)
    start = datetime.now(DANMARK).replace(microsecond=0) + timedelta(days=10)
    indkaldelse = await api.data(
        "mutation($i: IndkaldelseOpretInput!) { indkaldelseOpret(input: $i) { fejl { kode besked felt } } }",
        {"i": {"cpr": b["cpr"], "starttid": start.isoformat(), "sluttid": (start + timedelta(hours=1)).isoformat(),
               "moedeformId": 4, "samtaletypeId": 7, "sted": "Jobcentret"}}, token=token,
    )
    assert fravaer["fravaerOpret"]["fejl"] == [{
        "kode": 63001, "felt": "input.fravaerstypeId",
        "besked": "Fraværstype 78 (Arbejdsfordeling - ny midlertidig ordning. COVID-19) er udgået og kan ikke bruges i nye registreringer",
    }]
    assert indkaldelse["indkaldelseOpret"]["fejl"] == [{
        "kode": 62005, "felt": "input.moedeformId",
        "besked": "Mødeform 4 (Digitalt) er udgået og kan ikke bruges i nye registreringer",
    }]
