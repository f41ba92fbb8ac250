"""Identifier formats (CODELISTS.md 'Identifier formats') and the authority of a jobcentre number
(R6.2-a), without a database."""

from __future__ import annotations

from datetime import date

import pytest

from dfdg.regler.identer import (
    BIGINT_MAX,
    UgyldigtArgument,
    cpr_fejl,
    cvr_fejl,
    gyldigt_id,
    jobcenter_fejl,
    jobcenter_myndighed,
    kraev,
    maaned_fra_tekst,
    myndighed_fejl,
    p_nummer_fejl,
    samme_myndighed,
)


@pytest.mark.parametrize("cpr", ["2902001234", "2902891234", "0101901234", "3112991234", "3004001234"])
def test_cpr_real_calendar_days_are_valid_29_february_always(cpr):
    assert cpr_fejl(cpr) is None


def test_cpr_without_modulus_11_is_valid():
    # 0101901234 fails modulus 11 (numbers issued since 2007 may), and is accepted.
    assert sum(int(c) * v for c, v in zip("0101901234", (4, 3, 2, 7, 6, 5, 4, 3, 2, 1))) % 11
    assert cpr_fejl("0101901234") is None


@pytest.mark.parametrize(("cpr", "besked"), [
    ("3002001234", "CPR-nummer har en ugyldig dag (30) for måned 02"),
    ("3104901234", "CPR-nummer har en ugyldig dag (31) for måned 04"),
    ("0001901234", "CPR-nummer har en ugyldig dag (00) for måned 01"),
    ("0113901234", "CPR-nummer har en ugyldig måned (13)"),
    ("0100901234", "CPR-nummer har en ugyldig måned (00)"),
    ("010190123", "CPR-nummer skal være 10 cifre (DDMMÅÅ + 4 cifre)"),
    ("01019012345", "CPR-nummer skal være 10 cifre (DDMMÅÅ + 4 cifre)"),
    ("010190-123", "CPR-nummer skal være 10 cifre (DDMMÅÅ + 4 cifre)"),
    ("０１０１９０１２３４", "CPR-nummer skal være 10 cifre (DDMMÅÅ + 4 cifre)"),  # full-width digits
])
def test_cpr_malformed_says_why(cpr, besked):
    assert cpr_fejl(cpr) == besked


def test_cvr_modulus_11():
    assert cvr_fejl("13748136") is None
    assert cvr_fejl("13748137") == "CVR-nummer fejler modulus 11-kontrollen"
    assert cvr_fejl("1374813") == "CVR-nummer skal være 8 cifre"


def test_p_number_and_jobcentre_number_are_digits_of_their_length():
    assert p_nummer_fejl("1234567890") is None
    assert p_nummer_fejl("123456789") == "P-nummer skal være 10 cifre"
    assert jobcenter_fejl("22301") is None
    assert jobcenter_fejl("2230") == jobcenter_fejl("22301a") == "Jobcenternummer skal være 5 cifre"


def test_R6_2_a_the_authority_is_the_first_three_digits():
    assert jobcenter_myndighed("22301") == "223"
    assert jobcenter_myndighed("10100") == "101"


def test_R6_2_a_same_authority_by_first_three_digits():
    assert samme_myndighed("22300", "22301")
    assert samme_myndighed("22301", "22301")
    assert not samme_myndighed("22300", "22400")
    assert not samme_myndighed("22300", "12300")


def test_R6_2_a_an_authority_filter_is_three_digits():
    assert myndighed_fejl("223") is None
    assert myndighed_fejl("22") == myndighed_fejl("2230") == myndighed_fejl("22a") == "myndighed skal være 3 cifre"


def test_kraev_names_the_argument():
    kraev("cpr", None)
    with pytest.raises(UgyldigtArgument) as fejl:
        kraev("filter.myndighed", myndighed_fejl("1"))
    assert fejl.value.argument == "filter.myndighed"
    assert fejl.value.besked == "Argumentet 'filter.myndighed': myndighed skal være 3 cifre"


def test_maaned_fra_tekst_is_the_first_of_the_month():
    assert maaned_fra_tekst("maaned", "2024-02") == date(2024, 2, 1)
    for forkert in ("2024-13", "2024-00", "2024-2", "24-02", "2024-02-01"):
        with pytest.raises(UgyldigtArgument, match="måned skal skrives ÅÅÅÅ-MM"):
            maaned_fra_tekst("maaned", forkert)


def test_a_row_id_is_a_positive_bigint():
    assert gyldigt_id(1) == 1
    assert gyldigt_id(BIGINT_MAX) == BIGINT_MAX
    assert gyldigt_id(BIGINT_MAX + 1) is None
    assert gyldigt_id(0) is None
    assert gyldigt_id(-5) is None
    assert gyldigt_id(None) is None
