"""The joblog (section 4): R4.1-a, without a database."""

from __future__ import annotations

from datetime import date

from dfdg.regler.joblog import TIDLIGSTE_DATO, valider_joblog


def koder(felter):
    return [(f.kode, f.felt) for f in valider_joblog(felter)]


GYLDIG = {"stillingsbetegnelse": "Tømrer", "virksomhedsnavn": "Byg A/S", "ansoegningsdato": date(2022, 10, 1),
          "ansoegningsfrist": None}


def test_R4_1_a_dates_from_2015_01_01_are_accepted():
    assert date(2015, 1, 1) == TIDLIGSTE_DATO
    assert koder({**GYLDIG, "ansoegningsdato": TIDLIGSTE_DATO, "ansoegningsfrist": TIDLIGSTE_DATO}) == []


def test_R4_1_a_a_date_before_2015_is_refused_each_with_its_code_both_at_once():
    assert koder({**GYLDIG, "ansoegningsdato": date(1020, 10, 31), "ansoegningsfrist": date(2014, 12, 31)}) == [
        (65001, "ansoegningsdato"), (65002, "ansoegningsfrist")]


def test_only_the_fields_being_set_are_checked():
    assert koder({"ansoegningsfrist": date(2014, 12, 31)}) == [(65002, "ansoegningsfrist")]
    assert koder({}) == []
    assert koder({"ansoegningsdato": None, "virksomhedsnavn": None}) == [(61003, "virksomhedsnavn"), (61003, "ansoegningsdato")]
