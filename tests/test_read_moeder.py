"""Summons (indkaldelse) and the planner's meeting offers (moedetilbud): R1.1-a..h on the read side."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import IntegrityError

from dfdg.schema.node import to_global_id
from tests import factories as f

KBH = ZoneInfo("Europe/Copenhagen")
LINK = "https://moede.example.dk/rum/42"

INDKALDELSE = """
query($id: ID!) {
  indkaldelse(id: $id) {
    id status starttid sted lokationsuddybning moedelink kunPersonligt oprettetAf
    moedeform { id navn udgaaet kraeverLink }
    samtaletype { id navn }
    valgbareMoedeformer { id }
    moedetilbud { id lokationsuddybning moedelink tilladteMoedeformer { id } }
    jobcenter { nummer }
    borger { cpr }
  }
}
"""



async def _indkaldelse(api, id: str, token: str) -> dict | None:
    return (await api.data(INDKALDELSE, {"id": id}, token=token))["indkaldelse"]


async def test_indkaldelse_by_global_id_and_by_plain_number(api, engine):
    b = await f.borger(engine)
    i = await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], sted="Jobcentret, 1. sal")
    token = api.jobcenter(b["jobcenter_nummer"])
    ved_nummer = await _indkaldelse(api, str(i["id"]), token)
    assert ved_nummer["id"] == to_global_id("Indkaldelse", i["id"])
    assert ved_nummer["sted"] == "Jobcentret, 1. sal" and ved_nummer["status"] == "AKTIV"
    assert ved_nummer["borger"] == {"cpr": b["cpr"]} and ved_nummer["jobcenter"] == {"nummer": b["jobcenter_nummer"]}
    assert ved_nummer["samtaletype"] == {"id": 7, "navn": "Jobsamtale"}
    assert ved_nummer["oprettetAf"] == b["jobcenter_nummer"][:3]
    assert await _indkaldelse(api, ved_nummer["id"], token) == ved_nummer


async def test_indkaldelse_unknown_or_of_another_type_is_null(api, engine):
    b = await f.borger(engine)
    i = await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"])
    token = api.jobcenter(b["jobcenter_nummer"])
    assert await _indkaldelse(api, str(i["id"] + 10_000_000), token) is None
    assert await _indkaldelse(api, to_global_id("Indkaldelse", i["id"] + 10_000_000), token) is None
    assert await _indkaldelse(api, to_global_id("Jobordre", i["id"]), token) is None
    assert await _indkaldelse(api, to_global_id("Indkaldelse", "abc"), token) is None


async def test_indkaldelse_id_beyond_bigint_is_null_not_an_internal_error(api, engine):
    b = await f.borger(engine)
    token = api.jobcenter(b["jobcenter_nummer"])
    assert await _indkaldelse(api, "9" * 30, token) is None
    assert await _indkaldelse(api, to_global_id("Indkaldelse", "9" * 30), token) is None


async def test_indkaldelse_garbage_id_is_bad_user_input(api, engine):
    b = await f.borger(engine)
    body = await api(INDKALDELSE, {"id": "!!ikke-et-id!!"}, token=api.jobcenter(b["jobcenter_nummer"]))
    f.kraev_bad_input(body, "id")


# --- R1.1-h: lokationsuddybning -------------------------------------------------------------------

@pytest.mark.parametrize("blank", ["", "   "])
async def test_R1_1_h_blank_lokationsuddybning_cannot_be_stored(engine, blank):
    b = await f.borger(engine)
    with pytest.raises(IntegrityError, match="ck_moedetilbud_lokationsuddybning"):
        await f.moedetilbud(engine, b["jobcenter_nummer"], lokationsuddybning=blank)
    with pytest.raises(IntegrityError, match="ck_indkaldelse_lokationsuddybning"):
        await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], lokationsuddybning=blank)


async def test_R1_1_h_summons_and_offer_without_lokationsuddybning_read_as_null(api, engine):
    b = await f.borger(engine)
    tilbud = await f.moedetilbud(engine, b["jobcenter_nummer"], lokationsuddybning=None)
    i = await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], moedetilbud_id=tilbud["id"], lokationsuddybning=None)
    token = api.jobcenter(b["jobcenter_nummer"])
    got = await _indkaldelse(api, str(i["id"]), token)
    assert got["lokationsuddybning"] is None
    assert got["moedetilbud"]["lokationsuddybning"] is None
    # and the citizen's list of summons (the look-up that broke in the release) works too
    data = await api.data(
        "query($cpr: String!) { borger(cpr: $cpr) { indkaldelser { lokationsuddybning moedetilbud { lokationsuddybning } } } }",
        {"cpr": b["cpr"]}, token=token,
    )
    assert data["borger"]["indkaldelser"] == [{"lokationsuddybning": None, "moedetilbud": {"lokationsuddybning": None}}]


@pytest.mark.parametrize("blank", ["", " ", "\t\n", " \t "])
async def test_R1_1_h_no_blank_lokationsuddybning_can_be_stored(engine, blank):
    """The CHECK wants a non-space character, so no stored detail can be blank in any way."""
    b = await f.borger(engine)
    with pytest.raises(IntegrityError):
        await f.moedetilbud(engine, b["jobcenter_nummer"], lokationsuddybning=blank)
    with pytest.raises(IntegrityError):
        await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], lokationsuddybning=blank)


async def test_R1_1_h_lokationsuddybning_is_shown_when_given(api, engine):
    b = await f.borger(engine)
    tilbud = await f.moedetilbud(engine, b["jobcenter_nummer"], lokationsuddybning="Indgang B, 2. sal")
    i = await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], moedetilbud_id=tilbud["id"], lokationsuddybning="Lokale 4")
    got = await _indkaldelse(api, str(i["id"]), api.jobcenter(b["jobcenter_nummer"]))
    assert got["lokationsuddybning"] == "Lokale 4"
    assert got["moedetilbud"]["lokationsuddybning"] == "Indgang B, 2. sal"


async def test_R1_1_h_lokationsuddybning_reads_as_written_and_sent_without_surrounding_blanks(api, engine):
    """One normaliser (dfdg.regler.tekst) for what is written, sent and read: a detail stored with
    surrounding blanks by another system reads as the API itself would have stored it."""
    b = await f.borger(engine)
    tilbud = await f.moedetilbud(engine, b["jobcenter_nummer"], lokationsuddybning="  Indgang B \n")
    i = await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], moedetilbud_id=tilbud["id"], lokationsuddybning="\tLokale 4 ")
    got = await _indkaldelse(api, str(i["id"]), api.jobcenter(b["jobcenter_nummer"]))
    assert got["lokationsuddybning"] == "Lokale 4"
    assert got["moedetilbud"]["lokationsuddybning"] == "Indgang B"


# --- R1.1-d / R1.1-e: meeting forms on summons ------------------------------------------------------

@pytest.mark.parametrize("form", [4, 5, 6, 7])
async def test_R1_1_d_expired_meeting_form_on_history_is_readable_and_shown_expired(api, engine, form):
    b = await f.borger(engine)
    i = await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], moedeform_id=form,
                            starttid=datetime(2020, 6, 1, 9, 0, tzinfo=UTC))
    got = await _indkaldelse(api, str(i["id"]), api.jobcenter(b["jobcenter_nummer"]))
    assert got["moedeform"]["id"] == form and got["moedeform"]["udgaaet"] is True


@pytest.mark.parametrize("form", [1, 2, 3, 9])
async def test_R1_1_d_valid_meeting_forms_are_not_expired(api, engine, form):
    b = await f.borger(engine)
    i = await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], moedeform_id=form)
    got = await _indkaldelse(api, str(i["id"]), api.jobcenter(b["jobcenter_nummer"]))
    assert got["moedeform"]["id"] == form and got["moedeform"]["udgaaet"] is False
    assert got["moedelink"] is None


async def test_R1_1_e_digital_meeting_shows_its_link(api, engine):
    b = await f.borger(engine)
    i = await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], moedeform_id=8, moedelink=LINK)
    got = await _indkaldelse(api, str(i["id"]), api.jobcenter(b["jobcenter_nummer"]))
    assert got["moedeform"] == {"id": 8, "navn": "Digitalt møde", "udgaaet": False, "kraeverLink": True}
    assert got["moedelink"] == LINK


async def test_R1_1_e_digital_meeting_without_link_cannot_be_stored(engine):
    b = await f.borger(engine)
    with pytest.raises(IntegrityError, match="ck_indkaldelse_digitalt_link"):
        await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], moedeform_id=8, moedelink=None)
    with pytest.raises(IntegrityError, match="ck_moedetilbud_digitalt_link"):
        await f.moedetilbud(engine, b["jobcenter_nummer"], tilladte_moedeformer=[1, 8], moedelink=None)


# --- R1.1-a/b/c: the forms the citizen may choose -------------------------------------------------

async def _valgbare(api, engine, *, ret: bool, tilbud_former=None, kun_personligt=False, moedeform=2) -> list[int]:
    b = await f.borger(engine, ledighedsdato=date(2020, 1, 1) if ret else date.today(), moedeform_maalgruppe=True)
    tilbud_id = None
    if tilbud_former is not None:
        tilbud = await f.moedetilbud(engine, b["jobcenter_nummer"], tilladte_moedeformer=tilbud_former,
                                     moedeform_id=tilbud_former[0],
                                     moedelink=LINK if 8 in tilbud_former else None)
        tilbud_id = tilbud["id"]
    i = await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], moedetilbud_id=tilbud_id,
                            kun_personligt=kun_personligt, moedeform_id=moedeform)
    got = await _indkaldelse(api, str(i["id"]), api.jobcenter(b["jobcenter_nummer"]))
    return [m["id"] for m in got["valgbareMoedeformer"]]


async def test_R1_1_a_with_the_right_the_offer_s_allowed_forms(api, engine):
    assert await _valgbare(api, engine, ret=True, tilbud_former=[8, 1]) == [1, 8]
    assert await _valgbare(api, engine, ret=True, tilbud_former=[2]) == [2]


async def test_R1_1_a_with_the_right_and_no_offer_the_three_forms_of_lab_33(api, engine):
    assert await _valgbare(api, engine, ret=True) == [1, 2, 8]


async def test_R1_1_b_without_the_right_only_the_form_the_jobcentre_set(api, engine):
    assert await _valgbare(api, engine, ret=False, tilbud_former=[1, 2, 8], moedeform=2) == [2]
    assert await _valgbare(api, engine, ret=False, moedeform=1) == [1]


async def test_R1_1_c_meeting_marked_in_person_allows_only_form_1(api, engine):
    assert await _valgbare(api, engine, ret=True, tilbud_former=[1, 2, 8], kun_personligt=True) == [1]
    assert await _valgbare(api, engine, ret=False, kun_personligt=True, moedeform=2) == [1]


async def test_R1_1_b_meeting_date_is_the_danish_calendar_day(api, engine):
    """A meeting at 00:30 Danish time on the day the 6 months are reached (22:30 UTC the day before)
    is on that day: the citizen has the right to choose."""
    b = await f.borger(engine, ledighedsdato=date(2022, 3, 15), moedeform_maalgruppe=True)
    start = datetime(2022, 9, 15, 0, 30, tzinfo=KBH)
    i = await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"], moedeform_id=2, starttid=start)
    got = await _indkaldelse(api, str(i["id"]), api.jobcenter(b["jobcenter_nummer"]))
    assert [m["id"] for m in got["valgbareMoedeformer"]] == [1, 2, 8]


# --- moedetilbud(jobcenter, fra, til, first, after) --------------------------------------------------

MOEDETILBUD = """
query($jc: String!, $fra: DateTime, $til: DateTime, $first: Int, $after: String) {
  moedetilbud(jobcenter: $jc, fra: $fra, til: $til, first: $first, after: $after) {
    totalCount
    nodes {
      id starttid sluttid sted lokationsuddybning kapacitet antalBooket ledigePladser kunPersonligt moedelink
      moedeform { id } tilladteMoedeformer { id } samtaletype { id } jobcenter { nummer }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_moedetilbud_in_a_period_with_forms_capacity_and_link(api, engine):
    jc = await f.jobcenter(engine)
    t0 = datetime(2030, 3, 4, 9, 0, tzinfo=KBH)
    foer = await f.moedetilbud(engine, jc["nummer"], starttid=t0 - timedelta(days=1))
    digital = await f.moedetilbud(engine, jc["nummer"], starttid=t0, tilladte_moedeformer=[1, 2, 8],
                                  kapacitet=5, antal_booket=2, lokationsuddybning="Lokale 3")
    uden_8 = await f.moedetilbud(engine, jc["nummer"], starttid=t0 + timedelta(hours=1), tilladte_moedeformer=[1, 2],
                                 moedeform_id=2, kapacitet=1, antal_booket=1, moedelink=LINK)
    personligt = await f.moedetilbud(engine, jc["nummer"], starttid=t0 + timedelta(hours=2), tilladte_moedeformer=[1],
                                     kun_personligt=True, moedelink=None)
    efter = await f.moedetilbud(engine, jc["nummer"], starttid=t0 + timedelta(days=1))
    andet_jc = await f.jobcenter(engine)
    await f.moedetilbud(engine, andet_jc["nummer"], starttid=t0)

    data = await api.data(
        MOEDETILBUD, {"jc": jc["nummer"], "fra": t0.isoformat(), "til": (t0 + timedelta(days=1)).isoformat()},
        token=api.jobcenter(jc["nummer"]),
    )
    conn = data["moedetilbud"]
    assert conn["totalCount"] == 3
    got = conn["nodes"]
    assert [n["id"] for n in got] == [to_global_id("Moedetilbud", x["id"]) for x in (digital, uden_8, personligt)]
    d, u, p = got
    assert datetime.fromisoformat(d["starttid"]) == t0
    assert [m["id"] for m in d["tilladteMoedeformer"]] == [1, 2, 8]
    assert d["moedelink"] == "https://moede.example.dk/abc"  # form 8 allowed: the link is shown (R1.1-e)
    assert (d["kapacitet"], d["antalBooket"], d["ledigePladser"]) == (5, 2, 3)
    assert d["lokationsuddybning"] == "Lokale 3" and d["jobcenter"] == {"nummer": jc["nummer"]}
    assert d["samtaletype"] == {"id": 7}
    assert [m["id"] for m in u["tilladteMoedeformer"]] == [1, 2] and u["moedeform"] == {"id": 2}
    assert u["moedelink"] is None  # stored, but form 8 is not allowed: not shown
    assert u["ledigePladser"] == 0
    assert p["kunPersonligt"] is True and [m["id"] for m in p["tilladteMoedeformer"]] == [1]
    assert p["lokationsuddybning"] is None
    assert foer["id"] and efter["id"]


async def test_moedetilbud_pages_through_offers_at_the_same_time(api, engine):
    jc = await f.jobcenter(engine)
    t0 = datetime(2030, 5, 6, 10, 0, tzinfo=KBH)
    ids = [(await f.moedetilbud(engine, jc["nummer"], starttid=t0 + timedelta(hours=i // 2)))["id"] for i in range(7)]
    nodes = await f.alle_sider(api, MOEDETILBUD, {"jc": jc["nummer"]}, token=api.jobcenter(jc["nummer"]),
                               felt="moedetilbud", first=3)
    assert [n["id"] for n in nodes] == [to_global_id("Moedetilbud", i) for i in ids]


async def test_moedetilbud_til_before_fra_is_bad_user_input(api, engine):
    jc = await f.jobcenter(engine)
    body = await api(MOEDETILBUD, {"jc": jc["nummer"], "fra": "2030-01-02T00:00:00+01:00", "til": "2030-01-01T00:00:00+01:00"},
                     token=api.jobcenter(jc["nummer"]))
    f.kraev_bad_input(body, "til")


async def test_moedetilbud_of_an_unknown_jobcentre_is_empty(api, engine):
    jc = await f.jobcenter(engine)
    data = await api.data(MOEDETILBUD, {"jc": "00000"}, token=api.jobcenter(jc["nummer"]))
    assert data["moedetilbud"]["nodes"] == [] and data["moedetilbud"]["totalCount"] == 0


async def test_moedetilbud_period_without_offset_is_danish_time(api, engine):
    jc = await f.jobcenter(engine)
    kl9 = await f.moedetilbud(engine, jc["nummer"], starttid=datetime(2030, 3, 4, 9, 0, tzinfo=KBH))
    token = api.jobcenter(jc["nummer"])

    async def ids(fra: str, til: str | None = None) -> list[str]:
        data = await api.data(MOEDETILBUD, {"jc": jc["nummer"], "fra": fra, "til": til}, token=token)
        return [n["id"] for n in data["moedetilbud"]["nodes"]]

    assert await ids("2030-03-04T09:00:00") == [to_global_id("Moedetilbud", kl9["id"])]
    assert await ids("2030-03-04T08:30:00", "2030-03-04T09:00:00") == []
    assert await ids("2030-03-04T08:00:00Z") == [to_global_id("Moedetilbud", kl9["id"])]  # 09:00 Danish winter time
    # one with and one without an offset compare as well
    f.kraev_bad_input(await api(MOEDETILBUD, {"jc": jc["nummer"], "fra": "2030-03-04T10:00:00", "til": "2030-03-04T09:00:00+01:00"},
                                token=token), "til")
