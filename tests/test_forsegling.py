"""dfdg.db.forsegling: sealed cursors and citizens' ids are deterministic, bound to the key, and
tamper-evident."""

from __future__ import annotations

import pytest

from dfdg.db import forsegling
from dfdg.db.forsegling import Forsegling, UgyldigForsegling
from dfdg.regler.identer import UgyldigtArgument
from dfdg.schema.node import from_global_id, to_global_id


def test_the_same_value_seals_the_same_and_opens_again():
    f = Forsegling("en nøgle")
    assert f.forsegl(b"0101901234") == f.forsegl(b"0101901234") != f.forsegl(b"0101901235")
    assert f.aabn(f.forsegl(b"0101901234")) == b"0101901234"


def test_another_key_or_a_changed_character_does_not_open():
    a, b = Forsegling("nøgle a"), Forsegling("nøgle b")
    forseglet = a.forsegl(b"0101901234")
    with pytest.raises(UgyldigForsegling):
        b.aabn(forseglet)
    for i in range(len(forseglet)):
        aendret = forseglet[:i] + ("A" if forseglet[i] != "A" else "B") + forseglet[i + 1:]
        with pytest.raises(UgyldigForsegling):
            a.aabn(aendret)
    for affald in ("", "!!!", "æøå", "A" * 10):
        with pytest.raises(UgyldigForsegling):
            a.aabn(affald)


def test_the_apps_key_decides_which_ids_open():
    try:
        forsegling.brug("første nøgle")
        id_ = to_global_id("Borger", "0101901234")
        assert from_global_id(id_) == ("Borger", "0101901234")
        assert from_global_id(to_global_id("Fravaer", 7)) == ("Fravaer", "7")  # not personal: not sealed
        forsegling.brug("anden nøgle")
        with pytest.raises(UgyldigtArgument):
            from_global_id(id_)
    finally:
        from dfdg.settings import Settings

        forsegling.brug(Settings.id_key)
