"""The meetings' statements: the offers' list (moedetilbud) and those of the writes
dfdg.resolvers.indkaldelse runs (offers, bookings and their seats, summons)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from dfdg.db import tables as t
from dfdg.db.engine import Transaction

Row = Mapping[str, Any]


def moedetilbud_statement(*, jobcenter: str, fra: datetime | None, til: datetime | None):
    """The planner's offers of one jobcentre in a period, in time order."""
    m = t.Moedetilbud.__table__
    stmt = select(m).where(m.c.jobcenter_nummer == jobcenter)
    if fra is not None:
        stmt = stmt.where(m.c.starttid >= fra)
    if til is not None:
        stmt = stmt.where(m.c.starttid < til)
    return stmt, (m.c.starttid, m.c.id)


# --- offers and their seats --------------------------------------------------------------------

async def moedetilbud(tx: Transaction, tilbud_id: int) -> Row | None:
    m = t.Moedetilbud.__table__
    return await tx.first(select(m).where(m.c.id == tilbud_id))


async def laas_moedetilbud(tx: Transaction, tilbud_id: int) -> Row | None:
    """The offer, locked for the rest of the transaction."""
    m = t.Moedetilbud.__table__
    return await tx.first(select(m).where(m.c.id == tilbud_id).with_for_update())


async def opret_moedetilbud(tx: Transaction, vaerdier: Mapping[str, Any]) -> Row:
    m = t.Moedetilbud.__table__
    return await tx.first(insert(m).values(**vaerdier).returning(m))


async def book_plads(tx: Transaction, tilbud_id: int) -> Row | None:
    """Count one more booking on the offer, unless it is full (None): in the database, so never more
    bookings than capacity. Returns the offer as it is then."""
    m = t.Moedetilbud.__table__
    return await tx.first(
        update(m).where(m.c.id == tilbud_id, m.c.antal_booket < m.c.kapacitet)
        .values(antal_booket=m.c.antal_booket + 1).returning(m)
    )


async def frigiv_plads(tx: Transaction, tilbud_id: int) -> Row:
    """Count one booking fewer on the offer; returns the offer as it is then."""
    m = t.Moedetilbud.__table__
    return await tx.first(update(m).where(m.c.id == tilbud_id).values(antal_booket=m.c.antal_booket - 1).returning(m))


# --- summons ---------------------------------------------------------------------------------

async def opret_indkaldelse(tx: Transaction, vaerdier: Mapping[str, Any]) -> Row:
    i = t.Indkaldelse.__table__
    return await tx.first(insert(i).values(**vaerdier).returning(i))


async def laas_indkaldelse(tx: Transaction, indkaldelse_id: int) -> Row | None:
    """The summons, locked for the rest of the transaction."""
    i = t.Indkaldelse.__table__
    return await tx.first(select(i).where(i.c.id == indkaldelse_id).with_for_update())


async def indkaldelsens_moedetilbud(tx: Transaction, indkaldelse_id: int) -> int | None:
    """The id of the offer the summons was booked on (None: none, or no such summons)."""
    i = t.Indkaldelse.__table__
    return (await tx.first(select(i.c.moedetilbud_id).where(i.c.id == indkaldelse_id)) or {}).get("moedetilbud_id")


async def har_booking(tx: Transaction, tilbud_id: int, cpr: str, *, status: str) -> bool:
    """Whether the citizen has a summons with ``status`` booked on the offer."""
    i = t.Indkaldelse.__table__
    return await tx.first(select(i.c.id).where(
        i.c.moedetilbud_id == tilbud_id, i.c.cpr == cpr, i.c.status == status,
    ).limit(1)) is not None


async def laas_bookinger(tx: Transaction, tilbud_id: int, *, status: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The summonses with ``status`` booked on the offer, locked, in id order: each with the facts
    of its citizen that its messages need (jobcentre, contact group, a-kasse)."""
    i, b = t.Indkaldelse.__table__, t.Borger.__table__
    rows = await tx.all(
        select(i, b.c.jobcenter_nummer.label("borger_jobcenter"), b.c.kontaktgruppe_id, b.c.akasse_nummer)
        .join(b, b.c.cpr == i.c.cpr)
        .where(i.c.moedetilbud_id == tilbud_id, i.c.status == status).order_by(i.c.id).with_for_update(of=i)
    )
    return [
        ({c.name: row[c.name] for c in i.columns},
         {"jobcenter_nummer": row["borger_jobcenter"], "kontaktgruppe_id": row["kontaktgruppe_id"],
          "akasse_nummer": row["akasse_nummer"]})
        for row in rows
    ]
