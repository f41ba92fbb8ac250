"""webservicebeskederKvitter through HTTP: the caller acknowledges messages in its own queue."""

from sqlalchemy import text

from tests import factories as f

KVITTER = """
mutation($input: WebservicebeskederKvitterInput!) {
  webservicebeskederKvitter(input: $input) { beskeder { loebenummer beskedtype status } fejl { kode besked felt } }
}"""
KOE = "{ webservicebeskeder(first: 100) { edges { node { loebenummer beskedtype cpr } } } }"
FRAVAER = """
mutation($input: FravaerOpretInput!) { fravaerOpret(input: $input) { fravaer { id } fejl { kode } } }"""


async def _setup(api, engine):
    """A kontaktgruppe-1 citizen's absence: one message for the a-kasse, one for the jobcentre (R2.1-b)."""
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], akasse_nummer=ak["nummer"], kontaktgruppe_id=1)
    jc_token, ak_token = api.jobcenter(jc["nummer"]), api.token("akasse", myndighed=ak["nummer"])
    created = await api.data(FRAVAER, {"input": {"cpr": b["cpr"], "fravaerstypeId": 10, "fra": "2026-07-01"}}, token=jc_token)
    assert created["fravaerOpret"]["fejl"] == []
    return b, jc_token, ak_token


async def _koe(api, token, cpr):
    data = await api.data(KOE, token=token)
    return [e["node"]["loebenummer"] for e in data["webservicebeskeder"]["edges"] if e["node"]["cpr"] == cpr]


async def test_kvittering_removes_the_messages_from_the_callers_queue_only(api, engine):
    b, jc_token, ak_token = await _setup(api, engine)
    ak_koe, jc_koe = await _koe(api, ak_token, b["cpr"]), await _koe(api, jc_token, b["cpr"])
    assert len(ak_koe) == 1 and len(jc_koe) == 1
    data = await api.data(KVITTER, {"input": {"loebenumre": ak_koe}}, token=ak_token)
    assert data["webservicebeskederKvitter"] == {
        "beskeder": [{"loebenummer": ak_koe[0], "beskedtype": "FravaerOprettet", "status": "kvitteret"}], "fejl": [],
    }
    assert await _koe(api, ak_token, b["cpr"]) == []
    assert await _koe(api, jc_token, b["cpr"]) == jc_koe
    async with engine.connect() as conn:
        kvitteret = (await conn.execute(text("SELECT kvitteret FROM webservicebesked WHERE id = :i"), {"i": ak_koe[0]})).scalar()
    assert kvitteret is not None
    # Acknowledging again (a retry) changes nothing and is no error.
    again = await api.data(KVITTER, {"input": {"loebenumre": ak_koe}}, token=ak_token)
    assert again["webservicebeskederKvitter"]["fejl"] == []
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT kvitteret FROM webservicebesked WHERE id = :i"), {"i": ak_koe[0]})).scalar() == kvitteret


async def test_another_queues_message_is_68001_and_nothing_is_acknowledged(api, engine):
    b, jc_token, ak_token = await _setup(api, engine)
    ak_koe, jc_koe = await _koe(api, ak_token, b["cpr"]), await _koe(api, jc_token, b["cpr"])
    data = await api.data(KVITTER, {"input": {"loebenumre": [ak_koe[0], jc_koe[0], 0]}}, token=ak_token)
    assert data["webservicebeskederKvitter"]["beskeder"] == []
    assert data["webservicebeskederKvitter"]["fejl"] == [
        {"kode": 68001, "besked": f"Besked {jc_koe[0]} findes ikke i din kø", "felt": "input.loebenumre[1]"},
        {"kode": 68001, "besked": "Besked 0 findes ikke i din kø", "felt": "input.loebenumre[2]"},
    ]
    # All or nothing: the a-kasse's own message is still in its queue.
    assert await _koe(api, ak_token, b["cpr"]) == ak_koe
    assert await _koe(api, jc_token, b["cpr"]) == jc_koe


async def test_a_caller_without_a_queue_and_a_message_set_aside(api, engine):
    b, jc_token, _ak_token = await _setup(api, engine)
    jc_koe = await _koe(api, jc_token, b["cpr"])
    citizen = await api.data(KVITTER, {"input": {"loebenumre": jc_koe}}, token=api.token("borger", cpr=b["cpr"]))
    assert [e["kode"] for e in citizen["webservicebeskederKvitter"]["fejl"]] == [61002]  # a citizen has no queue
    async with engine.begin() as conn:
        sat_aside = (await conn.execute(text("""
            INSERT INTO webservicebesked (modtagertype, modtager, beskedtype, cpr, indhold, status, fejlaarsag)
            SELECT modtagertype, modtager, beskedtype, cpr, indhold, 'tilsidesat', 'test' FROM webservicebesked WHERE id = :i
            RETURNING id"""), {"i": jc_koe[0]})).scalar()
    aside = await api.data(KVITTER, {"input": {"loebenumre": [sat_aside]}}, token=jc_token)
    assert [e["kode"] for e in aside["webservicebeskederKvitter"]["fejl"]] == [68001]
    empty = await api.data(KVITTER, {"input": {"loebenumre": []}}, token=jc_token)
    assert empty["webservicebeskederKvitter"] == {"beskeder": [], "fejl": []}
    too_many = await api.data(KVITTER, {"input": {"loebenumre": list(range(1, 1002))}}, token=jc_token)
    assert [(e["kode"], e["felt"]) for e in too_many["webservicebeskederKvitter"]["fejl"]] == [(61011, "input.loebenumre")]
    assert await _koe(api, jc_token, b["cpr"]) == jc_koe
