"""The citizen's joblog (section 4 of the release): the date rule as a pure function.

R4.2-a: the joblog duty follows the calendar month (``dfdg.regler.fravaer.joblog_pligt``), and
nothing ever produces the 30-day warning (GetWarningVersion4, WarningTypeIdentifier 47):
registering or changing a joblog entry queues no webservice message at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from dfdg.regler import fejlkoder as k
from dfdg.regler.fejlkoder import Fejl
from dfdg.regler.tekst import tekst_fejl

# R4.1-a: no log with a date before this (entries like 31-10-1020 troubled the fetching systems).
TIDLIGSTE_DATO = date(2015, 1, 1)


def valider_joblog(felter: Mapping[str, Any]) -> list[Fejl]:
    """All reasons a joblog entry cannot be stored: ``felter`` are the fields being set (all of
    them on create). R4.1-a: SubmissionDate (65001) and SubmissionDeadlineDate (65002) cannot
    lie before 2015-01-01, both reported when both are wrong."""
    fejl: list[Fejl] = []
    for felt in ("stillingsbetegnelse", "virksomhedsnavn"):
        if felt in felter:
            fejl += tekst_fejl(felt, felter[felt], paakraevet=True)
    if "ansoegningsdato" in felter:
        dato = felter["ansoegningsdato"]
        if dato is None:
            fejl.append(k.fejl(k.FELT_PAAKRAEVET, "ansoegningsdato"))
        elif dato < TIDLIGSTE_DATO:
            fejl.append(k.fejl(k.ANSOEGNINGSDATO_FOER_2015, "ansoegningsdato"))
    frist = felter.get("ansoegningsfrist")
    if frist is not None and frist < TIDLIGSTE_DATO:
        fejl.append(k.fejl(k.ANSOEGNINGSFRIST_FOER_2015, "ansoegningsfrist"))
    return fejl
