"""The citizen's joblog (CitizenJoblogService): the writes. The rules are dfdg.regler.joblog's
(R4.1-a); R4.2-a: nothing here queues a webservice message, so no 30-day warning (47) arises."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert, select

from dfdg.db import tables as t
from dfdg.regler import fejlkoder as k
from dfdg.regler.joblog import valider_joblog
from dfdg.regler.tekst import normaliser_tekst
from dfdg.resolvers.mutation import (
    Afvist,
    Udfald,
    afvis_hvis,
    borger_til_skrivning,
    opdater_med_historik,
    skriv_historik,
    udfoer,
)

JOBLOG_FELTER = ("stillingsbetegnelse", "virksomhedsnavn", "ansoegningsdato", "ansoegningsfrist")


def _normaliser(felter: Mapping[str, Any]) -> dict[str, Any]:
    return {felt: normaliser_tekst(v) if isinstance(v, str) else v for felt, v in felter.items() if felt in JOBLOG_FELTER}


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
