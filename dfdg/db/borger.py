"""The citizens' statements: the list (borgere, cvSoegning), the citizen a write concerns, and the
writes on the citizen's own registrations (contact persons, memberships, activities), which
dfdg.resolvers.borger runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import bindparam, insert, select

from dfdg.db import tables as t
from dfdg.db.adgang import adgangsfakta_kolonner, borger_med_adgangsfakta, borger_predikat
from dfdg.db.engine import Transaction
from dfdg.db.oversaet import Forberedt
from dfdg.db.regler import mindre_intensiv_indsats_sql, myndighed_sql
from dfdg.regler.aktoer import Actor

Row = Mapping[str, Any]


def borgere_statement(
    actor: Actor | None,
    *,
    jobcenter: str | None = None,
    myndighed: str | None = None,
    kontaktgruppe: int | None = None,
    akasse: str | None = None,
    moedeform_maalgruppe: bool | None = None,
    mindre_intensiv_indsats: bool | None = None,
    dato: date | None = None,
):
    """The citizens matching a filter (borgere, cvSoegning) that ``actor`` may see, and their
    unique order. Visibility is filtered here, in SQL (``borger_predikat`` mirrors
    ``kan_se_borger``), so pages are full and counts right; the rows carry the visibility facts."""
    b = t.Borger.__table__
    stmt = select(b, *adgangsfakta_kolonner(b)).where(borger_predikat(actor, b))
    if jobcenter is not None:
        stmt = stmt.where(b.c.jobcenter_nummer == jobcenter)
    if myndighed is not None:
        stmt = stmt.where(myndighed_sql(b.c.jobcenter_nummer) == myndighed)
    if kontaktgruppe is not None:
        stmt = stmt.where(b.c.kontaktgruppe_id == kontaktgruppe)
    if akasse is not None:
        stmt = stmt.where(b.c.akasse_nummer == akasse)
    if moedeform_maalgruppe is not None:
        stmt = stmt.where(b.c.moedeform_maalgruppe == moedeform_maalgruppe)
    if mindre_intensiv_indsats is not None:
        daekket = mindre_intensiv_indsats_sql(b.c.cpr, dato)
        stmt = stmt.where(daekket if mindre_intensiv_indsats else ~daekket)
    return stmt, (b.c.cpr,)


# --- the citizen a write concerns --------------------------------------------------------------

@cache
def _med_adgangsfakta() -> Forberedt:
    return Forberedt(borger_med_adgangsfakta().where(t.Borger.__table__.c.cpr == bindparam("cpr")))


async def borger_med_adgangsfakta_i(tx: Transaction, cpr: str) -> Row | None:
    """The citizen's row with the facts visibility needs (dfdg.db.adgang), as the reads have it."""
    return await tx.first(_med_adgangsfakta(), {"cpr": cpr})


def uden_adgangsfakta(borger: Row) -> dict[str, Any]:
    """The citizen's row of ``borger_med_adgangsfakta_i``, without the visibility facts."""
    return {kolonne: borger[kolonne] for kolonne in t.Borger.__table__.c.keys()}  # noqa: SIM118 - a ColumnCollection iterates columns, not names


async def laas_borger(tx: Transaction, cpr: str) -> Row | None:
    """The citizen's row, locked for the rest of the transaction."""
    b = t.Borger.__table__
    return await tx.first(select(b).where(b.c.cpr == cpr).with_for_update())


async def jobcenter_findes(tx: Transaction, nummer: str) -> bool:
    j = t.Jobcenter.__table__
    return await tx.first(select(j.c.nummer).where(j.c.nummer == nummer)) is not None


async def akasse_findes(tx: Transaction, nummer: str | None) -> bool:
    a = t.Akasse.__table__
    return await tx.first(select(a.c.nummer).where(a.c.nummer == nummer)) is not None


# --- kontaktperson ---------------------------------------------------------------------------

async def opret_kontaktperson(tx: Transaction, *, cpr: str, oprettet_af: str, oprettet_af_rolle: str,
                              vaerdier: Mapping[str, Any]) -> Row:
    kp = t.Kontaktperson.__table__
    return await tx.first(insert(kp).values(
        cpr=cpr, oprettet_af=oprettet_af, oprettet_af_rolle=oprettet_af_rolle, **vaerdier,
    ).returning(kp))


async def laas_kontaktperson(tx: Transaction, kontaktperson_id: int) -> Row | None:
    """The contact person, locked for the rest of the transaction."""
    kp = t.Kontaktperson.__table__
    return await tx.first(select(kp).where(kp.c.id == kontaktperson_id).with_for_update())


# --- medlemskab ------------------------------------------------------------------------------

async def borgerens_medlemskaber(tx: Transaction, cpr: str) -> Sequence[Row]:
    """Every membership of the citizen's, past and present."""
    m = t.Medlemskab.__table__
    return list(await tx.all(select(m).where(m.c.cpr == cpr)))


async def opret_medlemskab(tx: Transaction, *, cpr: str, akasse_nummer: str | None, indmeldt: date,
                           dagpengeretsdato: date | None) -> Row:
    m = t.Medlemskab.__table__
    return await tx.first(insert(m).values(
        cpr=cpr, akasse_nummer=akasse_nummer, indmeldt=indmeldt, dagpengeretsdato=dagpengeretsdato,
    ).returning(m))


# --- indsatser -------------------------------------------------------------------------------

async def opret_indsats(tx: Transaction, *, cpr: str, betegnelse: str | None, startdato: date,
                        slutdato: date | None) -> Row:
    i = t.Indsats.__table__
    return await tx.first(
        insert(i).values(cpr=cpr, betegnelse=betegnelse, startdato=startdato, slutdato=slutdato).returning(i)
    )


async def laas_indsats(tx: Transaction, indsats_id: int) -> Row | None:
    """The activity, locked for the rest of the transaction."""
    i = t.Indsats.__table__
    return await tx.first(select(i).where(i.c.id == indsats_id).with_for_update())
