"""How every mutation runs: one transaction, all-or-nothing, errors as data, idempotent.

A mutation body gets a ``Transaction``, loads the facts its rules need, calls the pure rule
functions (which return *all* errors at once) and writes only when there are none. Raising
``Afvist`` anywhere in the body (even after a write) rolls the whole transaction back, rows and
queued messages alike, and the caller gets the errors in ``fejl``.

The access-log rows of what the payload shows (the written registration's citizens, when the
payload selects it: ``Context.mutationssvar``) are written by the same transaction, last before
it commits; an idempotent repeat logs the stored result it shows the same way. So the answer and
the data agree: a failed log write rolls the mutation back (an error, nothing written), and
nothing is logged after the commit (dfdg.schema.adgang: the payload shows no other citizen).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import orjson
from sqlalchemy import Table, bindparam, func, insert, select, update

from dfdg.db import adgangslog
from dfdg.db import tables as t
from dfdg.db.adgang import borger_med_adgangsfakta
from dfdg.db.engine import Transaction
from dfdg.db.oversaet import Forberedt
from dfdg.regler import fejlkoder as k
from dfdg.regler.adgang import kan_finde, kan_skrive
from dfdg.regler.aktoer import Actor
from dfdg.regler.fejlkoder import Fejl
from dfdg.regler.identer import cpr_fejl


@dataclass
class Udfald:
    """What a mutation did: the entity it wrote (type name and key), extra payload data, errors."""

    entitet: str | None = None
    noegle: Any = None
    row: Mapping[str, Any] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    fejl: list[Fejl] = field(default_factory=list)
    # The citizens whose data the payload shows, where that is not the written row's ``cpr``
    # (e.g. the acknowledged messages of webservicebeskederKvitter).
    borgere: tuple[str, ...] | None = None

    def til_json(self) -> dict[str, Any]:
        json = {"entitet": self.entitet, "noegle": self.noegle, "data": self.data}
        if self.borgere is not None:
            json["borgere"] = list(self.borgere)
        return json

    @classmethod
    def fra_json(cls, value: Mapping[str, Any]) -> Udfald:
        borgere = value.get("borgere")
        return cls(entitet=value["entitet"], noegle=value["noegle"], data=dict(value.get("data") or {}),
                   borgere=None if borgere is None else tuple(borgere))


class Afvist(Exception):
    """Roll back and answer with these errors."""

    def __init__(self, fejl: Sequence[Fejl]) -> None:
        super().__init__(", ".join(str(f.kode) for f in fejl))
        self.fejl = list(fejl)


def afvis_hvis(fejl: Sequence[Fejl]) -> None:
    if fejl:
        raise Afvist(fejl)


Krop = Callable[[Transaction], Awaitable[Udfald]]


async def udfoer(ctx, operation: str, krop: Krop, *, idempotensnoegle: str | None = None) -> Udfald:
    """Run ``krop`` in one transaction. With an idempotency key, a repeat by the same actor
    returns the first result and writes nothing but the access-log rows of what it shows."""
    actor: Actor = ctx.kraev_actor()
    try:
        async with ctx.db.transaction() as tx:
            udfald = await _tidligere_udfald(tx, actor, operation, idempotensnoegle) if idempotensnoegle else None
            if udfald is None:
                udfald = await krop(tx)
                afvis_hvis(udfald.fejl)
                if idempotensnoegle:
                    await tx.all(
                        insert(t.Idempotens.__table__).values(
                            noegle=idempotensnoegle, aktoer=actor.subjekt, operation=operation, resultat=udfald.til_json()
                        )
                    )
            logget = await _log_svaret(ctx, tx, actor, udfald)
    except Afvist as afvist:
        return Udfald(fejl=afvist.fejl)
    # Committed: the payload may show these citizens, and their rows are not written again.
    ctx.laeste_cpr.update(logget)
    ctx.loggede_cpr.update(logget)
    return udfald


async def _log_svaret(ctx, tx: Transaction, actor: Actor, udfald: Udfald) -> dict[str, str]:
    """Write, in the mutation's transaction, the access-log rows of the citizens whose data the
    payload shows (none when it does not select the registration)."""
    svar = getattr(ctx, "mutationssvar", None)
    if svar is None or not svar.viser:
        return {}
    logget = {cpr: svar.operation for cpr in await _svarets_borgere(tx, udfald) if cpr not in ctx.laeste_cpr}
    await adgangslog.skriv_i(tx, actor, logget)
    return logget


# The written registration's table by ``Udfald.entitet``, for a repeat's stored result (which
# keeps the key, not the row): (table, key column).
def _entiteter() -> dict[str, tuple[Table, str]]:
    return {
        "Fravaer": (t.Fravaer.__table__, "id"), "Kontaktperson": (t.Kontaktperson.__table__, "id"),
        "Medlemskab": (t.Medlemskab.__table__, "id"), "Indsats": (t.Indsats.__table__, "id"),
        "JoblogPost": (t.Joblog.__table__, "id"), "Indkaldelse": (t.Indkaldelse.__table__, "id"),
        "Formidling": (t.Formidling.__table__, "id"), "Borger": (t.Borger.__table__, "cpr"),
    }


async def _svarets_borgere(tx: Transaction, udfald: Udfald) -> list[str]:
    """The CPR numbers of the citizens whose data the payload of ``udfald`` shows."""
    if udfald.fejl:
        return []
    if udfald.borgere is not None:
        return list(udfald.borgere)
    if udfald.row is not None:
        cpr = udfald.row.get("cpr")
        return [cpr] if cpr else []
    tabel = _entiteter().get(udfald.entitet or "")
    if tabel is None or udfald.noegle is None:
        return []
    tabel, noegle = tabel
    row = await tx.first(select(tabel.c.cpr).where(tabel.c[noegle] == udfald.noegle))
    return [row["cpr"]] if row is not None and row["cpr"] else []


async def _tidligere_udfald(tx: Transaction, actor: Actor, operation: str, noegle: str) -> Udfald | None:
    # Serialise concurrent requests with the same key, so exactly one of them writes.
    await tx.all(select(func.pg_advisory_xact_lock(func.hashtextextended(f"{actor.subjekt}\n{noegle}", 0))))
    tabel = t.Idempotens.__table__
    row = await tx.first(select(tabel).where(tabel.c.noegle == noegle, tabel.c.aktoer == actor.subjekt))
    if row is None:
        return None
    if row["operation"] != operation:
        raise Afvist([k.fejl(k.IDEMPOTENSNOEGLE_GENBRUGT, "idempotensnoegle", operation=row["operation"])])
    return Udfald.fra_json(row["resultat"])


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


@cache
def _borger_til_skrivning() -> Forberedt:
    return Forberedt(borger_med_adgangsfakta().where(t.Borger.__table__.c.cpr == bindparam("cpr")))


async def borger_til_skrivning(
    tx: Transaction, actor: Actor, cpr: str, handling: str, beskrivelse: str, *,
    felt: str = "cpr", entitet: str = "Borgeren", ressource: str | None = None, egen: bool = False, **fakta: Any,
) -> Mapping[str, Any]:
    """The citizen row a write concerns, or ``Afvist``: a malformed CPR, a citizen that does not
    exist for this write (reported as not found, so CPR numbers cannot be probed: ``entitet``
    names what the caller asked for), or a write the caller's role may not make (``handling``, the
    mutation's name; ``beskrivelse`` says it in Danish). A write that names a registration of the
    citizen gives its kind, ``ressource`` (and ``egen``: the caller created it): one the caller does
    not read is not found either (``kan_finde``). ``fakta`` are the facts the matrix's conditions
    name (dfdg.regler.adgang, e.g. ``ophoersaarsag_id=14``)."""
    if (problem := cpr_fejl(cpr)) is not None:
        raise Afvist([k.fejl(k.UGYLDIGT_CPR, felt, besked=problem)])
    b = t.Borger.__table__
    borger = await tx.first(_borger_til_skrivning(), {"cpr": cpr})
    if borger is None or not kan_finde(actor, handling, borger, ressource, egen=egen):
        raise Afvist([k.fejl(k.IKKE_FUNDET, felt, entitet=entitet)])
    if not kan_skrive(actor, handling, borger, **fakta):
        raise Afvist([k.fejl(k.INGEN_ADGANG, None, rolle=actor.rolle.value, handling=beskrivelse)])
    return {kolonne: borger[kolonne] for kolonne in b.c.keys()}  # noqa: SIM118 - a ColumnCollection iterates columns; the row, without the visibility facts


async def opdater_med_historik(
    tx: Transaction, actor: Actor, table: Table, foer: Mapping[str, Any], aendringer: Mapping[str, Any], *,
    entitet: str, cpr: str | None, handling: str = "opdateret", noegle: str = "id",
) -> Mapping[str, Any]:
    """Update one row (by its key ``noegle``) and write its history entry; returns the new row."""
    efter = await tx.first(update(table).where(table.c[noegle] == foer[noegle]).values(**aendringer).returning(table))
    await skriv_historik(tx, actor, cpr=cpr, entitet=entitet, entitet_id=foer[noegle], handling=handling, foer=foer, efter=efter)
    return efter
