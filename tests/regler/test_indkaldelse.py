"""Meetings and meeting forms (section 1.1): the choice of form, the checks of offers, summons,
bookings and participation choices, their texts and times, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from dfdg.regler.indkaldelse import (
    BORGERENS_VALG,
    indkaldelse_besked,
    indkaldelse_modtagere,
    moededato,
    moedelink_fejl,
    normaliser_indkaldelse,
    normaliser_tilbud,
    tilbud_foelger,
    uden_null,
    valgbare_moedeformer,
    valider_booking,
    valider_indkaldelse,
    valider_moededeltagelsesvalg,
    valider_moedetilbud,
)
from dfdg.regler.tid import DANMARK
from tests.regler.koder import kodecache

UTC = UTC
IDAG = date(2022, 10, 10)
NU = datetime(2022, 10, 10, 12, tzinfo=DANMARK)
START = datetime(2022, 11, 1, 9, tzinfo=DANMARK)

MED_RET = {"ledighedsdato": date(2022, 1, 1), "moedeform_maalgruppe": True, "jobcenter_nummer": "22301",
           "kontaktgruppe_id": 1, "akasse_nummer": "42"}
UDEN_RET = {**MED_RET, "moedeform_maalgruppe": False}


def tilbud(**kw):
    return {"id": 5, "jobcenter_nummer": "22300", "starttid": START, "sluttid": START + timedelta(hours=1),
            "moedeform_id": 1, "tilladte_moedeformer": [1, 2, 8], "samtaletype_id": 4, "kun_personligt": False,
            "sted": "Jobcentret", "lokationsuddybning": None, "moedelink": "https://moede.example/1",
            "kapacitet": 3, "antal_booket": 0} | kw


def indkaldelse(**kw):
    return {"id": 9, "cpr": "0101901234", "jobcenter_nummer": "22301", "moedetilbud_id": None, "starttid": START,
            "sluttid": START + timedelta(hours=1), "moedeform_id": 1, "samtaletype_id": 4, "sted": "Jobcentret",
            "lokationsuddybning": None, "moedelink": None, "kun_personligt": False, "moededeltagelsesvalg_id": None,
            "status": "aktiv"} | kw


def koder(fejl):
    return [(f.kode, f.felt) for f in fejl]


# --- which forms (R1.1-a/b/c) -------------------------------------------------------------------

def test_R1_1_a_with_the_right_to_choose_the_offers_forms_or_1_2_8():
    assert valgbare_moedeformer(MED_RET, IDAG, kun_personligt=False, fastsat_moedeform=1, tilbudte_moedeformer=[8, 2]) == [2, 8]
    assert valgbare_moedeformer(MED_RET, IDAG, kun_personligt=False, fastsat_moedeform=1) == list(BORGERENS_VALG) == [1, 2, 8]


def test_R1_1_b_without_the_right_the_form_the_jobcentre_set():
    assert valgbare_moedeformer(UDEN_RET, IDAG, kun_personligt=False, fastsat_moedeform=2, tilbudte_moedeformer=[1, 2, 8]) == [2]


def test_R1_1_c_a_meeting_to_be_held_in_person_allows_only_form_1():
    assert valgbare_moedeformer(MED_RET, IDAG, kun_personligt=True, fastsat_moedeform=2, tilbudte_moedeformer=[1, 2, 8]) == [1]


def test_R1_1_b_the_meeting_date_is_the_danish_day_of_its_start():
    # Unemployed from 1 May: the right begins on 1 November. A meeting at 00:30 on 1 November in
    # Denmark is 23:30 UTC on 31 October.
    borger = {**MED_RET, "ledighedsdato": date(2022, 5, 1)}
    start = datetime(2022, 10, 31, 23, 30, tzinfo=UTC)
    assert moededato(start) == date(2022, 11, 1)
    assert valgbare_moedeformer(borger, moededato(start), kun_personligt=False, fastsat_moedeform=1) == [1, 2, 8]
    foer = datetime(2022, 10, 31, 22, 59, tzinfo=UTC)  # 23:59 on 31 October in Denmark (CET)
    assert moededato(foer) == date(2022, 10, 31)
    assert valgbare_moedeformer(borger, moededato(foer), kun_personligt=False, fastsat_moedeform=1) == [1]


def test_R1_1_b_the_meeting_date_across_the_change_to_summer_time():
    assert moededato(datetime(2023, 3, 25, 23, 30, tzinfo=UTC)) == date(2023, 3, 26)  # 00:30 CET
    assert moededato(datetime(2023, 3, 26, 22, 30, tzinfo=UTC)) == date(2023, 3, 27)  # 00:30 CEST
    assert moededato(datetime(2023, 3, 26, 2, 30)) == date(2023, 3, 26)               # a wall time that never was


# --- offers (R1.1-a/c/d/e/g) -------------------------------------------------------------------

def test_R1_1_a_an_offer_allows_only_the_citizens_forms():
    assert koder(valider_moedetilbud(tilbud(tilladte_moedeformer=[]), koder=kodecache(), idag=IDAG, nu=NU)) == [
        (62013, "tilladteMoedeformer")]
    assert koder(valider_moedetilbud(tilbud(tilladte_moedeformer=[1, 3]), koder=kodecache(), idag=IDAG, nu=NU)) == [
        (62002, "tilladteMoedeformer")]


def test_R1_1_d_an_offer_with_an_expired_form():
    assert koder(valider_moedetilbud(tilbud(tilladte_moedeformer=[1, 4]), koder=kodecache(), idag=IDAG, nu=NU)) == [
        (62005, "tilladteMoedeformer")]
    fejl = valider_moedetilbud(tilbud(moedeform_id=5), koder=kodecache(), idag=IDAG, nu=NU)
    assert koder(fejl) == [(62005, "moedeformId")]
    # On an update, an expired set form already on the offer is not newly set (no 62005); it is
    # still not among the forms the offer allows (62001).
    fejl = valider_moedetilbud(tilbud(moedeform_id=5), koder=kodecache(), idag=IDAG, nu=NU, foer=tilbud(moedeform_id=5))
    assert koder(fejl) == [(62001, "moedeformId")]


def test_R1_1_c_an_offer_to_be_held_in_person_allows_only_form_1():
    assert koder(valider_moedetilbud(tilbud(kun_personligt=True), koder=kodecache(), idag=IDAG, nu=NU)) == [
        (62004, "tilladteMoedeformer")]
    assert valider_moedetilbud(tilbud(kun_personligt=True, tilladte_moedeformer=[1], moedelink=None),
                               koder=kodecache(), idag=IDAG, nu=NU) == []


def test_R1_1_e_an_offer_allowing_a_digital_meeting_needs_its_link():
    assert koder(valider_moedetilbud(tilbud(moedelink=None), koder=kodecache(), idag=IDAG, nu=NU)) == [(62006, "moedelink")]


def test_R1_1_g_an_offer_in_the_past_and_capacity():
    assert koder(valider_moedetilbud(tilbud(starttid=NU, sluttid=NU + timedelta(hours=1)), koder=kodecache(), idag=IDAG, nu=NU)) == [
        (62009, "starttid")]
    assert koder(valider_moedetilbud(tilbud(kapacitet=1), koder=kodecache(), idag=IDAG, nu=NU, foer=tilbud(antal_booket=2))) == [
        (62012, "kapacitet")]


@pytest.mark.parametrize("link", [
    "http://moede.example/1", "https://", "https:///sti", "moede.example", "https://moede.example/a b",
    "https://moede.example/\x07", "https://" + "x" * 2000,
])
def test_R1_1_e_the_link_is_an_absolute_https_url(link):
    assert koder(moedelink_fejl(link)) == [(62007, "moedelink")]


def test_R1_1_e_a_good_link_and_no_link():
    assert moedelink_fejl("https://moede.example/rum?id=1") == []
    assert moedelink_fejl(None) == []


# --- texts and times (R1.1-h) ------------------------------------------------------------------

def test_R1_1_h_a_blank_lokationsuddybning_is_stored_as_absent():
    ny = normaliser_indkaldelse({"sted": " Jobcentret ", "lokationsuddybning": "  \t", "moedelink": ""})
    assert ny == {"sted": "Jobcentret", "lokationsuddybning": None, "moedelink": None}


def test_a_time_without_offset_is_taken_as_danish():
    ny = normaliser_tilbud({"starttid": datetime(2022, 11, 1, 9), "sluttid": None, "tilladte_moedeformer": [8, 1, 8]})
    assert ny["starttid"] == datetime(2022, 11, 1, 8, tzinfo=UTC)
    assert ny["sluttid"] is None
    assert ny["tilladte_moedeformer"] == [1, 8]


def test_R1_1_h_the_message_of_a_summons_never_carries_a_blank_text():
    besked = indkaldelse_besked("IndkaldelseOprettet", indkaldelse(sted=" ", lokationsuddybning="\u00a0", moedelink=""))
    assert (besked["sted"], besked["lokationsuddybning"], besked["moedelink"]) == (None, None, None)
    assert besked["starttid"] == "2022-11-01T09:00:00+01:00"


def test_a_summons_goes_to_the_jobcentre_authority_and_a_dagpengemodtagers_a_kasse():
    assert indkaldelse_modtagere(MED_RET) == [("jobcenter", "223"), ("akasse", "42")]
    assert indkaldelse_modtagere({**MED_RET, "kontaktgruppe_id": 7}) == [("jobcenter", "223")]
    assert indkaldelse_modtagere({**MED_RET, "akasse_nummer": None}) == [("jobcenter", "223")]


# --- summons (R1.1-c/d/e/f) ----------------------------------------------------------------------

def test_R1_1_d_a_summons_with_an_expired_form():
    assert koder(valider_indkaldelse(indkaldelse(moedeform_id=4), koder=kodecache(), idag=IDAG)) == [(62005, "moedeformId")]
    # The expired form already on it may stay while other fields change.
    foer = indkaldelse(moedeform_id=4)
    assert valider_indkaldelse(indkaldelse(moedeform_id=4, sted="Andet sted"), koder=kodecache(), idag=IDAG, foer=foer) == []


def test_a_cancelled_summons_cannot_change():
    assert koder(valider_indkaldelse(indkaldelse(), koder=kodecache(), idag=IDAG, foer=indkaldelse(status="aflyst"))) == [(62011, "id")]


def test_required_fields_cannot_be_set_to_null():
    aendret, fejl = uden_null({"starttid": None, "sted": None, "moedeform_id": 2}, frozenset({"starttid", "moedeform_id"}))
    assert aendret == {"sted": None, "moedeform_id": 2}
    assert koder(fejl) == [(61003, "starttid")]


# --- bookings (R1.1-a/b/c/g) ---------------------------------------------------------------------

def test_R1_1_g_booking_an_offer_of_the_same_authority():
    assert valider_booking(MED_RET, tilbud(), 2, nu=NU, allerede_booket=False) == []  # 22301 books at 22300


def test_R1_1_g_an_offer_of_another_authority_is_refused():
    assert koder(valider_booking(MED_RET, tilbud(jobcenter_nummer="22400"), 2, nu=NU, allerede_booket=False)) == [
        (62016, "moedetilbudId")]


def test_R1_1_g_a_full_or_past_or_already_booked_offer():
    fejl = valider_booking(MED_RET, tilbud(antal_booket=3, starttid=NU), 1, nu=NU, allerede_booket=True)
    assert koder(fejl) == [(62009, "moedetilbudId"), (62008, "moedetilbudId"), (62015, "moedetilbudId")]


def test_R1_1_b_without_the_right_only_the_set_form():
    assert koder(valider_booking(UDEN_RET, tilbud(), 2, nu=NU, allerede_booket=False)) == [(62003, "moedeformId")]
    assert valider_booking(UDEN_RET, tilbud(), 1, nu=NU, allerede_booket=False) == []


# --- the participation choice (R1.1-f) ------------------------------------------------------------

def test_R1_1_f_the_choice_among_the_forms_the_meeting_allows():
    assert valider_moededeltagelsesvalg(indkaldelse(), MED_RET, None, 8, koder=kodecache(), idag=IDAG) == []
    assert koder(valider_moededeltagelsesvalg(indkaldelse(), UDEN_RET, None, 8, koder=kodecache(), idag=IDAG)) == [
        (62014, "moedeformId")]
    assert koder(valider_moededeltagelsesvalg(indkaldelse(kun_personligt=True), MED_RET, None, 2, koder=kodecache(), idag=IDAG)) == [
        (62004, "moedeformId")]
    assert koder(valider_moededeltagelsesvalg(indkaldelse(), MED_RET, None, 4, koder=kodecache(), idag=IDAG)) == [
        (62005, "moedeformId")]


# --- offers changed after booking ------------------------------------------------------------------

def test_summons_follow_the_offers_changed_time_place_and_link_not_a_removed_link():
    foer = tilbud()
    efter = tilbud(sted="Nyt sted", moedelink=None, kapacitet=9)
    assert tilbud_foelger(foer, efter) == {"sted": "Nyt sted"}
    assert tilbud_foelger(foer, foer) == {}
