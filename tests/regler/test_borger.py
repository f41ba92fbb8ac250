"""The citizen (section 1): the right to choose the meeting form (R1.1-b), contact persons (R1.2-a),
membership intake (R1.3-a) and activities (R3.1-a), without a database."""

from __future__ import annotations

from datetime import date

from dfdg.regler.borger import (
    har_ret_til_valg_af_moedeform,
    overflyttede_medlemskaber,
    plus_maaneder,
    valider_indsats,
    valider_indsats_afslutning,
    valider_kontaktperson,
    valider_medlemstilgang,
)
from dfdg.regler.koder import RELEASE_2022_3
from tests.regler.koder import kodecache


def koder(fejl):
    return [(f.kode, f.felt) for f in fejl]


def test_plus_maaneder_keeps_the_day_or_takes_the_months_last():
    assert plus_maaneder(date(2022, 3, 15), 6) == date(2022, 9, 15)
    assert plus_maaneder(date(2023, 8, 31), 6) == date(2024, 2, 29)   # leap year
    assert plus_maaneder(date(2022, 8, 31), 6) == date(2023, 2, 28)
    assert plus_maaneder(date(2022, 7, 31), 6) == date(2023, 1, 31)   # across the year
    assert plus_maaneder(date(2024, 2, 29), -6) == date(2023, 8, 29)


def test_R1_1_b_six_months_of_unemployment_on_the_meeting_date_and_the_target_group():
    borger = {"ledighedsdato": date(2023, 8, 31), "moedeform_maalgruppe": True}
    assert not har_ret_til_valg_af_moedeform(borger, date(2024, 2, 28))
    assert har_ret_til_valg_af_moedeform(borger, date(2024, 2, 29))
    assert not har_ret_til_valg_af_moedeform({**borger, "moedeform_maalgruppe": False}, date(2025, 1, 1))
    assert not har_ret_til_valg_af_moedeform({**borger, "ledighedsdato": None}, date(2025, 1, 1))


def test_R1_2_a_only_the_creating_authority_may_change_a_contact_person():
    assert koder(valider_kontaktperson({"navn": "A"}, oprettet_af=("jobcenter", "223"), kalder=("jobcenter", "224"))) == [
        (60018, "id")]
    assert valider_kontaktperson({"navn": "A"}, oprettet_af=("jobcenter", "223"), kalder=("jobcenter", "223")) == []
    # An a-kasse with the same number as a jobcentre authority is another authority.
    assert koder(valider_kontaktperson({}, oprettet_af=("jobcenter", "223"), kalder=("akasse", "223"))) == [(60018, "id")]


def test_R1_2_a_the_60018_message_is_the_platforms():
    [fejl] = valider_kontaktperson({}, oprettet_af=("akasse", "42"), kalder=("jobcenter", "101"))
    assert fejl.besked == "FagprofessionelKontaktId tilhører en anden myndighed"


def test_a_contact_persons_name_is_required_and_phone_and_email_have_a_form():
    fejl = valider_kontaktperson({"navn": None, "rolle": None, "telefon": "12", "email": "ingen-snabel-a"})
    assert koder(fejl) == [(61003, "navn"), (61011, "telefon"), (61011, "email")]
    assert valider_kontaktperson({"navn": "A", "telefon": "+45 12 34 56 78", "email": "a@b.dk"}) == []


def test_R1_3_a_an_intake_with_a_dagpengeretsdato_before_today_is_accepted():
    assert valider_medlemstilgang(indmeldt=date(2022, 10, 1), medlemskaber=[], akasse_nummer="42") == []


def test_R1_3_a_a_running_membership_of_the_same_a_kasse_is_67001():
    m = {"akasse_nummer": "42", "indmeldt": date(2022, 1, 1), "udmeldt": None}
    [fejl] = valider_medlemstilgang(indmeldt=date(2022, 10, 1), medlemskaber=[m], akasse_nummer="42")
    assert (fejl.kode, fejl.besked) == (67001, "Borgeren er allerede medlem af a-kassen fra 01-01-2022")
    endt = {**m, "udmeldt": date(2022, 10, 1)}
    assert valider_medlemstilgang(indmeldt=date(2022, 10, 1), medlemskaber=[endt], akasse_nummer="42") == []


def test_R1_3_a_moving_to_another_a_kasse_ends_the_old_membership_the_day_before():
    gammel = {"akasse_nummer": "41", "indmeldt": date(2022, 1, 1), "udmeldt": None}
    senere = {"akasse_nummer": "43", "indmeldt": date(2022, 12, 1), "udmeldt": None}
    egen = {"akasse_nummer": "42", "indmeldt": date(2021, 1, 1), "udmeldt": date(2021, 6, 1)}
    assert overflyttede_medlemskaber(indmeldt=date(2022, 10, 1), medlemskaber=[gammel, senere, egen], akasse_nummer="42") == [
        (gammel, date(2022, 9, 30)), (senere, date(2022, 12, 1))]


def test_an_activity_needs_a_name_and_a_period():
    assert koder(valider_indsats(betegnelse=None, startdato=date(2022, 10, 2), slutdato=date(2022, 10, 1))) == [
        (61003, "betegnelse"), (61005, "slutdato")]


def test_R3_1_a_ophoersaarsag_14_and_15_only_from_vitas():
    indsats = {"ophoersaarsag_id": None, "startdato": date(2022, 10, 1)}
    kw = dict(indsats=indsats, slutdato=date(2022, 10, 31), koder=kodecache(), idag=RELEASE_2022_3)
    for aarsag in (14, 15):
        assert koder(valider_indsats_afslutning(ophoersaarsag_id=aarsag, fra_vitas=False, **kw)) == [(64001, "ophoersaarsagId")]
        assert valider_indsats_afslutning(ophoersaarsag_id=aarsag, fra_vitas=True, **kw) == []
    assert valider_indsats_afslutning(ophoersaarsag_id=3, fra_vitas=False, **kw) == []
    assert koder(valider_indsats_afslutning(ophoersaarsag_id=99, fra_vitas=True, **kw)) == [(61006, "ophoersaarsagId")]


def test_an_ended_activity_cannot_be_ended_again():
    indsats = {"ophoersaarsag_id": 3, "startdato": date(2022, 10, 1)}
    fejl = valider_indsats_afslutning(indsats=indsats, slutdato=date(2022, 9, 30), ophoersaarsag_id=3, koder=kodecache(),
                                      fra_vitas=False, idag=RELEASE_2022_3)
    assert koder(fejl) == [(64002, "id"), (61005, "slutdato")]
