"""The access log: who read which citizen's personal data, when, and through which field.

``adgangslog`` is append-only (a trigger of the first migration refuses UPDATE and DELETE). A
request's reads are collected in ``Context.laeste_cpr`` while it runs and written after it, in
one statement however many citizens it read — ``INSERT … SELECT … FROM unnest(…)`` — and not at
all when it read none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select, text
from sqlalchemy.engine import RowMapping

from dfdg.auth import Actor
from dfdg.db import tables as t
from dfdg.db.engine import Db

SKRIV = text(
    "INSERT INTO adgangslog (subjekt, rolle, myndighed, cpr, operation) "
    "SELECT CAST(:subjekt AS text), CAST(:rolle AS text), CAST(:myndighed AS text), laest.cpr, laest.operation "
    "FROM unnest(CAST(:cpr AS text[]), CAST(:operation AS text[])) AS laest(cpr, operation)"
)


async def skriv(db: Db, actor: Actor, laeste: Mapping[str, str]) -> int:
    """Append one row per citizen read (``laeste``: CPR number -> operation); one statement, in
    its own committed transaction. Returns the number of rows."""
    if not laeste:
        return 0
    # One statement is its own transaction: autocommit saves the BEGIN and COMMIT round trips.
    async with db.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await db._run(conn, SKRIV, {
            "subjekt": actor.subjekt, "rolle": actor.rolle.value, "myndighed": actor.myndighed,
            "cpr": list(laeste), "operation": list(laeste.values()),
        })
    return len(laeste)


async def laes(db: Db, cpr: str, antal: int) -> Sequence[RowMapping]:
    """The citizen's newest ``antal`` entries, newest first."""
    a = t.Adgangslog.__table__
    return await db.all(
        select(a.c.tid, a.c.rolle, a.c.myndighed, a.c.operation)
        .where(a.c.cpr == cpr)
        .order_by(a.c.tid.desc(), a.c.id.desc())
        .limit(antal)
    )
