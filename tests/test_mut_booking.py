"""The planner's offers and target group, and the citizen's self-booking (BorgerBookingService),
through HTTP: moedetilbudPubliser, moedetilbudOpdater, moedeformMaalgruppeOpdater, moedetilbudBook
(R1.1-a, R1.1-b, R1.1-c, R1.1-d, R1.1-e, R1.1-g, R1.1-h)."""

import asyncio
from datetime import datetime, time, timedelta

from sqlalchemy import text

from dfdg.context import DANMARK, idag
from dfdg.regler.borger import plus_maaneder
from tests import factories as f

PUBLISER = """
mutation($input: MoedetilbudPubliserInput!) {
  moedetilbudPubliser(input: $input) {
    moedetilbud {
      id starttid sluttid sted lokationsuddybning moedelink kapacitet antalBooket ledigePladser kunPersonligt
      moedeform { id } tilladteMoedeformer { id } samtaletype { id } jobcenter { nummer }
    }
    fejl { kode besked felt }
  }
}"""
OPDATER_TILBUD = """
mutation($id: ID!, $input: MoedetilbudOpdaterInput!) {
  moedetilbudOpdater(id: $id, input: $input) {
    moedetilbud { id starttid sted lokationsuddybning kapacitet antalBooket tilladteMoedeformer { id } }
    fejl { kode besked felt }
  }
}"""
MAALGRUPPE = """
mutation($input: MoedeformMaalgruppeOpdaterInput!) {
  moedeformMaalgruppeOpdater(input: $input) {
    borger { cpr moedeformMaalgruppe harRetTilValgAfMoedeform }
    fejl { kode felt }
  }
}"""
BOOK = """
mutation($input: MoedetilbudBookInput!) {
  moedetilbudBook(input: $input) {
    indkaldelse {
      id status starttid sluttid sted lokationsuddybning moedelink kunPersonligt oprettetAf
      moedeform { id } moededeltagelsesvalg { id } valgbareMoedeformer { id }
      moedetilbud { id antalBooket ledigePladser }
    }
    fejl { kode besked felt }
  }
}"""
AFLYS = "mutation($id: ID!) { indkaldelseAflys(id: $id) { indkaldelse { status } fejl { kode felt } } }"


def moedetid(dage: int = 7, klokken: int = 10) -> datetime:
    """A meeting start in Danish time, ``dage`` days from today."""
    return datetime.combine(idag() + timedelta(days=dage), time(klokken, 0), tzinfo=DANMARK)


def tilbud_input(**kw) -> dict:
    start = kw.pop("starttid", moedetid())
    values = {
        "starttid": start.isoformat(), "sluttid": (start + timedelta(minutes=45)).isoformat(),
        "sted": "Jobcentret, Vestergade 1", "tilladteMoedeformer": [1, 2, 8], "moedeformId": 1,
        "samtaletypeId": 7, "kapacitet": 5, "moedelink": "https://moede.example.dk/rum/1",
    }
    values.update(kw)
    return values


def koder(payload: dict) -> list[int]:
    return sorted(e["kode"] for e in payload["fejl"])


async def _jobcenter_og_borger(engine, *, med_ret: bool = True, **kw):
    """A jobcentre and a citizen of it; ``med_ret``: unemployed ~10 months and in the target group."""
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], moedeform_maalgruppe=med_ret, **kw)
    return jc, b


async def _scalar(engine, sql: str, **params):
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar()


async def _book(api, borger: dict, tilbud_id, **kw) -> dict:
    variables = {"input": {"moedetilbudId": str(tilbud_id), **kw}}
    return (await api.data(BOOK, variables, token=api.token("borger", cpr=borger["cpr"])))["moedetilbudBook"]


# --- R1.1-g: the planner publishes offers ------------------------------------------------------

async def test_R1_1_g_planner_publishes_offer_for_its_jobcentre(api, engine):
    jc = await f.jobcenter(engine)
    planner = api.token("planner", myndighed=jc["nummer"])
    data = await api.data(PUBLISER, {"input": tilbud_input(lokationsuddybning="Lokale 2, 1. sal")}, token=planner)
    payload = data["moedetilbudPubliser"]
    assert payload["fejl"] == []
    tilbud = payload["moedetilbud"]
    assert tilbud["jobcenter"] == {"nummer": jc["nummer"]}
    assert [m["id"] for m in tilbud["tilladteMoedeformer"]] == [1, 2, 8]
    assert (tilbud["kapacitet"], tilbud["antalBooket"], tilbud["ledigePladser"]) == (5, 0, 5)
    assert tilbud["lokationsuddybning"] == "Lokale 2, 1. sal"
    assert tilbud["moedelink"] == "https://moede.example.dk/rum/1"
    assert await _scalar(engine, "SELECT count(*) FROM historik WHERE entitet = 'Moedetilbud' AND handling = 'oprettet' "
                                 "AND efter->>'jobcenter_nummer' = :j", j=jc["nummer"]) == 1


async def test_R1_1_g_offer_rejections_come_all_at_once(api, engine):
    jc = await f.jobcenter(engine)
    planner = api.token("planner", myndighed=jc["nummer"])
    start = moedetid()
    data = await api.data(PUBLISER, {"input": tilbud_input(
        starttid=start, sluttid=(start - timedelta(minutes=5)).isoformat(), kapacitet=0, tilladteMoedeformer=[1, 8],
        moedeformId=2, moedelink=None,
    )}, token=planner)
    payload = data["moedetilbudPubliser"]
    assert payload["moedetilbud"] is None
    assert sorted((e["kode"], e["felt"]) for e in payload["fejl"]) == [
        (62001, "input.moedeformId"), (62006, "input.moedelink"), (62010, "input.sluttid"), (62012, "input.kapacitet"),
    ]
    past = await api.data(PUBLISER, {"input": tilbud_input(starttid=moedetid(dage=-1))}, token=planner)
    assert koder(past["moedetilbudPubliser"]) == [62009]
    assert await _scalar(engine, "SELECT count(*) FROM moedetilbud WHERE jobcenter_nummer = :j", j=jc["nummer"]) == 0


async def test_R1_1_g_offer_for_unknown_or_malformed_jobcentre(api, engine):
    jc = await f.jobcenter(engine)
    planner = api.token("planner", myndighed=jc["nummer"])
    unknown = await api.data(PUBLISER, {"input": tilbud_input(jobcenterNummer="99999")}, token=planner)
    assert [(e["kode"], e["felt"]) for e in unknown["moedetilbudPubliser"]["fejl"]] == [(61001, "input.jobcenterNummer")]
    bad = await api.data(PUBLISER, {"input": tilbud_input(jobcenterNummer="12")}, token=planner)
    assert [(e["kode"], e["felt"]) for e in bad["moedetilbudPubliser"]["fejl"]] == [(61011, "input.jobcenterNummer")]


# --- R1.1-a / R1.1-c / R1.1-d / R1.1-e on the offer ----------------------------------------------

async def test_R1_1_a_offer_allows_only_forms_among_1_2_8(api, engine):
    jc = await f.jobcenter(engine)
    planner = api.token("planner", myndighed=jc["nummer"])
    ok = await api.data(PUBLISER, {"input": tilbud_input(tilladteMoedeformer=[2, 1], moedeformId=2, moedelink=None)}, token=planner)
    assert ok["moedetilbudPubliser"]["fejl"] == []
    assert [m["id"] for m in ok["moedetilbudPubliser"]["moedetilbud"]["tilladteMoedeformer"]] == [1, 2]
    for tilladte, forventet in (([], [62013]), ([1, 3], [62002]), ([1, 9], [62002]), ([1, 42], [61006])):
        data = await api.data(PUBLISER, {"input": tilbud_input(tilladteMoedeformer=tilladte, moedelink=None)}, token=planner)
        assert koder(data["moedetilbudPubliser"]) == forventet, tilladte


async def test_R1_1_d_offer_with_expired_form_is_rejected(api, engine):
    jc = await f.jobcenter(engine)
    planner = api.token("planner", myndighed=jc["nummer"])
    data = await api.data(PUBLISER, {"input": tilbud_input(tilladteMoedeformer=[1, 4])}, token=planner)
    assert [(e["kode"], e["felt"]) for e in data["moedetilbudPubliser"]["fejl"]] == [(62005, "input.tilladteMoedeformer")]


async def test_R1_1_c_offer_in_person_only_allows_only_form_1(api, engine):
    jc = await f.jobcenter(engine)
    planner = api.token("planner", myndighed=jc["nummer"])
    bad = await api.data(PUBLISER, {"input": tilbud_input(kunPersonligt=True, tilladteMoedeformer=[1, 2], moedelink=None)}, token=planner)
    assert [(e["kode"], e["felt"]) for e in bad["moedetilbudPubliser"]["fejl"]] == [(62004, "input.tilladteMoedeformer")]
    ok = await api.data(PUBLISER, {"input": tilbud_input(kunPersonligt=True, tilladteMoedeformer=[1], moedelink=None)}, token=planner)
    assert ok["moedetilbudPubliser"]["fejl"] == []
    assert ok["moedetilbudPubliser"]["moedetilbud"]["kunPersonligt"] is True


async def test_R1_1_e_offer_with_digital_meeting_needs_absolute_https_link(api, engine):
    jc = await f.jobcenter(engine)
    planner = api.token("planner", myndighed=jc["nummer"])
    for link, forventet in ((None, [62006]), ("http://moede.example.dk/1", [62007]), ("moede.example.dk/1", [62007]),
                            ("https://", [62007]), ("https://moede.example.dk/a b", [62007]), ("HTTPS://moede.example.dk", [62007])):
        data = await api.data(PUBLISER, {"input": tilbud_input(moedelink=link)}, token=planner)
        assert koder(data["moedetilbudPubliser"]) == forventet, link
    ok = await api.data(PUBLISER, {"input": tilbud_input(moedelink="https://moede.example.dk/rum/2?pin=1")}, token=planner)
    assert ok["moedetilbudPubliser"]["fejl"] == []


# --- R1.1-h: blank lokationsuddybning is stored as absent ----------------------------------------

async def test_R1_1_h_blank_lokationsuddybning_is_stored_as_null_and_booking_message_is_valid(api, engine):
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1, akasse_nummer=ak["nummer"])
    planner = api.token("planner", myndighed=jc["nummer"])
    data = await api.data(PUBLISER, {"input": tilbud_input(lokationsuddybning="   ")}, token=planner)
    tilbud = data["moedetilbudPubliser"]["moedetilbud"]
    assert tilbud["lokationsuddybning"] is None
    pk = await _scalar(engine, "SELECT max(id) FROM moedetilbud WHERE jobcenter_nummer = :j", j=jc["nummer"])
    assert await _scalar(engine, "SELECT lokationsuddybning IS NULL FROM moedetilbud WHERE id = :i", i=pk) is True
    # An update to the empty string is normalised the same way.
    upd = await api.data(OPDATER_TILBUD, {"id": tilbud["id"], "input": {"lokationsuddybning": ""}}, token=planner)
    assert upd["moedetilbudOpdater"]["fejl"] == [] and upd["moedetilbudOpdater"]["moedetilbud"]["lokationsuddybning"] is None

    booked = await _book(api, b, tilbud["id"])
    assert booked["fejl"] == [] and booked["indkaldelse"]["lokationsuddybning"] is None
    # The citizen's summons look-up works, and both messages are valid and queued.
    look = await api.data("query($c: String!) { borger(cpr: $c) { indkaldelser { lokationsuddybning sted } } }",
                          {"c": b["cpr"]}, token=api.token("borger", cpr=b["cpr"]))
    assert look["borger"]["indkaldelser"] == [{"lokationsuddybning": None, "sted": "Jobcentret, Vestergade 1"}]
    async with engine.connect() as conn:
        rows = (await conn.execute(text(
            "SELECT modtagertype, status, indhold FROM webservicebesked WHERE cpr = :c ORDER BY modtagertype"), {"c": b["cpr"]})).all()
    assert [(r[0], r[1]) for r in rows] == [("akasse", "klar"), ("jobcenter", "klar")]
    assert all(r[2]["lokationsuddybning"] is None and r[2]["sted"] == "Jobcentret, Vestergade 1" for r in rows)


# --- moedetilbudOpdater ------------------------------------------------------------------------

async def test_R1_1_g_offer_update_moves_booked_summons_and_keeps_capacity_above_bookings(api, engine):
    jc, b = await _jobcenter_og_borger(engine)
    planner = api.token("planner", myndighed=jc["nummer"])
    tilbud = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(), kapacitet=2)
    booked = await _book(api, b, tilbud["id"])
    assert booked["fejl"] == []
    lower = await api.data(OPDATER_TILBUD, {"id": str(tilbud["id"]), "input": {"kapacitet": 0}}, token=planner)
    assert [(e["kode"], e["felt"]) for e in lower["moedetilbudOpdater"]["fejl"]] == [(62012, "input.kapacitet")]
    nulled = await api.data(OPDATER_TILBUD, {"id": str(tilbud["id"]), "input": {"starttid": None, "kapacitet": 1}}, token=planner)
    assert [(e["kode"], e["felt"]) for e in nulled["moedetilbudOpdater"]["fejl"]] == [(61003, "input.starttid")]

    ny_start = moedetid(dage=8, klokken=13)
    moved = await api.data(OPDATER_TILBUD, {"id": str(tilbud["id"]), "input": {
        "starttid": ny_start.isoformat(), "sluttid": (ny_start + timedelta(hours=1)).isoformat(), "sted": "Rådhuset", "kapacitet": 1,
    }}, token=planner)
    assert moved["moedetilbudOpdater"]["fejl"] == []
    assert moved["moedetilbudOpdater"]["moedetilbud"]["kapacitet"] == 1
    summons = await api.data("query($id: ID!) { indkaldelse(id: $id) { starttid sted } }",
                             {"id": booked["indkaldelse"]["id"]}, token=api.jobcenter(jc["nummer"]))
    assert datetime.fromisoformat(summons["indkaldelse"]["starttid"]) == ny_start
    assert summons["indkaldelse"]["sted"] == "Rådhuset"
    typer = await _scalar(engine, "SELECT string_agg(beskedtype, ',' ORDER BY id) FROM webservicebesked WHERE cpr = :c", c=b["cpr"])
    assert typer == "IndkaldelseOprettet,IndkaldelseOpdateret"


async def test_offer_update_unknown_id(api, engine):
    jc = await f.jobcenter(engine)
    planner = api.token("planner", myndighed=jc["nummer"])
    for id in ("999999999", "99999999999999999999999"):
        data = await api.data(OPDATER_TILBUD, {"id": id, "input": {"kapacitet": 3}}, token=planner)
        assert [(e["kode"], e["felt"]) for e in data["moedetilbudOpdater"]["fejl"]] == [(61001, "id")]


# --- R1.1-b / R1.1-g: the target group ----------------------------------------------------------

async def test_R1_1_b_planner_sets_target_group_and_it_decides_the_right_to_choose(api, engine):
    jc, b = await _jobcenter_og_borger(engine, med_ret=False)
    planner = api.token("planner", myndighed=jc["nummer"])
    tilbud = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(), kapacitet=5)
    # Not in the target group: books only in the offer's set form.
    refused = await _book(api, b, tilbud["id"], moedeformId=2)
    assert [(e["kode"], e["felt"]) for e in refused["fejl"]] == [(62003, "input.moedeformId")]
    ind = await api.data(MAALGRUPPE, {"input": {"cpr": b["cpr"], "iMaalgruppe": True}}, token=planner)
    assert ind["moedeformMaalgruppeOpdater"] == {
        "borger": {"cpr": b["cpr"], "moedeformMaalgruppe": True, "harRetTilValgAfMoedeform": True}, "fejl": [],
    }
    chosen = await _book(api, b, tilbud["id"], moedeformId=2)
    assert chosen["fejl"] == [] and chosen["indkaldelse"]["moedeform"] == {"id": 2}
    assert chosen["indkaldelse"]["moededeltagelsesvalg"] == {"id": 2}
    ud = await api.data(MAALGRUPPE, {"input": {"cpr": b["cpr"], "iMaalgruppe": False}}, token=planner)
    assert ud["moedeformMaalgruppeOpdater"]["borger"]["harRetTilValgAfMoedeform"] is False
    assert await _scalar(engine, "SELECT count(*) FROM historik WHERE cpr = :c AND entitet = 'Borger'", c=b["cpr"]) == 2


async def test_R1_1_b_target_group_unknown_citizen(api, engine):
    jc = await f.jobcenter(engine)
    data = await api.data(MAALGRUPPE, {"input": {"cpr": f.ny_cpr(), "iMaalgruppe": True}}, token=api.token("planner", myndighed=jc["nummer"]))
    assert [(e["kode"], e["felt"]) for e in data["moedeformMaalgruppeOpdater"]["fejl"]] == [(61001, "input.cpr")]


async def test_R1_1_b_six_months_are_counted_to_the_meeting_date(api, engine):
    jc = await f.jobcenter(engine)
    start = moedetid(dage=7)
    seks_maaneder_foer = plus_maaneder(start.date(), -6)
    # Six months on the meeting day (not yet today): the citizen may choose.
    lige = await f.borger(engine, jobcenter_nummer=jc["nummer"], moedeform_maalgruppe=True, ledighedsdato=seks_maaneder_foer)
    # One day short of six months on the meeting day: no right.
    kort = await f.borger(engine, jobcenter_nummer=jc["nummer"], moedeform_maalgruppe=True,
                          ledighedsdato=seks_maaneder_foer + timedelta(days=1))
    tilbud = await f.moedetilbud(engine, jc["nummer"], starttid=start, kapacitet=5)
    ok = await _book(api, lige, tilbud["id"], moedeformId=8)
    assert ok["fejl"] == [] and ok["indkaldelse"]["moedeform"] == {"id": 8}
    assert ok["indkaldelse"]["moedelink"] == tilbud["moedelink"]
    refused = await _book(api, kort, tilbud["id"], moedeformId=8)
    assert koder(refused) == [62003]
    default = await _book(api, kort, tilbud["id"])
    assert default["fejl"] == [] and default["indkaldelse"]["moedeform"] == {"id": 1}
    assert default["indkaldelse"]["moededeltagelsesvalg"] is None
    assert [m["id"] for m in default["indkaldelse"]["valgbareMoedeformer"]] == [1]


# --- R1.1-a / R1.1-c: the citizen's choice in self-booking -------------------------------------

async def test_R1_1_a_citizen_with_right_chooses_among_the_offers_forms(api, engine):
    jc, b = await _jobcenter_og_borger(engine)
    tilbud = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(), tilladte_moedeformer=[1, 8], kapacitet=5)
    outside = await _book(api, b, tilbud["id"], moedeformId=2)
    assert [(e["kode"], e["felt"]) for e in outside["fejl"]] == [(62001, "input.moedeformId")]
    assert "1, 8" in outside["fejl"][0]["besked"]
    for form in (3, 4, 9):
        not_choice = await _book(api, b, tilbud["id"], moedeformId=form)
        assert koder(not_choice) == [62002], form
    ok = await _book(api, b, tilbud["id"], moedeformId=8)
    assert ok["fejl"] == []
    indk = ok["indkaldelse"]
    assert (indk["status"], indk["moedeform"], indk["moedelink"]) == ("AKTIV", {"id": 8}, tilbud["moedelink"])
    assert [m["id"] for m in indk["valgbareMoedeformer"]] == [1, 8]
    assert indk["oprettetAf"] == jc["nummer"][:3]
    assert indk["moedetilbud"]["antalBooket"] == 1


async def test_R1_1_c_in_person_offer_books_only_form_1_even_with_the_right(api, engine):
    jc, b = await _jobcenter_og_borger(engine)
    tilbud = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(), tilladte_moedeformer=[1], kun_personligt=True,
                                 moedelink=None, kapacitet=5)
    refused = await _book(api, b, tilbud["id"], moedeformId=2)
    assert [(e["kode"], e["felt"]) for e in refused["fejl"]] == [(62004, "input.moedeformId")]
    ok = await _book(api, b, tilbud["id"], moedeformId=1)
    assert ok["fejl"] == [] and ok["indkaldelse"]["kunPersonligt"] is True


async def test_R1_1_c_no_absence_takes_away_the_right_to_choose(api, engine):
    """R1.1-c: the right is assessed per meeting; an absence never removes it for a period."""
    jc, b = await _jobcenter_og_borger(engine)
    for fravaerstype in (56, 57, 75):
        await f.fravaer(engine, b["cpr"], fravaerstype, idag() - timedelta(days=10))
    tilbud = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(), kapacitet=5)
    ok = await _book(api, b, tilbud["id"], moedeformId=2)
    assert ok["fejl"] == [] and ok["indkaldelse"]["moedeform"] == {"id": 2}


# --- R1.1-g: capacity, time, duplicates --------------------------------------------------------

async def test_R1_1_g_full_past_and_already_booked_offers_are_refused(api, engine):
    jc, b = await _jobcenter_og_borger(engine)
    fuldt = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(), kapacitet=2, antal_booket=2)
    assert [(e["kode"], e["felt"]) for e in (await _book(api, b, fuldt["id"]))["fejl"]] == [(62008, "input.moedetilbudId")]
    forbi = await f.moedetilbud(engine, jc["nummer"], starttid=f.nu() - timedelta(hours=1), kapacitet=2)
    assert koder(await _book(api, b, forbi["id"])) == [62009]
    aabent = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(), kapacitet=3)
    assert (await _book(api, b, aabent["id"]))["fejl"] == []
    again = await _book(api, b, aabent["id"], moedeformId=2)
    assert [(e["kode"], e["felt"]) for e in again["fejl"]] == [(62015, "input.moedetilbudId")]
    unknown = await _book(api, b, 999999999)
    assert [(e["kode"], e["felt"]) for e in unknown["fejl"]] == [(61001, "input.moedetilbudId")]
    assert await _scalar(engine, "SELECT antal_booket FROM moedetilbud WHERE id = :i", i=aabent["id"]) == 1


async def test_R1_1_g_offer_of_another_authority_cannot_be_booked(api, engine):
    jc, b = await _jobcenter_og_borger(engine)
    andet = await f.jobcenter(engine)
    tilbud = await f.moedetilbud(engine, andet["nummer"], starttid=moedetid(), kapacitet=3)
    refused = await _book(api, b, tilbud["id"])
    assert [(e["kode"], e["felt"]) for e in refused["fejl"]] == [(62016, "input.moedetilbudId")]
    # Sub-jobcentres of the same authority (first three digits) are the same authority.
    soester = await f.jobcenter(engine, nummer=jc["nummer"][:3] + ("00" if jc["nummer"][3:] != "00" else "01"))
    ok = await f.moedetilbud(engine, soester["nummer"], starttid=moedetid(), kapacitet=3)
    assert (await _book(api, b, ok["id"]))["fejl"] == []


async def test_R1_1_g_a_jobcentre_books_for_a_citizen_and_a_citizen_must_be_named(api, engine):
    jc, b = await _jobcenter_og_borger(engine)
    tilbud = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(), kapacitet=3)
    caseworker = api.jobcenter(jc["nummer"])
    missing = await api.data(BOOK, {"input": {"moedetilbudId": str(tilbud["id"])}}, token=caseworker)
    assert [(e["kode"], e["felt"]) for e in missing["moedetilbudBook"]["fejl"]] == [(61003, "input.cpr")]
    ok = await api.data(BOOK, {"input": {"moedetilbudId": str(tilbud["id"]), "cpr": b["cpr"], "moedeformId": 2}}, token=caseworker)
    assert ok["moedetilbudBook"]["fejl"] == [] and ok["moedetilbudBook"]["indkaldelse"]["moedeform"] == {"id": 2}


async def test_R1_1_g_twenty_concurrent_bookings_for_the_last_seat_one_wins(api, engine):
    jc = await f.jobcenter(engine)
    tilbud = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(), kapacitet=3, antal_booket=2)
    borgere = [await f.borger(engine, jobcenter_nummer=jc["nummer"], moedeform_maalgruppe=True) for _ in range(20)]
    results = await asyncio.gather(*(_book(api, b, tilbud["id"], moedeformId=2) for b in borgere))
    winners = [r for r in results if not r["fejl"]]
    losers = [r for r in results if r["fejl"]]
    assert len(winners) == 1 and winners[0]["indkaldelse"]["moedetilbud"]["ledigePladser"] == 0
    assert len(losers) == 19
    assert all([(e["kode"], e["felt"]) for e in r["fejl"]] == [(62008, "input.moedetilbudId")] and r["indkaldelse"] is None for r in losers)
    assert await _scalar(engine, "SELECT antal_booket FROM moedetilbud WHERE id = :i", i=tilbud["id"]) == 3
    assert await _scalar(engine, "SELECT count(*) FROM indkaldelse WHERE moedetilbud_id = :i", i=tilbud["id"]) == 1


async def test_R1_1_g_idempotent_booking_with_the_same_key_books_once(api, engine):
    jc, b = await _jobcenter_og_borger(engine)
    tilbud = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(), kapacitet=3)
    first = await _book(api, b, tilbud["id"], moedeformId=2, idempotensnoegle="book-1")
    second = await _book(api, b, tilbud["id"], moedeformId=2, idempotensnoegle="book-1")
    assert first["fejl"] == [] and first == second
    # Concurrent repeats with one key also book once.
    token = api.token("borger", cpr=b["cpr"])
    andet = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(dage=9), kapacitet=3)
    same = await asyncio.gather(*(
        api.data(BOOK, {"input": {"moedetilbudId": str(andet["id"])}}, token=token, headers={"Idempotency-Key": "h-book"})
        for _ in range(5)
    ))
    assert all(s == same[0] and s["moedetilbudBook"]["fejl"] == [] for s in same)
    assert await _scalar(engine, "SELECT count(*) FROM indkaldelse WHERE cpr = :c", c=b["cpr"]) == 2
    assert await _scalar(engine, "SELECT antal_booket FROM moedetilbud WHERE id = :i", i=tilbud["id"]) == 1
    assert await _scalar(engine, "SELECT antal_booket FROM moedetilbud WHERE id = :i", i=andet["id"]) == 1


async def test_R1_1_g_cancelling_a_booked_summons_frees_the_seat(api, engine):
    jc, b = await _jobcenter_og_borger(engine)
    tilbud = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(), kapacitet=1)
    booked = await _book(api, b, tilbud["id"])
    cancelled = await api.data(AFLYS, {"id": booked["indkaldelse"]["id"]}, token=api.jobcenter(jc["nummer"]))
    assert cancelled["indkaldelseAflys"] == {"indkaldelse": {"status": "AFLYST"}, "fejl": []}
    assert await _scalar(engine, "SELECT antal_booket FROM moedetilbud WHERE id = :i", i=tilbud["id"]) == 0
    rebooked = await _book(api, b, tilbud["id"])
    assert rebooked["fejl"] == []


async def test_booking_is_one_transaction_a_late_failure_leaves_the_seat_free(api, engine):
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], kontaktgruppe_id=1, akasse_nummer=ak["nummer"])
    tilbud = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(), kapacitet=1)
    navn = f"test_fail_book_{b['cpr']}"
    async with engine.begin() as conn:
        await conn.execute(text(f"""
            CREATE OR REPLACE FUNCTION {navn}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.cpr = '{b['cpr']}' THEN RAISE EXCEPTION 'injected'; END IF; RETURN NEW; END $$"""))
        await conn.execute(text(f"CREATE TRIGGER {navn} BEFORE INSERT ON webservicebesked FOR EACH ROW EXECUTE FUNCTION {navn}()"))
    try:
        body = await api(BOOK, {"input": {"moedetilbudId": str(tilbud["id"])}}, token=api.token("borger", cpr=b["cpr"]))
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP TRIGGER {navn} ON webservicebesked"))
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert await _scalar(engine, "SELECT antal_booket FROM moedetilbud WHERE id = :i", i=tilbud["id"]) == 0
    for table in ("indkaldelse", "historik", "webservicebesked"):
        assert await _scalar(engine, f"SELECT count(*) FROM {table} WHERE cpr = :c", c=b["cpr"]) == 0, table


# --- R1.1-g: ExternalBookingService is retired ---------------------------------------------------

async def test_R1_1_g_schema_has_nothing_of_external_booking_service(api, engine):
    jc = await f.jobcenter(engine)
    data = await api.data("""{ __schema { types { name fields(includeDeprecated: true) { name args { name } }
                               inputFields { name } enumValues(includeDeprecated: true) { name } } } }""",
                          token=api.jobcenter(jc["nummer"]))
    navne = []
    for typ in data["__schema"]["types"]:
        navne.append(typ["name"])
        for felt in typ["fields"] or []:
            navne.append(f"{typ['name']}.{felt['name']}")
            navne += [f"{typ['name']}.{felt['name']}({a['name']})" for a in felt["args"]]
        navne += [f"{typ['name']}.{felt['name']}" for felt in typ["inputFields"] or []]
        navne += [f"{typ['name']}.{v['name']}" for v in typ["enumValues"] or []]
    assert "Mutation.moedetilbudBook" in navne
    assert [n for n in navne if "external" in n.lower()] == []


async def test_R1_1_g_offer_is_readable_after_publishing(api, engine):
    jc = await f.jobcenter(engine)
    token = api.token("planner", myndighed=jc["nummer"])
    created = await api.data(PUBLISER, {"input": tilbud_input()}, token=token)
    listed = await api.data("query($j: String!) { moedetilbud(jobcenter: $j) { nodes { id ledigePladser } } }",
                            {"j": jc["nummer"]}, token=token)
    assert listed["moedetilbud"]["nodes"] == [{"id": created["moedetilbudPubliser"]["moedetilbud"]["id"], "ledigePladser": 5}]


async def test_R1_1_g_concurrent_bookings_by_one_citizen_book_once(api, engine):
    jc, b = await _jobcenter_og_borger(engine)
    tilbud = await f.moedetilbud(engine, jc["nummer"], starttid=moedetid(), kapacitet=10)
    results = await asyncio.gather(*(_book(api, b, tilbud["id"]) for _ in range(6)))
    assert sorted(tuple(e["kode"] for e in r["fejl"]) for r in results) == [()] + [(62015,)] * 5
    assert await _scalar(engine, "SELECT antal_booket FROM moedetilbud WHERE id = :i", i=tilbud["id"]) == 1
