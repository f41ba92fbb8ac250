"""Job orders (section 6 of the release): the list statement and the writes. Their rules are
dfdg.regler.jobordre's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select

from dfdg.context import idag
from dfdg.db import tables as t
from dfdg.db.adgang import jobordre_predikat
from dfdg.db.regler import myndighed_sql
from dfdg.regler import fejlkoder as k
from dfdg.regler.adgang import kan_se_jobordre, kan_skrive
from dfdg.regler.aktoer import Actor, Rolle
from dfdg.regler.identer import jobcenter_fejl
from dfdg.regler.jobordre import (
    formidling_findes_fejl,
    valider_formidling,
    valider_jobordre_opdatering,
)
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


def jobordrer_statement(
    actor: Actor | None,
    *,
    status: Sequence[int] | None = None,
    ansvarligt_jobcenter: str | None = None,
    myndighed: str | None = None,
    cvr_nummer: str | None = None,
):
    """The job orders the caller may see (``jobordre_predikat``) that match the filter."""
    j = t.Jobordre.__table__
    stmt = select(j)
    if status:
        stmt = stmt.where(j.c.status_id.in_(list(status)))
    if ansvarligt_jobcenter is not None:
        stmt = stmt.where(j.c.ansvarligt_jobcenter == ansvarligt_jobcenter)
    if myndighed is not None:
        stmt = stmt.where(myndighed_sql(j.c.ansvarligt_jobcenter) == myndighed)
    if cvr_nummer is not None:
        stmt = stmt.where(j.c.cvr_nummer == cvr_nummer)
    return stmt.where(jobordre_predikat(actor)), (j.c.id,)


# --- writes: formidlingOpret (R6.1-a), jobordreOpdater (R6.2-a) -------------------------------

JOBORDRE_FELTER = ("titel", "antal_stillinger", "status_id", "ansvarligt_jobcenter")


async def _synlig_jobordre(tx, actor, jobordre: Mapping[str, Any] | None) -> bool:
    """Whether the caller may see the job order it named (``kan_se_jobordre``; for a citizen, by
    its own referrals): one it may not is answered as one that does not exist."""
    if jobordre is None:
        return False
    egne: frozenset[int] = frozenset()
    if actor.rolle is Rolle.BORGER and actor.cpr:
        fm = t.Formidling.__table__
        henvist = await tx.first(select(fm.c.id).where(fm.c.cpr == actor.cpr, fm.c.jobordre_id == jobordre["id"]).limit(1))
        egne = frozenset({jobordre["id"]}) if henvist is not None else frozenset()
    return kan_se_jobordre(actor, jobordre, egne)


async def formidling_opret(ctx, *, jobordre_id: int | None, cpr: str, formidlingsstatustype_id: int,
                           idempotensnoegle: str | None = None) -> Udfald:
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        j = t.Jobordre.__table__
        # FOR SHARE: a concurrent status change (to 'Lukket') waits for this referral, or this for it.
        jobordre = None if jobordre_id is None else await tx.first(select(j).where(j.c.id == jobordre_id).with_for_update(read=True))
        if not await _synlig_jobordre(tx, actor, jobordre):
            raise Afvist([k.fejl(k.IKKE_FUNDET, "jobordreId", entitet="Jobordren")])
        await borger_til_skrivning(tx, actor, cpr, "formidlingOpret", "formidle borgeren til en jobordre")
        afvis_hvis(valider_formidling(jobordre=jobordre, formidlingsstatustype_id=formidlingsstatustype_id, koder=ctx.kodecache, idag=idag()))
        fm, b = t.Formidling.__table__, t.Borger.__table__
        # The citizen's row is the lock (FOR NO KEY UPDATE: rows referring to the citizen may still be
        # written): two referrals of the same citizen run one after the other, so the second sees the first.
        await tx.first(select(b.c.cpr).where(b.c.cpr == cpr).with_for_update(key_share=True))
        findes = await tx.first(select(fm.c.oprettet).where(fm.c.jobordre_id == jobordre["id"], fm.c.cpr == cpr).limit(1))
        if findes is not None:
            raise Afvist([formidling_findes_fejl(findes["oprettet"])])
        row = await tx.first(insert(fm).values(
            jobordre_id=jobordre["id"], cpr=cpr, formidlingsstatustype_id=formidlingsstatustype_id,
            oprettet_af=actor.myndighedskode or actor.subjekt,
        ).returning(fm))
        await skriv_historik(tx, actor, cpr=cpr, entitet="Formidling", entitet_id=row["id"], handling="oprettet", foer=None, efter=row)
        return Udfald("Formidling", row["id"], row)

    return await udfoer(ctx, "formidlingOpret", krop, idempotensnoegle=idempotensnoegle)


async def jobordre_opdater(ctx, *, jobordre_id: int | None, aendringer: Mapping[str, Any],
                           idempotensnoegle: str | None = None) -> Udfald:
    """Update a job order (R6.2-a: 66002 on one the caller can see; one it cannot see is not found).
    Its history entry carries no CPR number: a job order is no citizen's registration, so it stays
    out of every citizen's history but remains auditable."""
    actor = ctx.kraev_actor()
    aendringer = {felt: normaliser_tekst(v) if felt == "titel" else v for felt, v in aendringer.items() if felt in JOBORDRE_FELTER}

    async def krop(tx) -> Udfald:
        j, jc = t.Jobordre.__table__, t.Jobcenter.__table__
        foer = None if jobordre_id is None else await tx.first(select(j).where(j.c.id == jobordre_id).with_for_update())
        if not await _synlig_jobordre(tx, actor, foer):
            raise Afvist([k.fejl(k.IKKE_FUNDET, "id", entitet="Jobordren")])
        if not kan_skrive(actor, "jobordreOpdater", None, jobordre=foer):
            raise Afvist([k.fejl(k.INGEN_ADGANG, None, rolle=actor.rolle.value, handling="opdatere jobordren")])
        nyt = aendringer.get("ansvarligt_jobcenter")
        findes = nyt is not None and jobcenter_fejl(nyt) is None and (
            await tx.first(select(jc.c.nummer).where(jc.c.nummer == nyt))
        ) is not None
        afvis_hvis(valider_jobordre_opdatering(
            jobordre=foer, aendringer=aendringer, kalder_jobcenter=actor.myndighed if actor.rolle is Rolle.JOBCENTER else None,
            nyt_jobcenter_findes=findes, koder=ctx.kodecache, idag=idag(),
        ))
        if not aendringer:
            return Udfald("Jobordre", foer["id"], foer)
        efter = await opdater_med_historik(
            tx, actor, j, foer, {**aendringer, "opdateret": func.now()}, entitet="Jobordre", cpr=None,
        )
        return Udfald("Jobordre", efter["id"], efter)

    return await udfoer(ctx, "jobordreOpdater", krop, idempotensnoegle=idempotensnoegle)
