"""Job orders (section 6 of the release): queries, pure rules and the writes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select

from dfdg.auth import Rolle
from dfdg.context import DANMARK, idag
from dfdg.db import tables as t
from dfdg.db.kodecache import Kodecache
from dfdg.regler import fejlkoder as k
from dfdg.resolvers.adgang import kan_se_jobordre, kan_skrive
from dfdg.resolvers.borger import tekst, tekst_fejl
from dfdg.regler.fejlkoder import Fejl
from dfdg.regler.identer import jobcenter_fejl
from dfdg.resolvers.mutation import Afvist, Udfald, afvis_hvis, borger_til_skrivning, opdater_med_historik, skriv_historik, udfoer


def samme_myndighed(jobcenter_a: str, jobcenter_b: str) -> bool:
    """R6.2-a: only the first three digits of a jobcentre number are compared (22300 ~ 22301)."""
    return jobcenter_a[:3] == jobcenter_b[:3]


def jobordrer_statement(
    *,
    status: Sequence[int] | None = None,
    ansvarligt_jobcenter: str | None = None,
    myndighed: str | None = None,
    cvr_nummer: str | None = None,
):
    j = t.Jobordre.__table__
    stmt = select(j)
    if status:
        stmt = stmt.where(j.c.status_id.in_(list(status)))
    if ansvarligt_jobcenter is not None:
        stmt = stmt.where(j.c.ansvarligt_jobcenter == ansvarligt_jobcenter)
    if myndighed is not None:
        stmt = stmt.where(func.left(j.c.ansvarligt_jobcenter, 3) == myndighed)
    if cvr_nummer is not None:
        stmt = stmt.where(j.c.cvr_nummer == cvr_nummer)
    return stmt, (j.c.id,)


# --- writes: formidlingOpret (R6.1-a), jobordreOpdater (R6.2-a) -------------------------------

JOBORDRE_FELTER = ("titel", "antal_stillinger", "status_id", "ansvarligt_jobcenter")


def _kodenavn(kode) -> str:
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
    kode = koder.formidlingsstatustyper.get(formidlingsstatustype_id)
    if kode is None:
        fejl.append(k.fejl(k.UKENDT_KODE, "formidlingsstatustypeId", kodeliste="FormidlingsstatusType", kode=formidlingsstatustype_id))
    elif kode.udgaaet(idag):
        fejl.append(k.fejl(k.UDGAAET_KODE, "formidlingsstatustypeId", kodeliste="FormidlingsstatusType", kode=kode.id, navn=kode.navn))
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
        kode = None if status_id is None else koder.jobordrestatusser.get(status_id)
        if status_id is None:
            fejl.append(k.fejl(k.FELT_PAAKRAEVET, "statusId"))
        elif kode is None:
            fejl.append(k.fejl(k.UKENDT_KODE, "statusId", kodeliste="Jobordrestatus", kode=status_id))
        elif status_id != jobordre["status_id"] and kode.udgaaet(idag):
            fejl.append(k.fejl(k.UDGAAET_KODE, "statusId", kodeliste="Jobordrestatus", kode=kode.id, navn=kode.navn))
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
            raise Afvist([k.fejl(k.FORMIDLING_FINDES, "jobordreId", oprettet=findes["oprettet"].astimezone(DANMARK).strftime("%d-%m-%Y"))])
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
    aendringer = {felt: tekst(v) if felt == "titel" else v for felt, v in aendringer.items() if felt in JOBORDRE_FELTER}

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
