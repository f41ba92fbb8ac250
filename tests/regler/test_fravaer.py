"""Absences (section 2): the derived statuses and the check of a registration, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dfdg.regler.fravaer import (
    aktiv,
    fravaer_besked,
    fravaer_modtagere,
    joblog_pligt,
    kan_modtage_dagpenge,
    mindre_intensiv_indsats,
    selvbooking,
    valider_fravaer,
)
from tests.regler.koder import kodecache

IDAG = date(2022, 10, 10)
EFTER_RELEASE = datetime(2022, 10, 1, 9, tzinfo=UTC)


def fravaer(type_id, fra, til=None, opdateret=EFTER_RELEASE, id=1):
    return {"id": id, "cpr": "0101901234", "fravaerstype_id": type_id, "fra": fra, "til": til, "opdateret": opdateret}


def test_an_absence_is_active_from_its_first_to_its_last_day():
    f = fravaer(10, date(2022, 10, 1), date(2022, 10, 10))
    assert aktiv(f, date(2022, 10, 1)) and aktiv(f, date(2022, 10, 10))
    assert not aktiv(f, date(2022, 9, 30)) and not aktiv(f, date(2022, 10, 11))
    assert aktiv(fravaer(10, date(2022, 10, 1)), date(2030, 1, 1))


def test_R2_4_a_an_exempting_absence_lifts_the_self_booking_duty():
    status = selvbooking([fravaer(10, date(2022, 10, 1))], kodecache(), IDAG)
    assert (status.pligt, status.fritaget, status.frist) == (False, True, True)
    assert [f["fravaerstype_id"] for f in status.fritaget_af] == [10]


def test_R2_4_a_56_57_and_75_also_remove_the_deadline():
    for type_id in (56, 57, 75):
        status = selvbooking([fravaer(type_id, date(2022, 10, 1))], kodecache(), IDAG)
        assert (status.pligt, status.frist) == (False, False), type_id


def test_R2_4_a_a_non_exempting_or_inactive_absence_keeps_the_duty():
    status = selvbooking([fravaer(1, date(2022, 10, 1)), fravaer(10, date(2022, 9, 1), date(2022, 10, 9))], kodecache(), IDAG)
    assert (status.pligt, status.fritaget, status.fritaget_af, status.frist) == (True, False, [], True)


def test_R4_2_a_the_joblog_duty_follows_the_calendar_month():
    sygdom = fravaer(11, date(2024, 2, 29), date(2024, 3, 2))
    assert joblog_pligt(7, [sygdom], date(2024, 2, 1)) is False  # one day, the last of a leap February
    assert joblog_pligt(7, [sygdom], date(2024, 3, 31)) is False
    assert joblog_pligt(7, [sygdom], date(2024, 1, 15)) is True
    assert joblog_pligt(7, [sygdom], date(2024, 4, 1)) is True


def test_R2_5_a_only_sickness_exempts_and_only_kontaktgruppe_7():
    sygdom = fravaer(11, date(2024, 2, 1))
    assert joblog_pligt(1, [sygdom], date(2024, 2, 1)) is True
    assert joblog_pligt(7, [fravaer(10, date(2024, 2, 1))], date(2024, 2, 1)) is True


def test_R5_1_a_less_intensive_effort_counts_absences_updated_since_the_release_in_danish_time():
    paa_releasedagen = datetime(2022, 9, 18, 22, 30, tzinfo=UTC)  # 00:30 on 19 September in Denmark
    dagen_foer = datetime(2022, 9, 18, 21, 30, tzinfo=UTC)        # 23:30 on 18 September in Denmark
    assert mindre_intensiv_indsats([fravaer(43, date(2022, 10, 1), opdateret=paa_releasedagen)], kodecache(), IDAG)
    assert not mindre_intensiv_indsats([fravaer(43, date(2022, 10, 1), opdateret=dagen_foer)], kodecache(), IDAG)
    assert not mindre_intensiv_indsats([fravaer(10, date(2022, 10, 1))], kodecache(), IDAG)  # not such a type
    assert not mindre_intensiv_indsats([fravaer(43, date(2022, 10, 11))], kodecache(), IDAG)  # not active yet


def test_R2_1_a_a_dagpengemodtager_receives_no_dagpenge_during_sorgorlov():
    assert kan_modtage_dagpenge(1, [], kodecache(), IDAG)
    assert not kan_modtage_dagpenge(1, [fravaer(79, date(2022, 10, 1), date(2022, 10, 10))], kodecache(), IDAG)
    assert kan_modtage_dagpenge(1, [fravaer(79, date(2022, 10, 1), date(2022, 10, 9))], kodecache(), IDAG)
    assert not kan_modtage_dagpenge(7, [], kodecache(), IDAG)  # not a dagpengemodtager


def _valider(**kw):
    args = dict(kontaktgruppe_id=1, fravaerstype_id=10, fra=IDAG, til=None, koder=kodecache(), idag=IDAG) | kw
    return [(f.kode, f.felt) for f in valider_fravaer(**args)]


def test_R2_1_a_sorgorlov_only_on_kontaktgruppe_1():
    assert _valider(fravaerstype_id=79) == []
    assert _valider(fravaerstype_id=79, kontaktgruppe_id=7) == [(63002, "fravaerstypeId")]


def test_R2_2_a_type_78_cannot_be_newly_registered_but_may_stay_on_an_update():
    assert _valider(fravaerstype_id=78) == [(63001, "fravaerstypeId")]
    assert _valider(fravaerstype_id=78, eksisterende_type=10) == [(63001, "fravaerstypeId")]
    assert _valider(fravaerstype_id=78, eksisterende_type=78) == []
    assert _valider(fravaerstype_id=78, idag=date(2022, 9, 18)) == []  # the day before it expired


def test_every_reason_at_once_unknown_type_and_reversed_period():
    assert _valider(fravaerstype_id=78, til=date(2022, 10, 9)) == [(63001, "fravaerstypeId"), (61005, "til")]
    assert _valider(fravaerstype_id=999) == [(61006, "fravaerstypeId")]
    assert _valider(til=IDAG) == []  # a one-day absence


def test_R2_1_b_a_kontaktgruppe_1_citizens_absence_goes_to_its_a_kasse_and_jobcentre_authority():
    borger = {"kontaktgruppe_id": 1, "akasse_nummer": "42", "jobcenter_nummer": "22301"}
    assert fravaer_modtagere(borger) == [("akasse", "42"), ("jobcenter", "223")]
    assert fravaer_modtagere({**borger, "kontaktgruppe_id": 7}) == []


def test_R2_1_b_the_message_carries_the_absence():
    besked = fravaer_besked("Oprettet", fravaer(79, date(2022, 10, 1), date(2022, 10, 2), id=7))
    assert besked == {"handling": "Oprettet", "fravaerId": 7, "cpr": "0101901234", "fravaerstype": 79,
                      "fra": "2022-10-01", "til": "2022-10-02"}
