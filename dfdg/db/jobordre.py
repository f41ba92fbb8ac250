"""The job orders' statements: the list (jobordrer) and those of the writes dfdg.resolvers.jobordre
runs (referrals, job order updates)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert, select

from dfdg.db import tables as t
from dfdg.db.adgang import jobordre_predikat
from dfdg.db.engine import Transaction
from dfdg.db.regler import myndighed_sql
from dfdg.regler.aktoer import Actor

Row = Mapping[str, Any]


def jobordrer_statement(
    actor: Actor | None,
    *,
    status: Sequence[int] | None = None,
    ansvarligt_jobcenter: str | None = None,
    myndighed: str | None = None,
    cvr_nummer: str | None = None,
):
    """The job orders matching a filter that ``actor`` may see (``jobordre_predikat`` mirrors
    ``kan_se_jobordre``), and their unique order."""
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


async def laas_jobordre(tx: Transaction, jobordre_id: int, *, delt: bool = False) -> Row | None:
    """The job order, locked for the rest of the transaction (``delt``: FOR SHARE)."""
    j = t.Jobordre.__table__
    return await tx.first(select(j).where(j.c.id == jobordre_id).with_for_update(read=delt))


async def er_henvist(tx: Transaction, cpr: str, jobordre_id: int) -> bool:
    """Whether the citizen has been referred to the job order."""
    fm = t.Formidling.__table__
    henvist = await tx.first(select(fm.c.id).where(fm.c.cpr == cpr, fm.c.jobordre_id == jobordre_id).limit(1))
    return henvist is not None


async def laas_borger_for_formidling(tx: Transaction, cpr: str) -> None:
    """Lock the citizen's row FOR NO KEY UPDATE: rows referring to the citizen may still be written."""
    b = t.Borger.__table__
    await tx.first(select(b.c.cpr).where(b.c.cpr == cpr).with_for_update(key_share=True))


async def eksisterende_formidling(tx: Transaction, jobordre_id: int, cpr: str) -> Row | None:
    """The citizen's referral to the job order (its ``oprettet``), if there is one."""
    fm = t.Formidling.__table__
    return await tx.first(select(fm.c.oprettet).where(fm.c.jobordre_id == jobordre_id, fm.c.cpr == cpr).limit(1))


async def opret_formidling(tx: Transaction, *, jobordre_id: int, cpr: str, formidlingsstatustype_id: int,
                           oprettet_af: str) -> Row:
    fm = t.Formidling.__table__
    return await tx.first(insert(fm).values(
        jobordre_id=jobordre_id, cpr=cpr, formidlingsstatustype_id=formidlingsstatustype_id, oprettet_af=oprettet_af,
    ).returning(fm))
