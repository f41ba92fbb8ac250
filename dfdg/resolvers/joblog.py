"""The citizen's joblog (section 4 of the release): the date rule as a pure function, and the
writes (CitizenJoblogService).

R4.2-a: the joblog duty follows the calendar month (``fravaer.joblog_pligt``), and nothing here
ever produces the 30-day warning (GetWarningVersion4, WarningTypeIdentifier 47): registering or
changing a joblog entry queues no webservice message at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import insert, select

from dfdg.db import tables as t
from dfdg.regler import fejlkoder as k
from dfdg.resolvers.borger import tekst, tekst_fejl
from dfdg.regler.fejlkoder import Fejl
from dfdg.resolvers.mutation import Afvist, Udfald, afvis_hvis, borger_til_skrivning, opdater_med_historik, skriv_historik, udfoer

# R4.1-a: no log with a date before this (entries like 31-10-1020 troubled the fetching systems).
TIDLIGSTE_DATO = date(2015, 1, 1)
JOBLOG_FELTER = ("stillingsbetegnelse", "virksomhedsnavn", "ansoegningsdato", "ansoegningsfrist")


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


def _normaliser(felter: Mapping[str, Any]) -> dict[str, Any]:
    return {felt: tekst(v) if isinstance(v, str) else v for felt, v in felter.items() if felt in JOBLOG_FELTER}


async def joblog_registrer(ctx, *, cpr: str, felter: Mapping[str, Any], idempotensnoegle: str | None = None) -> Udfald:
    actor = ctx.kraev_actor()
    vaerdier = _normaliser({felt: felter.get(felt) for felt in JOBLOG_FELTER})

    async def krop(tx) -> Udfald:
        await borger_til_skrivning(tx, actor, cpr, "joblogRegistrer", "registrere jobsøgning i borgerens joblog")
        afvis_hvis(valider_joblog(vaerdier))
        j = t.Joblog.__table__
        row = await tx.first(insert(j).values(cpr=cpr, **vaerdier).returning(j))
        await skriv_historik(tx, actor, cpr=cpr, entitet="JoblogPost", entitet_id=row["id"], handling="oprettet", foer=None, efter=row)
        return Udfald("JoblogPost", row["id"], row)

    return await udfoer(ctx, "joblogRegistrer", krop, idempotensnoegle=idempotensnoegle)


async def joblog_opdater(ctx, *, joblog_id: int | None, aendringer: Mapping[str, Any],
                         idempotensnoegle: str | None = None) -> Udfald:
    """Change the given fields of a joblog entry (R4.1-a applies to the dates being set)."""
    actor = ctx.kraev_actor()
    aendringer = _normaliser(aendringer)

    async def krop(tx) -> Udfald:
        j = t.Joblog.__table__
        foer = None if joblog_id is None else await tx.first(select(j).where(j.c.id == joblog_id).with_for_update())
        if foer is None:
            raise Afvist([k.fejl(k.IKKE_FUNDET, "id", entitet="Joblogposten")])
        await borger_til_skrivning(tx, actor, foer["cpr"], "joblogOpdater", "ændre borgerens joblog", felt="id", entitet="Joblogposten",
                                   ressource="joblog")
        afvis_hvis(valider_joblog(aendringer))
        if not aendringer:
            return Udfald("JoblogPost", foer["id"], foer)
        efter = await opdater_med_historik(
            tx, actor, j, foer, aendringer, entitet="JoblogPost", cpr=foer["cpr"],
        )
        return Udfald("JoblogPost", efter["id"], efter)

    return await udfoer(ctx, "joblogOpdater", krop, idempotensnoegle=idempotensnoegle)
