"""The statements every mutation shares (dfdg.resolvers.mutation runs them in the mutation's
transaction): the history each registration keeps, the stored results of idempotency keys, and the
CPR number on a registration a payload shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy import Table, bindparam, func, insert, select, update

from dfdg.db import tables as t
from dfdg.db.engine import Transaction
from dfdg.db.oversaet import Forberedt
from dfdg.regler.aktoer import Actor

# The registrations history records, by ``historik.entitet`` (their GraphQL type names, as
# dfdg.regler.adgang.HISTORIKENS_RESSOURCER names them): (table, key column).
ENTITETER: dict[str, tuple[Table, str]] = {
    "Fravaer": (t.Fravaer.__table__, "id"), "Kontaktperson": (t.Kontaktperson.__table__, "id"),
    "Medlemskab": (t.Medlemskab.__table__, "id"), "Indsats": (t.Indsats.__table__, "id"),
    "JoblogPost": (t.Joblog.__table__, "id"), "Indkaldelse": (t.Indkaldelse.__table__, "id"),
    "Formidling": (t.Formidling.__table__, "id"), "Borger": (t.Borger.__table__, "cpr"),
    "Moedetilbud": (t.Moedetilbud.__table__, "id"), "Jobordre": (t.Jobordre.__table__, "id"),
}


def jsonable(row: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A row as plain JSON values, for history and messages."""
    if row is None:
        return None
    return orjson.loads(orjson.dumps(dict(row), default=str))


async def skriv_historik(
    tx: Transaction, actor: Actor, *, cpr: str | None, entitet: str, entitet_id: Any, handling: str,
    foer: Mapping[str, Any] | None, efter: Mapping[str, Any] | None,
) -> None:
    """Every registration keeps its history: who changed what, when, before and after."""
    await tx.all(HISTORIK, {
        "cpr": cpr, "entitet": entitet, "entitet_id": str(entitet_id), "handling": handling,
        "aktoer_rolle": actor.rolle.value, "aktoer_myndighed": actor.myndighed,
        "foer": jsonable(foer), "efter": jsonable(efter),
    })


HISTORIK = Forberedt(insert(t.Historik.__table__).values({
    kolonne: bindparam(kolonne)
    for kolonne in ("cpr", "entitet", "entitet_id", "handling", "aktoer_rolle", "aktoer_myndighed", "foer", "efter")
}))


async def opdater_med_historik(
    tx: Transaction, actor: Actor, foer: Mapping[str, Any], aendringer: Mapping[str, Any], *,
    entitet: str, cpr: str | None, handling: str = "opdateret",
) -> Mapping[str, Any]:
    """Update one registration of kind ``entitet`` (by its key) and write its history entry;
    returns the new row. A registration with an ``opdateret`` column gets the time of the change."""
    table, noegle = ENTITETER[entitet]
    if "opdateret" in table.c:
        aendringer = {**aendringer, "opdateret": func.now()}
    efter = await tx.first(update(table).where(table.c[noegle] == foer[noegle]).values(**aendringer).returning(table))
    await skriv_historik(tx, actor, cpr=cpr, entitet=entitet, entitet_id=foer[noegle], handling=handling, foer=foer,
                         efter=efter)
    return efter


async def registreringens_cpr(tx: Transaction, entitet: str, noegle: Any) -> str | None:
    """The CPR number on the registration of kind ``entitet`` with key ``noegle``; None when there
    is none, or the kind carries none (an offer, a job order)."""
    tabel = ENTITETER.get(entitet)
    if tabel is None or "cpr" not in tabel[0].c:
        return None
    tabel, kolonne = tabel
    row = await tx.first(select(tabel.c.cpr).where(tabel.c[kolonne] == noegle))
    return row["cpr"] if row is not None else None


async def laas_idempotensnoegle(tx: Transaction, aktoer: str, noegle: str) -> None:
    """Hold the actor's key until the transaction ends (a lock on no row: the result may not exist yet)."""
    await tx.all(select(func.pg_advisory_xact_lock(func.hashtextextended(f"{aktoer}\n{noegle}", 0))))


async def gemt_resultat(tx: Transaction, aktoer: str, noegle: str) -> Mapping[str, Any] | None:
    """The ``idempotens`` row of the actor's key: the operation and its stored result."""
    tabel = t.Idempotens.__table__
    return await tx.first(select(tabel).where(tabel.c.noegle == noegle, tabel.c.aktoer == aktoer))


async def gem_resultat(tx: Transaction, *, noegle: str, aktoer: str, operation: str, resultat: Any) -> None:
    await tx.all(
        insert(t.Idempotens.__table__).values(noegle=noegle, aktoer=aktoer, operation=operation, resultat=resultat)
    )
