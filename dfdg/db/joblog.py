"""The joblog's statements, which dfdg.resolvers.joblog runs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert, select

from dfdg.db import tables as t
from dfdg.db.engine import Transaction

Row = Mapping[str, Any]


async def opret_joblog(tx: Transaction, *, cpr: str, vaerdier: Mapping[str, Any]) -> Row:
    j = t.Joblog.__table__
    return await tx.first(insert(j).values(cpr=cpr, **vaerdier).returning(j))


async def laas_joblog(tx: Transaction, joblog_id: int) -> Row | None:
    """The joblog entry, locked for the rest of the transaction."""
    j = t.Joblog.__table__
    return await tx.first(select(j).where(j.c.id == joblog_id).with_for_update())
