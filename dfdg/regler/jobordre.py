"""Job orders (section 6 of the release): the rules of referrals (R6.1-a) and updates (R6.2-a) as
pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from dfdg.regler import fejlkoder as k
from dfdg.regler.fejlkoder import Fejl
from dfdg.regler.identer import jobcenter_fejl, samme_myndighed
from dfdg.regler.koder import Kode, Kodecache, kode_fejl
from dfdg.regler.tekst import tekst_fejl
from dfdg.regler.tid import dansk_dato


def _kodenavn(kode: Kode) -> str:
    return f"{kode.id} '{kode.navn}'"


def valider_formidling(*, jobordre: Mapping[str, Any], formidlingsstatustype_id: int, koder: Kodecache, idag: date) -> list[Fejl]:
    """All reasons a referral onto this job order is refused. R6.1-a: only while the job order
    has status 'Åben' (1); with 'Midlertidig inaktiv' (2) or 'Lukket' (3) no referral, whatever
    the FormidlingsstatusType (2 'Formidling tilgængelig for virksomhed' included)."""
    fejl: list[Fejl] = []
    status = koder.jobordrestatusser.get(jobordre["status_id"])
    if status is None or not status.flag["tillader_formidling"]:
        navn = _kodenavn(status) if status is not None else str(jobordre["status_id"])
        fejl.append(k.fejl(k.JOBORDRE_IKKE_AABEN, "jobordreId", status=navn))
    fejl += kode_fejl(koder, "formidlingsstatustyper", formidlingsstatustype_id, "formidlingsstatustypeId", idag=idag)
    return fejl


def valider_jobordre_opdatering(
    *, jobordre: Mapping[str, Any], aendringer: Mapping[str, Any], kalder_jobcenter: str | None,
    nyt_jobcenter_findes: bool, koder: Kodecache, idag: date,
) -> list[Fejl]:
    """All reasons a job order update is refused. R6.2-a: a jobcentre may update a job order
    whose responsible jobcentre is of its own authority; only the first three digits of the two
    numbers are compared (22300 may update one of 22301). ``kalder_jobcenter`` is None when the
    caller is not a jobcentre. The responsible jobcentre may be changed within the authority; a
    new one of another authority would take the job order out of the caller's reach, and is
    refused the same way."""
    fejl: list[Fejl] = []
    ansvarligt = jobordre["ansvarligt_jobcenter"]
    if kalder_jobcenter is None or not samme_myndighed(kalder_jobcenter, ansvarligt):
        fejl.append(k.fejl(k.JOBORDRE_ANDEN_MYNDIGHED, "id", ansvarligt=ansvarligt))
    if "titel" in aendringer:
        fejl += tekst_fejl("titel", aendringer["titel"], paakraevet=True)
    if "antal_stillinger" in aendringer:
        antal = aendringer["antal_stillinger"]
        if antal is None:
            fejl.append(k.fejl(k.FELT_PAAKRAEVET, "antalStillinger"))
        elif antal < 1:
            fejl.append(k.fejl(k.UGYLDIGT_FORMAT, "antalStillinger", besked="Antal stillinger skal være mindst 1"))
    if "status_id" in aendringer:
        status_id = aendringer["status_id"]
        if status_id is None:
            fejl.append(k.fejl(k.FELT_PAAKRAEVET, "statusId"))
        else:
            fejl += kode_fejl(koder, "jobordrestatusser", status_id, "statusId", idag=idag, eksisterende=jobordre["status_id"])
    if "ansvarligt_jobcenter" in aendringer:
        nyt = aendringer["ansvarligt_jobcenter"]
        if nyt is None:
            fejl.append(k.fejl(k.FELT_PAAKRAEVET, "ansvarligtJobcenter"))
        elif (problem := jobcenter_fejl(nyt)) is not None:
            fejl.append(k.fejl(k.UGYLDIGT_FORMAT, "ansvarligtJobcenter", besked=problem))
        elif not nyt_jobcenter_findes:
            fejl.append(k.fejl(k.IKKE_FUNDET, "ansvarligtJobcenter", entitet=f"Jobcenter {nyt}"))
        elif kalder_jobcenter is not None and not samme_myndighed(kalder_jobcenter, nyt):
            fejl.append(k.fejl(k.JOBORDRE_ANDEN_MYNDIGHED, "ansvarligtJobcenter", ansvarligt=nyt))
    return fejl


def formidling_findes_fejl(oprettet: datetime) -> Fejl:
    """The citizen is already referred to the job order (66003), since the Danish day ``oprettet``."""
    return k.fejl(k.FORMIDLING_FINDES, "jobordreId", oprettet=dansk_dato(oprettet).strftime("%d-%m-%Y"))
