"""Code lists: when a code has expired, and the one check of a code a registration names: an
expired code may stay on a registration that carries it, but never be newly set (R1.1-d, R2.2-a)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dfdg.regler.fejlkoder import FEJLKODER
from dfdg.regler.koder import RELEASE_2022_3, Kode, Kodecache, kode_fejl, udgaaet
from tests.regler.koder import kodecache

DAGEN_FOER = RELEASE_2022_3 - timedelta(days=1)
UDGAAET = "er udgået og kan ikke bruges i nye registreringer"


def test_a_code_expires_on_its_gyldig_til():
    assert not udgaaet(RELEASE_2022_3, DAGEN_FOER)
    assert udgaaet(RELEASE_2022_3, RELEASE_2022_3)  # a code expiring today has expired
    assert udgaaet(RELEASE_2022_3, RELEASE_2022_3 + timedelta(days=1))
    assert not udgaaet(None, date(2999, 1, 1))


def test_a_code_is_valid_from_gyldig_fra_until_it_expires():
    kode = Kode(id=8, navn="Digitalt møde", beskrivelse=None, gyldig_fra=RELEASE_2022_3, gyldig_til=date(2023, 1, 1))
    assert not kode.gyldig(DAGEN_FOER)
    assert kode.gyldig(RELEASE_2022_3) and kode.gyldig(date(2022, 12, 31))
    assert not kode.gyldig(date(2023, 1, 1))
    assert kode.udgaaet(date(2023, 1, 1)) and not kode.udgaaet(date(2022, 12, 31))


def test_R1_1_d_an_expired_meeting_form_cannot_be_newly_set():
    [fejl] = kode_fejl(kodecache(), "moedeformer", 4, "moedeformId", idag=RELEASE_2022_3)
    assert (fejl.kode, fejl.felt, fejl.besked) == (62005, "moedeformId", f"Mødeform 4 (Digitalt) {UDGAAET}")
    assert [f.kode for f in kode_fejl(kodecache(), "moedeformer", 6, "moedeformId", idag=RELEASE_2022_3)] == [62005]


def test_R1_1_d_a_meeting_form_expiring_today_is_expired_the_day_before_it_is_not():
    assert kode_fejl(kodecache(), "moedeformer", 4, "moedeformId", idag=DAGEN_FOER) == []
    assert [f.kode for f in kode_fejl(kodecache(), "moedeformer", 4, "moedeformId", idag=RELEASE_2022_3)] == [62005]


def test_R1_1_d_an_expired_meeting_form_already_on_the_registration_may_stay():
    assert kode_fejl(kodecache(), "moedeformer", 4, "moedeformId", idag=RELEASE_2022_3, eksisterende=4) == []
    # Another expired form is still newly set.
    assert [f.kode for f in kode_fejl(kodecache(), "moedeformer", 5, "moedeformId", idag=RELEASE_2022_3, eksisterende=4)] == [62005]


def test_R2_2_a_absence_type_78_cannot_be_newly_set_but_may_stay():
    [fejl] = kode_fejl(kodecache(), "fravaerstyper", 78, "fravaerstypeId", idag=RELEASE_2022_3)
    assert (fejl.kode, fejl.felt) == (63001, "fravaerstypeId")
    assert fejl.besked == f"Fraværstype 78 (Arbejdsfordeling - ny midlertidig ordning. COVID-19) {UDGAAET}"
    assert kode_fejl(kodecache(), "fravaerstyper", 78, "fravaerstypeId", idag=RELEASE_2022_3, eksisterende=78) == []


def test_an_expired_code_of_a_list_no_rule_names_is_61007_in_the_same_words():
    koder = Kodecache(lister={"samtaletyper": {
        4: Kode(id=4, navn="Opfølgningssamtale", beskrivelse=None, gyldig_fra=date(2000, 1, 1), gyldig_til=RELEASE_2022_3),
    }}, fravaerstype_kontaktgrupper={})
    [fejl] = kode_fejl(koder, "samtaletyper", 4, "samtaletypeId", idag=RELEASE_2022_3)
    assert (fejl.kode, fejl.besked) == (61007, f"Samtaletype 4 (Opfølgningssamtale) {UDGAAET}")
    assert kode_fejl(koder, "samtaletyper", 4, "samtaletypeId", idag=RELEASE_2022_3, eksisterende=4) == []


def test_every_expired_code_error_has_one_shape():
    """62005, 63001 and 61007 say the same sentence about their list's code."""
    for kode in (62005, 63001, 61007):
        assert FEJLKODER[kode].besked.endswith(f"{{kode}} ({{navn}}) {UDGAAET}"), kode


@pytest.mark.parametrize(("liste", "navn"), [
    ("moedeformer", "Mødeform"), ("fravaerstyper", "Fraværstype"), ("samtaletyper", "Samtaletype"),
    ("ophoersaarsager", "Ophørsårsag"), ("jobordrestatusser", "Jobordrestatus"),
    ("formidlingsstatustyper", "FormidlingsstatusType"),
])
def test_an_unknown_code_is_61006_naming_its_list(liste, navn):
    [fejl] = kode_fejl(kodecache(), liste, 999, "felt", idag=RELEASE_2022_3)
    assert (fejl.kode, fejl.felt, fejl.besked) == (61006, "felt", f"{navn} 999 findes ikke")
