"""Free texts: how one is stored and read (R1.1-h), and how long it may be."""

from __future__ import annotations

from dfdg.regler import fejlkoder as k
from dfdg.regler.fejlkoder import Fejl

# The longest free text of a registration (a name, a title); the meeting place's texts allow more
# (dfdg.regler.indkaldelse.MAKS_STEDTEKST).
MAKS_TEKST = 255


def normaliser_tekst(value: str | None) -> str | None:
    """R1.1-h: an empty or whitespace-only text is absent; other texts lose surrounding blanks.
    Every text is written this way, read this way (whatever is stored) and put in messages this
    way, so no stored value can make a look-up or a message fail."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def tekst_fejl(felt: str, value: str | None, *, paakraevet: bool, maks: int = MAKS_TEKST) -> list[Fejl]:
    """A (normalised) text field's errors: missing when required (61003), longer than ``maks`` (61010)."""
    if value is None:
        return [k.fejl(k.FELT_PAAKRAEVET, felt)] if paakraevet else []
    if len(value) > maks:
        return [k.fejl(k.UGYLDIG_TEKST, felt, maks=maks)]
    return []
