"""Code lists as the rules read them: a code's validity, the codes the rules name, and the one
check of a code a registration names ("an expired code may stay but not be newly set").

The lists themselves are reference data (dfdg.db.kodelister), read once into a ``Kodecache``
(loaded by dfdg.db.kodecache).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dfdg.regler import fejlkoder as k
from dfdg.regler.fejlkoder import Fejl, Fejlkode

RELEASE_2022_3 = date(2022, 9, 19)

# Kontaktgrupper the rules name.
DAGPENGEMODTAGER = 1
FLEKSJOBVISITERET_LEDIG = 7
# Jobordrestatus 'Åben' (R6.1-a; what other jobcentres and other actors see).
JOBORDRE_AABEN = 1


def udgaaet(gyldig_til: date | None, dato: date) -> bool:
    """A code has expired on ``dato`` from its first day of no longer being valid (validity is
    closed-open, ``[gyldig_fra, gyldig_til)``)."""
    return gyldig_til is not None and gyldig_til <= dato


@dataclass(frozen=True)
class Kode:
    id: int
    navn: str
    beskrivelse: str | None
    gyldig_fra: date
    gyldig_til: date | None
    flag: Mapping[str, Any] = field(default_factory=dict)

    def gyldig(self, dato: date) -> bool:
        return self.gyldig_fra <= dato and not udgaaet(self.gyldig_til, dato)

    def udgaaet(self, dato: date) -> bool:
        return udgaaet(self.gyldig_til, dato)


@dataclass(frozen=True)
class Kodecache:
    lister: Mapping[str, Mapping[int, Kode]]
    # fravaerstype id -> the kontaktgrupper it may be registered on (R2.1-a)
    fravaerstype_kontaktgrupper: Mapping[int, frozenset[int]]

    def __getattr__(self, name: str) -> Mapping[int, Kode]:
        try:
            return self.lister[name]
        except KeyError:
            raise AttributeError(name) from None


# Each list's name in a message ('Mødeform 4 …').
KODELISTE_NAVNE: dict[str, str] = {
    "moedeformer": "Mødeform",
    "fravaerstyper": "Fraværstype",
    "samtaletyper": "Samtaletype",
    "ophoersaarsager": "Ophørsårsag",
    "jobordrestatusser": "Jobordrestatus",
    "formidlingsstatustyper": "FormidlingsstatusType",
}

# Lists whose expired codes a rule of the release names, with that rule's code; any other list's
# expired code is the common 61007. The messages are alike: '<list> <id> (<name>) er udgået …'.
UDGAAET_FEJLKODE: dict[str, Fejlkode] = {
    "moedeformer": k.MOEDEFORM_UDGAAET,        # R1.1-d
    "fravaerstyper": k.FRAVAERSTYPE_UDGAAET,   # R2.2-a
}


def kode_fejl(
    koder: Kodecache, liste: str, kode_id: int, felt: str, *, idag: date, eksisterende: int | None = None,
) -> list[Fejl]:
    """The code ``kode_id`` of ``liste`` that a registration names: unknown (61006), or expired and
    newly set (R1.1-d 62005, R2.2-a 63001, else 61007). An expired code may stay: one the
    registration already carries (``eksisterende``, on an update) is no error, so history that
    carries it can still be changed in other fields, ended or deleted."""
    kode = koder.lister[liste].get(kode_id)
    kodeliste = KODELISTE_NAVNE[liste]
    if kode is None:
        return [k.fejl(k.UKENDT_KODE, felt, kodeliste=kodeliste, kode=kode_id)]
    if kode.id != eksisterende and kode.udgaaet(idag):
        return [k.fejl(UDGAAET_FEJLKODE.get(liste, k.UDGAAET_KODE), felt, kodeliste=kodeliste, kode=kode.id, navn=kode.navn)]
    return []
