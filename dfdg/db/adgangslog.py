"""The access log: who read which citizen's personal data, when, and through which field.

``adgangslog`` is append-only (a trigger of the first migration refuses UPDATE and DELETE). A
request's reads are collected in ``Context.laeste_cpr`` while it runs and written after it, in
one statement however many citizens it read — ``INSERT … SELECT … FROM unnest(…)`` — and not at
all when it read none. In the app, ``Samleskriver`` writes the rows of concurrent requests together
(group commit): still one committed statement before each response, but not one per request.
A mutation's rows are the exception: its own transaction writes them (``skriv_i``), so they commit
with its data or not at all (dfdg.resolvers.mutation.udfoer).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import RowMapping

from dfdg.db import frist as _frist
from dfdg.db import tables as t
from dfdg.db.engine import Db
from dfdg.db.frist import DatabaseUtilgaengelig, er_utilgaengelig
from dfdg.regler.aktoer import Actor

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
# Several requests' rows at once: each row carries its own request's actor.
SKRIV_SAMLET = (
    "INSERT INTO adgangslog (subjekt, rolle, myndighed, cpr, operation) "
    "SELECT laest.subjekt, laest.rolle, laest.myndighed, laest.cpr, laest.operation "
    "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) "
    "AS laest(subjekt, rolle, myndighed, cpr, operation)"
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
            frist = _frist.aktuel()
            async with pulje.acquire(frist.vent() if frist is not None else None) as conn:
                await conn.execute(
                    SKRIV_RAA, actor.subjekt, actor.rolle.value, actor.myndighed, list(laeste), list(laeste.values()),
                    timeout=_frist.saetning(),
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


async def skriv_i(tx: Any, actor: Actor, laeste: Mapping[str, str]) -> int:
    """``skriv`` inside a mutation's transaction (``tx``: its ``Transaction``): the rows commit, or
    roll back, with the mutation's own writes."""
    if not laeste:
        return 0
    await tx.fetch(SKRIV_RAA, [actor.subjekt, actor.rolle.value, actor.myndighed, list(laeste), list(laeste.values())])
    return len(laeste)


class AdgangslogFejl(Exception):
    """The statement that was to write this request's rows failed (``__cause__``: why)."""


def _for_sent(fremtid: asyncio.Future) -> None:
    if not fremtid.done():
        aarsag = DatabaseUtilgaengelig("databasen svarede ikke inden for tidsgrænsen")
        aarsag.__cause__ = TimeoutError()
        fejl = AdgangslogFejl("adgangsloggen blev ikke skrevet i tide")
        fejl.__cause__ = aarsag
        fremtid.set_exception(fejl)


def _afvis(parti: list[tuple[Actor, Mapping[str, str], asyncio.Future]], exc: BaseException) -> None:
    for _, _, fremtid in parti:
        if not fremtid.done():
            # One exception object per waiter: each raises it in its own task.
            fejl = AdgangslogFejl(f"adgangsloggen kunne ikke skrives: {type(exc).__name__}")
            fejl.__cause__ = exc
            fremtid.set_exception(fejl)


class Samleskriver:
    """Group commit of the access log on a raw asyncpg pool on the PRIMARY database.

    A request adds its rows and waits until they are committed. When no statement is running, one
    starts at once (the next iteration of the event loop) with every row waiting; while one runs,
    the rows of the requests that finish meanwhile wait for it and go together in the next. So an
    idle server writes as before, and a busy one writes one statement per round trip instead of
    one per request, on one connection instead of one per request. When a statement fails, every
    request in it gets the failure (and withholds its data); when it failed because the database is
    unreachable or stalled, so do the requests waiting for the next (they would wait again).

    Bounded (``dfdg.db.frist``): the statement by ``timeout`` (the pool's connection by the pool's
    own), and each request's wait by its budget. A request that stops waiting answers
    ``DATABASE_UNAVAILABLE`` and hands nothing out; its rows may still be written with the rest."""

    def __init__(self, pulje: Any, timeout: float | None = None) -> None:
        self.pulje = pulje
        self.timeout = timeout
        self._ventende: list[tuple[Actor, Mapping[str, str], asyncio.Future]] = []
        self._skriver: asyncio.Task | None = None
        self._lukket = False
        self.statements = 0  # statements run (each one request's rows or more)
        self.requests = 0  # requests whose rows they wrote or failed to

    @property
    def ventende(self) -> int:
        """Requests whose rows wait for the next statement."""
        return len(self._ventende)

    async def skriv(self, db: Db, actor: Actor, laeste: Mapping[str, str]) -> int:
        """As ``skriv``: the request's rows committed, one statement counted on its ``db``."""
        if not laeste:
            return 0
        if self._lukket:
            raise AdgangslogFejl("adgangsloggens skriver er lukket")
        started = time.perf_counter()
        fremtid = asyncio.get_running_loop().create_future()
        self._ventende.append((actor, laeste, fremtid))
        if self._skriver is None:
            self._skriver = asyncio.get_running_loop().create_task(self._skriv_alle())
        frist = _frist.aktuel()
        udloeb = None
        try:
            if frist is not None:
                # The request's budget bounds its wait: a timer that fails the request's own future
                # (the writer skips a future already done), cheaper per request than asyncio.timeout.
                udloeb = asyncio.get_running_loop().call_later(frist.rest(), _for_sent, fremtid)
            # A cancelled request cancels only its wait: its rows are still written with the rest.
            await fremtid
        finally:
            if udloeb is not None:
                udloeb.cancel()
            db.statements += 1
            db.ms += (time.perf_counter() - started) * 1000
        return len(laeste)

    async def _skriv_alle(self) -> None:
        _frist.FRIST.set(None)  # this task's own context: no request's budget, the writer's own bounds
        try:
            while self._ventende:
                parti, self._ventende = self._ventende, []
                try:
                    await self._indsaet(parti)
                except BaseException as exc:
                    _afvis(parti, exc)
                    if isinstance(exc, Exception) and er_utilgaengelig(exc):
                        parti, self._ventende = self._ventende, []
                        _afvis(parti, exc)
                    elif not isinstance(exc, Exception):
                        # Cancelled (the loop is shutting down): nobody waits for a writer that is gone.
                        parti, self._ventende = self._ventende, []
                        _afvis(parti, exc)
                        raise
                else:
                    for _, _, fremtid in parti:
                        if not fremtid.done():
                            fremtid.set_result(None)
        finally:
            self._skriver = None

    async def _indsaet(self, parti: list[tuple[Actor, Mapping[str, str], asyncio.Future]]) -> None:
        subjekter: list[str] = []
        roller: list[str] = []
        myndigheder: list[str | None] = []
        cprs: list[str] = []
        operationer: list[str] = []
        for actor, laeste, _ in parti:
            n = len(laeste)
            subjekter += [actor.subjekt] * n
            roller += [actor.rolle.value] * n
            myndigheder += [actor.myndighed] * n
            cprs += laeste
            operationer += laeste.values()
        self.statements += 1
        self.requests += len(parti)
        async with self.pulje.acquire() as conn:
            await conn.execute(SKRIV_SAMLET, subjekter, roller, myndigheder, cprs, operationer,
                               **({} if self.timeout is None else {"timeout": self.timeout}))

    async def luk(self) -> None:
        """Refuse new rows and wait until those already added are written (before the pool closes)."""
        self._lukket = True
        while (skriver := self._skriver) is not None:
            await asyncio.wait([skriver])


async def laes(db: Db, cpr: str, antal: int) -> Sequence[RowMapping]:
    """The citizen's newest ``antal`` entries, newest first."""
    a = t.Adgangslog.__table__
    return await db.all(
        select(a.c.tid, a.c.rolle, a.c.myndighed, a.c.operation)
        .where(a.c.cpr == cpr)
        .order_by(a.c.tid.desc(), a.c.id.desc())
        .limit(antal)
    )
