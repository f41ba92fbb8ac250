"""Free texts (R1.1-h): one normaliser for what is written, read and sent; their lengths."""

from __future__ import annotations

import pytest

from dfdg.regler.tekst import MAKS_TEKST, normaliser_tekst, tekst_fejl


@pytest.mark.parametrize("blank", ["", " ", "   ", "\t", "\n", " \r\n\t ", "\u00a0", "\u2003", "\u3000"])
def test_R1_1_h_an_empty_or_whitespace_only_text_is_absent(blank):
    assert normaliser_tekst(blank) is None


def test_R1_1_h_absent_stays_absent():
    assert normaliser_tekst(None) is None


def test_R1_1_h_other_texts_lose_surrounding_blanks_only():
    assert normaliser_tekst("  Indgang B, 2. sal \n") == "Indgang B, 2. sal"
    assert normaliser_tekst("Lokale  4") == "Lokale  4"
    assert normaliser_tekst(".") == "."


def test_R1_1_h_normalising_twice_changes_nothing():
    for tekst in ["", "  x  ", "x", "\u00a0y\u00a0"]:
        assert normaliser_tekst(normaliser_tekst(tekst)) == normaliser_tekst(tekst)


def test_a_required_text_that_is_absent_is_61003():
    assert [(f.kode, f.felt) for f in tekst_fejl("navn", None, paakraevet=True)] == [(61003, "navn")]
    assert tekst_fejl("rolle", None, paakraevet=False) == []


def test_a_text_may_be_as_long_as_the_limit_not_longer():
    assert tekst_fejl("navn", "x" * MAKS_TEKST, paakraevet=True) == []
    [fejl] = tekst_fejl("navn", "x" * (MAKS_TEKST + 1), paakraevet=True)
    assert (fejl.kode, fejl.felt, fejl.besked) == (61010, "navn", f"Teksten må højst være {MAKS_TEKST} tegn")
    [fejl] = tekst_fejl("sted", "x" * 501, paakraevet=False, maks=500)
    assert fejl.besked == "Teksten må højst være 500 tegn"
