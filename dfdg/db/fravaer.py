"""The absences' statements, which dfdg.resolvers.fravaer runs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, insert, select

from dfdg.db import tables as t
from dfdg.db.engine import Transaction
from dfdg.db.oversaet import Forberedt

Row = Mapping[str, Any]


async def opret_fravaer(tx: Transaction, *, cpr: str, fravaerstype_id: int, fra: date, til: date | None,
                        registreret_af: str) -> Row:
    return await tx.first(_OPRET, {
        "cpr": cpr, "fravaerstype_id": fravaerstype_id, "fra": fra, "til": til, "registreret_af": registreret_af,
    })


_OPRET = Forberedt(insert(t.Fravaer.__table__).values({
    kolonne: bindparam(kolonne) for kolonne in ("cpr", "fravaerstype_id", "fra", "til", "registreret_af")
}).returning(t.Fravaer.__table__))


async def laas_fravaer(tx: Transaction, fravaer_id: int) -> Row | None:
    """The absence, locked for the rest of the transaction."""
    f = t.Fravaer.__table__
    return await tx.first(select(f).where(f.c.id == fravaer_id).with_for_update())


async def slet_fravaer(tx: Transaction, fravaer_id: int) -> None:
    f = t.Fravaer.__table__
    await tx.all(delete(f).where(f.c.id == fravaer_id))
