"""The caseworker's summons (IndkaldelseService) and the citizen's participation choice through
HTTP: indkaldelseOpret, indkaldelseOpdater, indkaldelseAflys, moededeltagelsesvalgRegistrer, and
the deprecated BookingService path createBooking / updateBooking (R1.1-c, R1.1-d, R1.1-e,
R1.1-f, R1.1-h)."""

import asyncio
from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import text

from dfdg.context import DANMARK, idag
from dfdg.db.engine import Db
from dfdg.resolvers.webservicebesked import koe_besked
from tests import factories as f

FELTER = """
  id status starttid sluttid sted lokationsuddybning moedelink kunPersonligt oprettetAf
  moedeform { id udgaaet } samtaletype { id } moededeltagelsesvalg { id } valgbareMoedeformer { id }
"""
OPRET = f"""
mutation($input: IndkaldelseOpretInput!) {{
  indkaldelseOpret(input: $input) {{ indkaldelse {{ {FELTER} }} fejl {{ kode besked felt }} }}
}}"""
CREATE_BOOKING = f"""
mutation($input: IndkaldelseOpretInput!) {{
  createBooking(input: $input) {{ indkaldelse {{ {FELTER} }} fejl {{ kode besked felt }} }}
}}"""
OPDATER = f"""
mutation($id: ID!, $input: IndkaldelseOpdaterInput!) {{
  indkaldelseOpdater(id: $id, input: $input) {{ indkaldelse {{ {FELTER} }} fejl {{ kode besked felt }} }}
}}"""
UPDATE_BOOKING = f"""
mutation($id: ID!, $input: IndkaldelseOpdaterInput!) {{
  updateBooking(id: $id, input: $input) {{ indkaldelse {{ {FELTER} }} fejl {{ kode besked felt }} }}
}}"""
AFLYS = f"""
mutation($id: ID!) {{ indkaldelseAflys(id: $id) {{ indkaldelse {{ {FELTER} }} fejl {{ kode besked felt }} }} }}"""
VALG = f"""
mutation($id: ID!, $input: MoededeltagelsesvalgRegistrerInput!) {{
  moededeltagelsesvalgRegistrer(id: $id, input: $input) {{ indkaldelse {{ {FELTER} }} fejl {{ kode besked felt }} }}
}}"""
BESKEDER = "{ webservicebeskeder(first: 100) { nodes { beskedtype cpr indhold status } } }"


def moedetid(dage: int = 10, klokken: int = 9) -> datetime:
    return datetime.combine(idag() + timedelta(days=dage), time(klokken, 0), tzinfo=DANMARK)


def opret_input(cpr: str, **kw) -> dict:
    start = kw.pop("starttid", moedetid())
    values = {
        "cpr": cpr, "starttid": start.isoformat(), "sluttid": (start + timedelta(minutes=30)).isoformat(),
        "moedeformId": 1, "samtaletypeId": 7, "sted": "Jobcentret, Torvet 3",
    }
    values.update(kw)
    return values


def koder(payload: dict) -> list[tuple[int, str | None]]:
    return sorted((e["kode"], e["felt"]) for e in payload["fejl"])


async def _borger(engine, *, kontaktgruppe_id: int = 1, med_akasse: bool = True, **kw):
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine) if med_akasse else None
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=kontaktgruppe_id,
                       akasse_nummer=ak["nummer"] if ak else None, **kw)
    return b, jc, ak


async def _beskeder(engine, cpr: str) -> list[tuple]:
    async with engine.connect() as conn:
        rows = await conn.execute(text(
            "SELECT modtagertype, modtager, beskedtype, status FROM webservicebesked WHERE cpr = :c ORDER BY id"), {"c": cpr})
        return [tuple(r) for r in rows]


async def _scalar(engine, sql: str, **params):
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar()


# --- R1.1-f: IndkaldelseService ----------------------------------------------------------------

async def test_R1_1_f_indkaldelseOpret_summons_the_citizen_with_history_and_messages(api, engine):
    b, jc, ak = await _borger(engine)
    token = api.jobcenter(jc["nummer"])
    data = await api.data(OPRET, {"input": opret_input(b["cpr"], lokationsuddybning="Indgang B")}, token=token)
    payload = data["indkaldelseOpret"]
    assert payload["fejl"] == []
    indk = payload["indkaldelse"]
    assert (indk["status"], indk["moedeform"], indk["samtaletype"], indk["oprettetAf"]) == (
        "AKTIV", {"id": 1, "udgaaet": False}, {"id": 7}, jc["nummer"][:3])
    assert datetime.fromisoformat(indk["starttid"]) == moedetid()
    assert indk["lokationsuddybning"] == "Indgang B"
    assert await _scalar(engine, "SELECT count(*) FROM historik WHERE cpr = :c AND entitet = 'Indkaldelse' AND handling = 'oprettet'",
                         c=b["cpr"]) == 1
    assert await _beskeder(engine, b["cpr"]) == [
        ("jobcenter", jc["nummer"][:3], "IndkaldelseOprettet", "klar"), ("akasse", ak["nummer"], "IndkaldelseOprettet", "klar"),
    ]


async def test_R1_1_f_summons_messages_go_only_to_the_jobcentre_outside_kontaktgruppe_1(api, engine):
    b, jc, _ = await _borger(engine, kontaktgruppe_id=7)
    await api.data(OPRET, {"input": opret_input(b["cpr"])}, token=api.jobcenter(jc["nummer"]))
    assert await _beskeder(engine, b["cpr"]) == [("jobcenter", jc["nummer"][:3], "IndkaldelseOprettet", "klar")]


async def test_R1_1_f_update_and_cancel_queue_messages_and_keep_history(api, engine):
    b, jc, _ak = await _borger(engine)
    token = api.jobcenter(jc["nummer"])
    created = (await api.data(OPRET, {"input": opret_input(b["cpr"])}, token=token))["indkaldelseOpret"]["indkaldelse"]
    updated = await api.data(OPDATER, {"id": created["id"], "input": {"sted": "Biblioteket", "moedeformId": 2}}, token=token)
    assert updated["indkaldelseOpdater"]["fejl"] == []
    assert (updated["indkaldelseOpdater"]["indkaldelse"]["sted"], updated["indkaldelseOpdater"]["indkaldelse"]["moedeform"]["id"]) == ("Biblioteket", 2)
    cancelled = await api.data(AFLYS, {"id": created["id"]}, token=token)
    assert cancelled["indkaldelseAflys"]["fejl"] == [] and cancelled["indkaldelseAflys"]["indkaldelse"]["status"] == "AFLYST"
    typer = [r[2] for r in await _beskeder(engine, b["cpr"]) if r[0] == "akasse"]
    assert typer == ["IndkaldelseOprettet", "IndkaldelseOpdateret", "IndkaldelseAflyst"]
    handlinger = await _scalar(engine, "SELECT string_agg(handling, ',' ORDER BY id) FROM historik WHERE cpr = :c", c=b["cpr"])
    assert handlinger == "oprettet,opdateret,aflyst"
    foer = await _scalar(engine, "SELECT foer->>'sted' FROM historik WHERE cpr = :c AND handling = 'opdateret'", c=b["cpr"])
    assert foer == "Jobcentret, Torvet 3"


async def test_R1_1_f_a_cancelled_summons_cannot_be_changed(api, engine):
    b, jc, _ = await _borger(engine)
    token = api.jobcenter(jc["nummer"])
    indk = await f.indkaldelse(engine, b["cpr"], jc["nummer"], status="aflyst")
    for query, variables, navn in (
        (OPDATER, {"id": str(indk["id"]), "input": {"sted": "Andetsteds"}}, "indkaldelseOpdater"),
        (AFLYS, {"id": str(indk["id"])}, "indkaldelseAflys"),
        (VALG, {"id": str(indk["id"]), "input": {"moedeformId": 1}}, "moededeltagelsesvalgRegistrer"),
    ):
        data = await api.data(query, variables, token=token)
        assert koder(data[navn]) == [(62011, "id")], navn
    assert await _beskeder(engine, b["cpr"]) == []


async def test_R1_1_f_summons_selected_by_global_id_or_number_and_unknown_ids(api, engine):
    b, jc, _ = await _borger(engine)
    token = api.jobcenter(jc["nummer"])
    created = (await api.data(OPRET, {"input": opret_input(b["cpr"])}, token=token))["indkaldelseOpret"]["indkaldelse"]
    pk = await _scalar(engine, "SELECT max(id) FROM indkaldelse WHERE cpr = :c", c=b["cpr"])
    by_number = await api.data(OPDATER, {"id": str(pk), "input": {"sted": "A"}}, token=token)
    by_global = await api.data(OPDATER, {"id": created["id"], "input": {"sted": "B"}}, token=token)
    assert by_number["indkaldelseOpdater"]["indkaldelse"]["id"] == by_global["indkaldelseOpdater"]["indkaldelse"]["id"] == created["id"]
    for id in ("999999999", "99999999999999999999999", "TW9lZGV0aWxidWQ6MQ"):  # the last: a Moedetilbud id
        data = await api.data(OPDATER, {"id": id, "input": {"sted": "C"}}, token=token)
        assert koder(data["indkaldelseOpdater"]) == [(61001, "id")], id
    unknown = await api.data(OPRET, {"input": opret_input(f.ny_cpr())}, token=token)
    assert koder(unknown["indkaldelseOpret"]) == [(61001, "input.cpr")]


# --- R1.1-d: expired meeting forms ---------------------------------------------------------------

async def test_R1_1_d_expired_forms_are_rejected_in_new_summons(api, engine):
    b, jc, _ = await _borger(engine)
    token = api.jobcenter(jc["nummer"])
    for form in (4, 5, 6, 7):
        data = await api.data(OPRET, {"input": opret_input(b["cpr"], moedeformId=form)}, token=token)
        assert koder(data["indkaldelseOpret"]) == [(62005, "input.moedeformId")], form
    unknown = await api.data(OPRET, {"input": opret_input(b["cpr"], moedeformId=77)}, token=token)
    assert koder(unknown["indkaldelseOpret"]) == [(61006, "input.moedeformId")]
    assert await _scalar(engine, "SELECT count(*) FROM indkaldelse WHERE cpr = :c", c=b["cpr"]) == 0
    # The new and the still valid forms are accepted.
    for form in (2, 3, 9):
        data = await api.data(OPRET, {"input": opret_input(b["cpr"], moedeformId=form)}, token=token)
        assert data["indkaldelseOpret"]["fejl"] == [] and data["indkaldelseOpret"]["indkaldelse"]["moedeform"]["id"] == form


async def test_R1_1_d_summons_with_an_expired_form_stays_readable_updatable_and_cancellable(api, engine):
    b, jc, _ = await _borger(engine)
    token = api.jobcenter(jc["nummer"])
    gammel = await f.indkaldelse(engine, b["cpr"], jc["nummer"], moedeform_id=4)
    other_fields = await api.data(OPDATER, {"id": str(gammel["id"]), "input": {"sted": "Nyt lokale", "moedeformId": 4}}, token=token)
    assert other_fields["indkaldelseOpdater"]["fejl"] == []
    assert other_fields["indkaldelseOpdater"]["indkaldelse"]["moedeform"] == {"id": 4, "udgaaet": True}
    newly = await api.data(OPDATER, {"id": str(gammel["id"]), "input": {"moedeformId": 5}}, token=token)
    assert koder(newly["indkaldelseOpdater"]) == [(62005, "input.moedeformId")]
    nyere = await f.indkaldelse(engine, b["cpr"], jc["nummer"], moedeform_id=1)
    set_expired = await api.data(UPDATE_BOOKING, {"id": str(nyere["id"]), "input": {"moedeformId": 4}}, token=token)
    assert koder(set_expired["updateBooking"]) == [(62005, "input.moedeformId")]
    cancelled = await api.data(AFLYS, {"id": str(gammel["id"])}, token=token)
    assert cancelled["indkaldelseAflys"]["fejl"] == []
    assert cancelled["indkaldelseAflys"]["indkaldelse"]["moedeform"] == {"id": 4, "udgaaet": True}


# --- R1.1-e: the digital meeting link --------------------------------------------------------------

async def test_R1_1_e_digital_meeting_requires_an_absolute_https_link(api, engine):
    b, jc, _ = await _borger(engine)
    token = api.jobcenter(jc["nummer"])
    for link, forventet in ((None, 62006), ("   ", 62006), ("http://moede.example.dk/x", 62007),
                            ("//moede.example.dk/x", 62007), ("https:/moede.example.dk", 62007)):
        data = await api.data(OPRET, {"input": opret_input(b["cpr"], moedeformId=8, moedelink=link)}, token=token)
        assert koder(data["indkaldelseOpret"]) == [(forventet, "input.moedelink")], link
    ok = await api.data(OPRET, {"input": opret_input(b["cpr"], moedeformId=8, moedelink="https://moede.example.dk/x")}, token=token)
    assert ok["indkaldelseOpret"]["fejl"] == []
    assert ok["indkaldelseOpret"]["indkaldelse"]["moedelink"] == "https://moede.example.dk/x"
    # Setting form 8 on a summons without a link, or removing the link of a digital meeting.
    uden = await f.indkaldelse(engine, b["cpr"], jc["nummer"], moedeform_id=1)
    data = await api.data(OPDATER, {"id": str(uden["id"]), "input": {"moedeformId": 8}}, token=token)
    assert koder(data["indkaldelseOpdater"]) == [(62006, "input.moedelink")]
    data = await api.data(OPDATER, {"id": ok["indkaldelseOpret"]["indkaldelse"]["id"], "input": {"moedelink": None}}, token=token)
    assert koder(data["indkaldelseOpdater"]) == [(62006, "input.moedelink")]


# --- R1.1-c: in person by the jobcentre's concrete decision ---------------------------------------

async def test_R1_1_c_summons_marked_in_person_accepts_only_form_1(api, engine):
    b, jc, _ = await _borger(engine, moedeform_maalgruppe=True)
    token = api.jobcenter(jc["nummer"])
    refused = await api.data(OPRET, {"input": opret_input(b["cpr"], kunPersonligt=True, moedeformId=2)}, token=token)
    assert koder(refused["indkaldelseOpret"]) == [(62004, "input.moedeformId")]
    ok = await api.data(OPRET, {"input": opret_input(b["cpr"], kunPersonligt=True, moedeformId=1)}, token=token)
    indk = ok["indkaldelseOpret"]["indkaldelse"]
    assert ok["indkaldelseOpret"]["fejl"] == [] and indk["kunPersonligt"] is True
    # Even a citizen with the right to choose gets only form 1 for this one meeting.
    assert [m["id"] for m in indk["valgbareMoedeformer"]] == [1]
    telefon = await f.indkaldelse(engine, b["cpr"], jc["nummer"], moedeform_id=2)
    data = await api.data(OPDATER, {"id": str(telefon["id"]), "input": {"kunPersonligt": True}}, token=token)
    assert koder(data["indkaldelseOpdater"]) == [(62004, "input.moedeformId")]
    data = await api.data(OPDATER, {"id": str(telefon["id"]), "input": {"kunPersonligt": True, "moedeformId": 1}}, token=token)
    assert data["indkaldelseOpdater"]["fejl"] == []


async def test_R1_1_c_in_person_decision_overrides_an_earlier_choice(api, engine):
    b, jc, _ = await _borger(engine, moedeform_maalgruppe=True)
    token = api.jobcenter(jc["nummer"])
    indk = await f.indkaldelse(engine, b["cpr"], jc["nummer"], moedeform_id=1, moededeltagelsesvalg_id=2)
    data = await api.data(OPDATER, {"id": str(indk["id"]), "input": {"kunPersonligt": True}}, token=token)
    assert data["indkaldelseOpdater"]["fejl"] == []
    assert data["indkaldelseOpdater"]["indkaldelse"]["moededeltagelsesvalg"] is None


# --- all errors at once ----------------------------------------------------------------------------

async def test_all_errors_come_at_once(api, engine):
    b, jc, _ = await _borger(engine)
    start = moedetid()
    data = await api.data(OPRET, {"input": opret_input(
        b["cpr"], starttid=start, sluttid=(start - timedelta(minutes=10)).isoformat(), moedeformId=8,
        lokationsuddybning="x" * 501,
    )}, token=api.jobcenter(jc["nummer"]))
    assert koder(data["indkaldelseOpret"]) == [
        (61010, "input.lokationsuddybning"), (62006, "input.moedelink"), (62010, "input.sluttid"),
    ]
    nulls = await api.data(OPDATER, {"id": str((await f.indkaldelse(engine, b["cpr"], jc["nummer"]))["id"]),
                                     "input": {"starttid": None, "moedeformId": 4}}, token=api.jobcenter(jc["nummer"]))
    assert koder(nulls["indkaldelseOpdater"]) == [(61003, "input.starttid"), (62005, "input.moedeformId")]


# --- R1.1-f: the participation choice ------------------------------------------------------------

async def test_R1_1_f_moededeltagelsesvalg_among_the_forms_the_citizen_has_a_right_to(api, engine):
    b, jc, ak = await _borger(engine, moedeform_maalgruppe=True)
    borger_token = api.token("borger", cpr=b["cpr"])
    indk = await f.indkaldelse(engine, b["cpr"], jc["nummer"], moedeform_id=1, starttid=moedetid())
    refused = await api.data(VALG, {"id": str(indk["id"]), "input": {"moedeformId": 3}}, token=borger_token)
    assert koder(refused["moededeltagelsesvalgRegistrer"]) == [(62014, "input.moedeformId")]
    assert "(1, 2, 8)" in refused["moededeltagelsesvalgRegistrer"]["fejl"][0]["besked"]
    ok = await api.data(VALG, {"id": str(indk["id"]), "input": {"moedeformId": 2}}, token=borger_token)
    indkaldelse = ok["moededeltagelsesvalgRegistrer"]["indkaldelse"]
    assert ok["moededeltagelsesvalgRegistrer"]["fejl"] == []
    assert indkaldelse["moededeltagelsesvalg"] == {"id": 2}
    # The jobcentre's set form stays; the choice is beside it and goes to the jobcentre and a-kasse.
    assert indkaldelse["moedeform"]["id"] == 1
    assert await _beskeder(engine, b["cpr"]) == [
        ("jobcenter", jc["nummer"][:3], "MoededeltagelsesvalgRegistreret", "klar"),
        ("akasse", ak["nummer"], "MoededeltagelsesvalgRegistreret", "klar"),
    ]
    assert await _scalar(engine, "SELECT efter->>'moededeltagelsesvalg_id' FROM historik WHERE cpr = :c AND handling = 'moededeltagelsesvalg'",
                         c=b["cpr"]) == "2"


async def test_R1_1_f_moededeltagelsesvalg_without_the_right_is_only_the_set_form(api, engine):
    b, jc, _ = await _borger(engine, moedeform_maalgruppe=False)
    token = api.token("borger", cpr=b["cpr"])
    indk = await f.indkaldelse(engine, b["cpr"], jc["nummer"], moedeform_id=2, starttid=moedetid())
    refused = await api.data(VALG, {"id": str(indk["id"]), "input": {"moedeformId": 1}}, token=token)
    assert koder(refused["moededeltagelsesvalgRegistrer"]) == [(62014, "input.moedeformId")]
    assert "(2)" in refused["moededeltagelsesvalgRegistrer"]["fejl"][0]["besked"]
    ok = await api.data(VALG, {"id": str(indk["id"]), "input": {"moedeformId": 2}}, token=token)
    assert ok["moededeltagelsesvalgRegistrer"]["fejl"] == []


async def test_R1_1_f_moededeltagelsesvalg_follows_the_offer_and_R1_1_c_the_in_person_decision(api, engine):
    b, jc, _ = await _borger(engine, moedeform_maalgruppe=True)
    token = api.token("borger", cpr=b["cpr"])
    tilbud = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(), tilladte_moedeformer=[1, 2], moedelink=None)
    booked = await f.indkaldelse(engine, b["cpr"], jc["nummer"], moedetilbud_id=tilbud["id"], starttid=moedetid())
    outside = await api.data(VALG, {"id": str(booked["id"]), "input": {"moedeformId": 8}}, token=token)
    assert "(1, 2)" in outside["moededeltagelsesvalgRegistrer"]["fejl"][0]["besked"]
    personligt = await f.indkaldelse(engine, b["cpr"], jc["nummer"], kun_personligt=True, starttid=moedetid())
    # R1.1-c: the jobcentre's in-person decision is what refuses, with that rule's code (as moedetilbudBook)
    for form in (2, 8, 3):
        refused = await api.data(VALG, {"id": str(personligt["id"]), "input": {"moedeformId": form}}, token=token)
        assert koder(refused["moededeltagelsesvalgRegistrer"]) == [(62004, "input.moedeformId")]
        assert "personligt fremmøde (mødeform 1)" in refused["moededeltagelsesvalgRegistrer"]["fejl"][0]["besked"]
    ok = await api.data(VALG, {"id": str(personligt["id"]), "input": {"moedeformId": 1}}, token=token)
    assert ok["moededeltagelsesvalgRegistrer"]["fejl"] == []


# --- R1.1-f: the deprecated BookingService path -----------------------------------------------------

def _uden_identitet(indkaldelse: dict | None) -> dict | None:
    if indkaldelse is None:
        return None
    return {k: v for k, v in indkaldelse.items() if k != "id"}


async def test_R1_1_f_legacy_createBooking_gives_the_same_data_and_errors_as_indkaldelseOpret(api, engine):
    b, jc, _ = await _borger(engine)
    token = api.jobcenter(jc["nummer"])
    good = opret_input(b["cpr"], moedeformId=8, moedelink="https://moede.example.dk/r", lokationsuddybning=" ", kunPersonligt=False)
    new = await api(OPRET, {"input": good}, token=token)
    old = await api(CREATE_BOOKING, {"input": good}, token=token)
    assert new["data"]["indkaldelseOpret"]["fejl"] == old["data"]["createBooking"]["fejl"] == []
    assert _uden_identitet(new["data"]["indkaldelseOpret"]["indkaldelse"]) == _uden_identitet(old["data"]["createBooking"]["indkaldelse"])
    # Legacy is not slower: the same statements, because it is the same code.
    assert old["extensions"]["sql"]["statements"] == new["extensions"]["sql"]["statements"]
    async with engine.connect() as conn:
        rows = (await conn.execute(text(
            "SELECT cpr, jobcenter_nummer, starttid, sluttid, moedeform_id, samtaletype_id, sted, lokationsuddybning, "
            "moedelink, kun_personligt, status, oprettet_af FROM indkaldelse WHERE cpr = :c ORDER BY id"), {"c": b["cpr"]})).all()
    assert len(rows) == 2 and tuple(rows[0]) == tuple(rows[1])
    # And the same messages.
    assert [r[2] for r in await _beskeder(engine, b["cpr"])] == ["IndkaldelseOprettet"] * 4

    start = moedetid()
    bad = opret_input(b["cpr"], starttid=start, sluttid=start.isoformat(), moedeformId=5, kunPersonligt=True)
    new_bad = await api.data(OPRET, {"input": bad}, token=token)
    old_bad = await api.data(CREATE_BOOKING, {"input": bad}, token=token)
    assert new_bad["indkaldelseOpret"]["fejl"] == old_bad["createBooking"]["fejl"]
    assert koder(old_bad["createBooking"]) == [(62004, "input.moedeformId"), (62005, "input.moedeformId"), (62010, "input.sluttid")]


async def test_R1_1_f_legacy_updateBooking_gives_the_same_data_and_errors_as_indkaldelseOpdater(api, engine):
    b, jc, _ = await _borger(engine)
    token = api.jobcenter(jc["nummer"])
    a = await f.indkaldelse(engine, b["cpr"], jc["nummer"], starttid=moedetid())
    c = await f.indkaldelse(engine, b["cpr"], jc["nummer"], starttid=moedetid())
    change = {"moedeformId": 8, "moedelink": "https://moede.example.dk/z", "sted": None, "lokationsuddybning": "\t"}
    new = await api(OPDATER, {"id": str(a["id"]), "input": change}, token=token)
    old = await api(UPDATE_BOOKING, {"id": str(c["id"]), "input": change}, token=token)
    assert new["data"]["indkaldelseOpdater"]["fejl"] == old["data"]["updateBooking"]["fejl"] == []
    assert _uden_identitet(new["data"]["indkaldelseOpdater"]["indkaldelse"]) == _uden_identitet(old["data"]["updateBooking"]["indkaldelse"])
    assert old["extensions"]["sql"]["statements"] == new["extensions"]["sql"]["statements"]
    bad = {"moedelink": "ftp://x", "samtaletypeId": 999}
    new_bad = await api.data(OPDATER, {"id": str(a["id"]), "input": bad}, token=token)
    old_bad = await api.data(UPDATE_BOOKING, {"id": str(c["id"]), "input": bad}, token=token)
    assert new_bad["indkaldelseOpdater"]["fejl"] == old_bad["updateBooking"]["fejl"]
    assert koder(old_bad["updateBooking"]) == [(61006, "input.samtaletypeId"), (62007, "input.moedelink")]


async def test_R1_1_f_legacy_operations_are_deprecated_naming_the_replacement(api, engine):
    jc = await f.jobcenter(engine)
    data = await api.data('{ __type(name: "Mutation") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }',
                          token=api.jobcenter(jc["nummer"]))
    felter = {f["name"]: f for f in data["__type"]["fields"]}
    assert felter["createBooking"]["isDeprecated"] and "indkaldelseOpret" in felter["createBooking"]["deprecationReason"]
    assert felter["updateBooking"]["isDeprecated"] and "indkaldelseOpdater" in felter["updateBooking"]["deprecationReason"]
    for navn in ("indkaldelseOpret", "indkaldelseOpdater", "indkaldelseAflys", "moededeltagelsesvalgRegistrer",
                 "moedetilbudPubliser", "moedetilbudOpdater", "moedeformMaalgruppeOpdater", "moedetilbudBook"):
        assert felter[navn]["isDeprecated"] is False, navn


async def test_R1_1_f_idempotent_summons_with_the_same_key_is_created_once(api, engine):
    b, jc, _ = await _borger(engine)
    token = api.jobcenter(jc["nummer"])
    variables = {"input": opret_input(b["cpr"], idempotensnoegle="indk-1")}
    first = await api.data(OPRET, variables, token=token)
    second = await api.data(OPRET, variables, token=token)
    assert first == second
    assert await _scalar(engine, "SELECT count(*) FROM indkaldelse WHERE cpr = :c", c=b["cpr"]) == 1


# --- R1.1-h: blank texts and a message that cannot be validated -------------------------------------

async def test_R1_1_h_blank_lokationsuddybning_on_a_summons_is_stored_as_absent(api, engine):
    b, jc, _ = await _borger(engine)
    token = api.jobcenter(jc["nummer"])
    data = await api.data(OPRET, {"input": opret_input(b["cpr"], lokationsuddybning=" \t ", sted="  ")}, token=token)
    indk = data["indkaldelseOpret"]["indkaldelse"]
    assert (indk["lokationsuddybning"], indk["sted"]) == (None, None)
    assert await _scalar(engine, "SELECT count(*) FROM indkaldelse WHERE cpr = :c AND lokationsuddybning IS NULL AND sted IS NULL",
                         c=b["cpr"]) == 1
    assert {r[3] for r in await _beskeder(engine, b["cpr"])} == {"klar"}


async def test_R1_1_h_a_stored_blank_text_never_makes_a_summons_message_invalid(api, engine):
    """A summons stored before the fix with a blank place still gives valid messages."""
    b, jc, _ak = await _borger(engine)
    indk = await f.indkaldelse(engine, b["cpr"], jc["nummer"], sted="   ")
    data = await api.data(AFLYS, {"id": str(indk["id"])}, token=api.jobcenter(jc["nummer"]))
    assert data["indkaldelseAflys"]["fejl"] == []
    assert [r[3] for r in await _beskeder(engine, b["cpr"])] == ["klar", "klar"]
    async with engine.connect() as conn:
        steder = (await conn.execute(text("SELECT indhold->'sted' FROM webservicebesked WHERE cpr = :c"), {"c": b["cpr"]})).scalars().all()
    assert steder == [None, None]


async def test_R1_1_h_a_set_aside_message_does_not_block_the_recipients_queue(api, engine):
    b, jc, ak = await _borger(engine)
    # A message that fails validation (an empty text, the release's known problem) ...
    async with Db(engine).transaction() as tx:
        await koe_besked(tx, modtagertype="akasse", modtager=ak["nummer"], beskedtype="IndkaldelseOprettet", cpr=b["cpr"],
                         indhold={"indkaldelseId": 1, "cpr": b["cpr"], "jobcenter": jc["nummer"], "starttid": "x",
                                  "sluttid": "y", "moedeform": 1, "status": "aktiv", "lokationsuddybning": ""})
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT status, fejlaarsag FROM webservicebesked WHERE cpr = :c"), {"c": b["cpr"]})).one()
    assert row[0] == "tilsidesat" and "lokationsuddybning" in row[1]
    # ... is set aside; later messages for the same a-kasse still reach its queue.
    token = api.jobcenter(jc["nummer"])
    created = (await api.data(OPRET, {"input": opret_input(b["cpr"], lokationsuddybning="")}, token=token))["indkaldelseOpret"]
    await api.data(VALG, {"id": created["indkaldelse"]["id"], "input": {"moedeformId": 1}}, token=api.token("borger", cpr=b["cpr"]))
    for queue_token in (api.token("akasse", myndighed=ak["nummer"]), token):
        nodes = (await api.data(BESKEDER, token=queue_token))["webservicebeskeder"]["nodes"]
        mine = [n for n in nodes if n["cpr"] == b["cpr"]]
        assert [n["beskedtype"] for n in mine] == ["IndkaldelseOprettet", "MoededeltagelsesvalgRegistreret"]
        assert all(n["status"] == "klar" and n["indhold"]["lokationsuddybning"] is None for n in mine)


async def test_R1_1_f_a_time_without_offset_is_danish_time(api, engine):
    b, jc, _ = await _borger(engine)
    start = moedetid(dage=40)
    naiv = opret_input(b["cpr"], starttid=start.replace(tzinfo=None), sluttid=(start + timedelta(hours=1)).replace(tzinfo=None).isoformat())
    assert "+" not in naiv["starttid"] and "+" not in naiv["sluttid"]
    data = await api.data(OPRET, {"input": naiv}, token=api.jobcenter(jc["nummer"]))
    indk = data["indkaldelseOpret"]["indkaldelse"]
    assert datetime.fromisoformat(indk["starttid"]) == start
    assert datetime.fromisoformat(indk["sluttid"]) == start + timedelta(hours=1)


async def test_a_mutation_cancelled_mid_statement_does_not_leave_its_connection_to_the_next(database_url, settings):
    from dfdg.db.engine import create_engine

    engine = create_engine(replace(settings, pool_size=1), database_url)  # the next transaction gets the same slot
    try:
        db = Db(engine)

        async def sover():
            async with db.transaction() as tx:
                await tx.all(text("SELECT pg_sleep(5)"))

        opgave = asyncio.create_task(sover())
        await asyncio.sleep(0.3)
        opgave.cancel()
        with pytest.raises(asyncio.CancelledError):
            await opgave
        async with db.transaction() as tx:
            assert (await tx.first(text("SELECT 1 AS en")))["en"] == 1
        with pytest.raises(ZeroDivisionError):  # an ordinary exception rolls back too
            async with db.transaction() as tx:
                await tx.all(text("CREATE TEMP TABLE efterladt (a int)"))
                raise ZeroDivisionError
        async with db.transaction() as tx:
            assert (await tx.first(text("SELECT to_regclass('pg_temp.efterladt') IS NULL AS vaek")))["vaek"]
    finally:
        await engine.dispose()
