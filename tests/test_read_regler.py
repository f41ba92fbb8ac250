"""Derived fields of Borger, each computed from a rule of release 2022-3 and read over HTTP."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests import factories as f

# R2.4-a: the absence types that exempt from the self-booking duty (23, 65, 70, 79 new in 2022-3).
FRITAGENDE = [2, 3, 4, 10, 11, 23, 24, 43, 44, 45, 46, 56, 57, 65, 66, 70, 71, 72, 73, 75, 77, 78, 79]
UDEN_FRIST = {56, 57, 75}
# R5.1-a [I]: the absence types that put a citizen under less intensive effort.
MINDRE_INTENSIV = [43, 44, 45, 46, 71, 73]
EFTER_RELEASE = datetime(2022, 9, 20, 12, 0, tzinfo=UTC)
FOER_RELEASE = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)


async def _felt(api, cpr: str, felt: str, token: str) -> object:
    data = await api.data(f"query($cpr: String!) {{ borger(cpr: $cpr) {{ v: {felt} }} }}", {"cpr": cpr}, token=token)
    return data["borger"]["v"]


# --- R1.1-b: the right to choose the meeting form ---------------------------------------------

async def test_R1_1_b_right_to_choose_from_exactly_six_months_in_target_group(api, engine):
    b = await f.borger(engine, ledighedsdato=date(2022, 3, 15), moedeform_maalgruppe=True)
    token = api.jobcenter(b["jobcenter_nummer"])
    data = await api.data(
        """query($cpr: String!) { borger(cpr: $cpr) {
             foer: harRetTilValgAfMoedeform(dato: "2022-09-14")
             praecis: harRetTilValgAfMoedeform(dato: "2022-09-15")
             efter: harRetTilValgAfMoedeform(dato: "2023-01-01")
           } }""",
        {"cpr": b["cpr"]}, token=token,
    )
    assert data["borger"] == {"foer": False, "praecis": True, "efter": True}


async def test_R1_1_b_six_months_from_the_end_of_a_month(api, engine):
    b = await f.borger(engine, ledighedsdato=date(2022, 8, 31), moedeform_maalgruppe=True)
    token = api.jobcenter(b["jobcenter_nummer"])
    assert await _felt(api, b["cpr"], 'harRetTilValgAfMoedeform(dato: "2023-02-27")', token) is False
    assert await _felt(api, b["cpr"], 'harRetTilValgAfMoedeform(dato: "2023-02-28")', token) is True


async def test_R1_1_b_no_right_outside_the_target_group(api, engine):
    b = await f.borger(engine, ledighedsdato=date(2020, 1, 1), moedeform_maalgruppe=False)
    assert await _felt(api, b["cpr"], 'harRetTilValgAfMoedeform(dato: "2022-10-01")', api.jobcenter(b["jobcenter_nummer"])) is False


async def test_R1_1_b_no_right_without_unemployment_start(api, engine):
    b = await f.borger(engine, ledighedsdato=None, moedeform_maalgruppe=True)
    assert await _felt(api, b["cpr"], 'harRetTilValgAfMoedeform(dato: "2022-10-01")', api.jobcenter(b["jobcenter_nummer"])) is False


async def test_R1_1_b_default_date_is_today(api, engine):
    lang = await f.borger(engine, ledighedsdato=date(2000, 1, 1), moedeform_maalgruppe=True)
    kort = await f.borger(engine, ledighedsdato=date.today(), moedeform_maalgruppe=True, jobcenter_nummer=lang["jobcenter_nummer"])
    token = api.jobcenter(lang["jobcenter_nummer"])
    assert await _felt(api, lang["cpr"], "harRetTilValgAfMoedeform", token) is True
    assert await _felt(api, kort["cpr"], "harRetTilValgAfMoedeform", token) is False


# --- R2.4-a: self-booking duty and deadline -----------------------------------------------------

SELVBOOKING = """
query($jc: String!, $dato: Date) {
  borgere(filter: {jobcenter: $jc}, first: 100) {
    nodes { cpr selvbooking(dato: $dato) { pligt fritaget frist fritagetAf { id fravaerstype { id } } } }
  }
}
"""


async def test_R2_4_a_every_exempting_absence_type_exempts_and_56_57_75_remove_the_deadline(api, engine):
    jc = await f.jobcenter(engine)
    per_type = {}
    for typ in FRITAGENDE:
        b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
        per_type[typ] = (b["cpr"], await f.fravaer(engine, b["cpr"], typ, date(2022, 10, 1), date(2022, 10, 31)))
    data = await api.data(SELVBOOKING, {"jc": jc["nummer"], "dato": "2022-10-15"}, token=api.jobcenter(jc["nummer"]))
    by_cpr = {n["cpr"]: n["selvbooking"] for n in data["borgere"]["nodes"]}
    for typ, (cpr, _fravaer) in per_type.items():
        status = by_cpr[cpr]
        assert status["pligt"] is False, typ
        assert status["fritaget"] is True, typ
        assert [x["fravaerstype"]["id"] for x in status["fritagetAf"]] == [typ]
        assert status["frist"] is (typ not in UDEN_FRIST), typ


@pytest.mark.parametrize("typ", [23, 65, 70, 79])
async def test_R2_4_a_types_new_in_the_release_exempt(api, engine, typ):
    b = await f.borger(engine)
    await f.fravaer(engine, b["cpr"], typ, date(2022, 9, 19), None)
    status = await _felt(api, b["cpr"], 'selvbooking(dato: "2022-12-01") { pligt fritaget frist }', api.jobcenter(b["jobcenter_nummer"]))
    assert status == {"pligt": False, "fritaget": True, "frist": True}


@pytest.mark.parametrize("typ", [1, 8])
async def test_R2_4_a_non_exempting_type_leaves_the_duty(api, engine, typ):
    b = await f.borger(engine)
    await f.fravaer(engine, b["cpr"], typ, date(2022, 10, 1), None)
    status = await _felt(api, b["cpr"], 'selvbooking(dato: "2022-10-15") { pligt fritaget frist fritagetAf { id } }', api.jobcenter(b["jobcenter_nummer"]))
    assert status == {"pligt": True, "fritaget": False, "frist": True, "fritagetAf": []}


async def test_R2_4_a_only_an_absence_covering_the_date_counts(api, engine):
    b = await f.borger(engine)
    await f.fravaer(engine, b["cpr"], 56, date(2022, 10, 1), date(2022, 10, 10))
    token = api.jobcenter(b["jobcenter_nummer"])
    q = 'selvbooking(dato: "%s") { pligt frist }'
    assert await _felt(api, b["cpr"], q % "2022-09-30", token) == {"pligt": True, "frist": True}   # not yet started
    assert await _felt(api, b["cpr"], q % "2022-10-01", token) == {"pligt": False, "frist": False}
    assert await _felt(api, b["cpr"], q % "2022-10-10", token) == {"pligt": False, "frist": False}  # end date inclusive
    assert await _felt(api, b["cpr"], q % "2022-10-11", token) == {"pligt": True, "frist": True}   # ended


async def test_R2_4_a_expired_type_78_on_history_still_exempts(api, engine):
    b = await f.borger(engine)
    await f.fravaer(engine, b["cpr"], 78, date(2022, 1, 1), date(2022, 3, 31))
    token = api.jobcenter(b["jobcenter_nummer"])
    assert await _felt(api, b["cpr"], 'selvbooking(dato: "2022-02-01") { pligt }', token) == {"pligt": False}


# --- R2.5-a / R4.2-a: joblog duty by calendar month ---------------------------------------------

async def test_R2_5_a_sygemelding_exempts_kontaktgruppe_7_for_the_months_it_touches(api, engine):
    b = await f.borger(engine, kontaktgruppe_id=7)
    await f.fravaer(engine, b["cpr"], 11, date(2022, 10, 31), date(2022, 11, 2))
    token = api.jobcenter(b["jobcenter_nummer"])
    data = await api.data(
        """query($cpr: String!) { borger(cpr: $cpr) {
             sep: joblogPligt(maaned: "2022-09") okt: joblogPligt(maaned: "2022-10")
             nov: joblogPligt(maaned: "2022-11") dec: joblogPligt(maaned: "2022-12")
           } }""",
        {"cpr": b["cpr"]}, token=token,
    )
    assert data["borger"] == {"sep": True, "okt": False, "nov": False, "dec": True}


async def test_R2_5_a_open_ended_sygemelding_exempts_every_later_month(api, engine):
    b = await f.borger(engine, kontaktgruppe_id=7)
    await f.fravaer(engine, b["cpr"], 11, date(2022, 10, 15), None)
    token = api.jobcenter(b["jobcenter_nummer"])
    assert await _felt(api, b["cpr"], 'joblogPligt(maaned: "2023-06")', token) is False
    assert await _felt(api, b["cpr"], 'joblogPligt(maaned: "2022-09")', token) is True


async def test_R2_5_a_sygemelding_does_not_exempt_kontaktgruppe_1(api, engine):
    b = await f.borger(engine, kontaktgruppe_id=1)
    await f.fravaer(engine, b["cpr"], 11, date(2022, 10, 1), date(2022, 10, 31))
    assert await _felt(api, b["cpr"], 'joblogPligt(maaned: "2022-10")', api.jobcenter(b["jobcenter_nummer"])) is True


async def test_R2_5_a_other_absence_types_do_not_exempt_kontaktgruppe_7(api, engine):
    b = await f.borger(engine, kontaktgruppe_id=7)
    await f.fravaer(engine, b["cpr"], 10, date(2022, 10, 1), date(2022, 10, 31))
    assert await _felt(api, b["cpr"], 'joblogPligt(maaned: "2022-10")', api.jobcenter(b["jobcenter_nummer"])) is True


@pytest.mark.parametrize("maaned", ["2022-13", "2022-00", "2022-1", "22-10", "oktober", "2022-10-01", ""])
async def test_R4_2_a_malformed_maaned_is_bad_user_input(api, engine, maaned):
    b = await f.borger(engine, kontaktgruppe_id=7)
    body = await api(
        "query($cpr: String!, $m: String!) { borger(cpr: $cpr) { joblogPligt(maaned: $m) } }",
        {"cpr": b["cpr"], "m": maaned}, token=api.jobcenter(b["jobcenter_nummer"]),
    )
    f.kraev_bad_input(body, "maaned")


# --- R5.1-a: less intensive effort --------------------------------------------------------------

async def test_R5_1_a_counting_types_registered_after_the_release(api, engine):
    jc = await f.jobcenter(engine)
    token = api.jobcenter(jc["nummer"])
    for typ in MINDRE_INTENSIV:
        b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
        await f.fravaer(engine, b["cpr"], typ, date(2022, 10, 1), date(2022, 11, 10), opdateret=EFTER_RELEASE)
        assert await _felt(api, b["cpr"], 'mindreIntensivIndsats(dato: "2022-10-15")', token) is True, typ
        assert await _felt(api, b["cpr"], 'mindreIntensivIndsats(dato: "2022-11-11")', token) is False, typ


@pytest.mark.parametrize("typ", [2, 11, 72, 77, 79])
async def test_R5_1_a_other_types_do_not_count(api, engine, typ):
    b = await f.borger(engine)
    await f.fravaer(engine, b["cpr"], typ, date(2022, 10, 1), None, opdateret=EFTER_RELEASE)
    assert await _felt(api, b["cpr"], 'mindreIntensivIndsats(dato: "2022-10-15")', api.jobcenter(b["jobcenter_nummer"])) is False


async def test_R5_1_a_only_absences_registered_or_updated_since_the_release_count(api, engine):
    b = await f.borger(engine)
    await f.fravaer(engine, b["cpr"], 45, date(2022, 9, 1), None, registreret=FOER_RELEASE, opdateret=FOER_RELEASE)
    token = api.jobcenter(b["jobcenter_nummer"])
    assert await _felt(api, b["cpr"], 'mindreIntensivIndsats(dato: "2022-10-15")', token) is False
    opdateret = await f.borger(engine, jobcenter_nummer=b["jobcenter_nummer"])
    await f.fravaer(engine, opdateret["cpr"], 45, date(2022, 9, 1), None, registreret=FOER_RELEASE, opdateret=EFTER_RELEASE)
    assert await _felt(api, opdateret["cpr"], 'mindreIntensivIndsats(dato: "2022-10-15")', token) is True


async def test_R5_1_a_release_day_is_the_danish_calendar_day(api, engine):
    """2022-09-19 00:30 in Copenhagen is 2022-09-18 22:30 UTC: registered on release day, so it counts;
    23:30 the evening before does not."""
    efter_midnat = await f.borger(engine)
    await f.fravaer(engine, efter_midnat["cpr"], 44, date(2022, 9, 19), None,
                    opdateret=datetime(2022, 9, 18, 22, 30, tzinfo=UTC))
    foer_midnat = await f.borger(engine, jobcenter_nummer=efter_midnat["jobcenter_nummer"])
    await f.fravaer(engine, foer_midnat["cpr"], 44, date(2022, 9, 19), None,
                    opdateret=datetime(2022, 9, 18, 21, 30, tzinfo=UTC))
    token = api.jobcenter(efter_midnat["jobcenter_nummer"])
    assert await _felt(api, efter_midnat["cpr"], 'mindreIntensivIndsats(dato: "2022-10-01")', token) is True
    assert await _felt(api, foer_midnat["cpr"], 'mindreIntensivIndsats(dato: "2022-10-01")', token) is False


CV = """
query($jc: String!, $mi: Boolean, $dato: Date) {
  cvSoegning(filter: {jobcenter: $jc, mindreIntensivIndsats: $mi, dato: $dato}, first: 100) {
    totalCount nodes { cpr mindreIntensivIndsats(dato: $dato) }
  }
}
"""


async def test_R5_1_a_cv_soegning_filters_on_less_intensive_effort(api, engine):
    jc = await f.jobcenter(engine)
    omfattet = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    await f.fravaer(engine, omfattet["cpr"], 71, date(2022, 10, 1), None, opdateret=EFTER_RELEASE)
    gammel = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    await f.fravaer(engine, gammel["cpr"], 71, date(2022, 9, 1), None, opdateret=FOER_RELEASE)
    andet = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    await f.fravaer(engine, andet["cpr"], 10, date(2022, 10, 1), None, opdateret=EFTER_RELEASE)
    udloebet = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    await f.fravaer(engine, udloebet["cpr"], 73, date(2022, 9, 20), date(2022, 9, 30), opdateret=EFTER_RELEASE)
    midnat = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    await f.fravaer(engine, midnat["cpr"], 73, date(2022, 9, 19), None,
                    opdateret=datetime(2022, 9, 18, 22, 30, tzinfo=UTC))
    token = api.jobcenter(jc["nummer"])

    async def soeg(mi):
        data = await api.data(CV, {"jc": jc["nummer"], "mi": mi, "dato": "2022-10-15"}, token=token)
        nodes = data["cvSoegning"]["nodes"]
        assert data["cvSoegning"]["totalCount"] == len(nodes)
        return {n["cpr"]: n["mindreIntensivIndsats"] for n in nodes}

    ja = await soeg(True)
    assert set(ja) == {omfattet["cpr"], midnat["cpr"]}
    assert all(ja.values())  # the filter and the field agree
    nej = await soeg(False)
    assert set(nej) == {gammel["cpr"], andet["cpr"], udloebet["cpr"]}
    assert not any(nej.values())
    assert set(await soeg(None)) == set(ja) | set(nej)


# --- R2.1-a: no a-dagpenge during Sorgorlov -----------------------------------------------------

async def test_R2_1_a_no_dagpenge_during_sorgorlov(api, engine):
    b = await f.borger(engine, kontaktgruppe_id=1)
    await f.fravaer(engine, b["cpr"], 79, date(2022, 10, 10), date(2022, 10, 20))
    data = await api.data(
        """query($cpr: String!) { borger(cpr: $cpr) {
             foer: kanModtageDagpenge(dato: "2022-10-09") start: kanModtageDagpenge(dato: "2022-10-10")
             slut: kanModtageDagpenge(dato: "2022-10-20") efter: kanModtageDagpenge(dato: "2022-10-21")
           } }""",
        {"cpr": b["cpr"]}, token=api.jobcenter(b["jobcenter_nummer"]),
    )
    assert data["borger"] == {"foer": True, "start": False, "slut": False, "efter": True}


async def test_R2_1_a_other_absence_does_not_stop_dagpenge(api, engine):
    b = await f.borger(engine, kontaktgruppe_id=1)
    await f.fravaer(engine, b["cpr"], 10, date(2022, 10, 10), date(2022, 10, 20))
    assert await _felt(api, b["cpr"], 'kanModtageDagpenge(dato: "2022-10-15")', api.jobcenter(b["jobcenter_nummer"])) is True


async def test_R2_1_a_only_dagpengemodtagere_receive_dagpenge(api, engine):
    b = await f.borger(engine, kontaktgruppe_id=7)
    assert await _felt(api, b["cpr"], 'kanModtageDagpenge(dato: "2022-10-15")', api.jobcenter(b["jobcenter_nummer"])) is False
