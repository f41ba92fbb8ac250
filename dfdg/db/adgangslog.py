"""The access log: who read which citizen's personal data, when, and through which field.

``adgangslog`` is append-only (a trigger of the first migration refuses UPDATE and DELETE). A
request's reads are collected in ``Context.laeste_cpr`` while it runs and written after it, in
one statement however many citizens it read — ``INSERT … SELECT … FROM unnest(…)`` — and not at
all when it read none.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

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
# The same statement for a raw asyncpg connection (prepared once per connection by asyncpg's
# statement cache).
SKRIV_RAA = (
    "INSERT INTO adgangslog (subjekt, rolle, myndighed, cpr, operation) "
    "SELECT $1::text, $2::text, $3::text, laest.cpr, laest.operation "
    "FROM unnest($4::text[], $5::text[]) AS laest(cpr, operation)"
)


async def skriv(db: Db, actor: Actor, laeste: Mapping[str, str], pulje: Any = None) -> int:
    """Append one row per citizen read (``laeste``: CPR number -> operation); one statement, in
    its own committed transaction. Returns the number of rows.

    ``pulje``: a raw asyncpg pool on the PRIMARY database; the statement then runs on one of its
    connections outside any transaction (autocommit), without SQLAlchemy's per-statement cost."""
    if not laeste:
        return 0
    if pulje is not None:
        started = time.perf_counter()
        try:
            async with pulje.acquire() as conn:
                await conn.execute(
                    SKRIV_RAA, actor.subjekt, actor.rolle.value, actor.myndighed, list(laeste), list(laeste.values()),
                )
        finally:
            db.statements += 1
            db.ms += (time.perf_counter() - started) * 1000
        return len(laeste)
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
