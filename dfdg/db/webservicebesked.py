"""The message queue's statements (WSRM): a caller's queue (the query and the subscription read
it), queueing in the writing transaction (the outbox), and acknowledging (kvittering)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import BigInteger, any_, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY

from dfdg.db import tables as t
from dfdg.db.adgang import besked_predikat
from dfdg.db.engine import Db, Transaction
from dfdg.db.oversaet import Forberedt
from dfdg.regler.aktoer import Actor

Row = Mapping[str, Any]
# A queue: (modtagertype, modtager), as dfdg.regler.webservicebesked.modtager names the caller's.
Koe = tuple[str, str]


def beskeder_statement(actor: Actor, koe: Koe):
    """The queue ``koe``'s ready messages that ``actor`` may be handed now (``kan_modtage_besked``),
    and their unique order."""
    w = t.Webservicebesked.__table__
    stmt = select(w).where(w.c.modtagertype == koe[0], w.c.modtager == koe[1], w.c.status == "klar",
                           besked_predikat(actor, w))
    return stmt, (w.c.id,)


def nye_beskeder_statement(actor: Actor, koe: Koe):
    """``beskeder_statement``'s messages among the notified ones (the parameter ``ids``), in
    number order."""
    w = t.Webservicebesked.__table__
    stmt, _ = beskeder_statement(actor, koe)
    return stmt.where(w.c.id == any_(bindparam("ids", type_=ARRAY(BigInteger)))).order_by(w.c.id)


async def indsaet_besked(tx: Transaction, *, modtagertype: str, modtager: str, beskedtype: str, cpr: str | None,
                         indhold: Mapping[str, Any], status: str, fejlaarsag: str | None) -> None:
    await tx.all(_KOE, {
        "modtagertype": modtagertype, "modtager": modtager, "beskedtype": beskedtype, "cpr": cpr,
        "indhold": dict(indhold), "status": status, "fejlaarsag": fejlaarsag,
    })


_KOE = Forberedt(insert(t.Webservicebesked.__table__).values({
    kolonne: bindparam(kolonne)
    for kolonne in ("modtagertype", "modtager", "beskedtype", "cpr", "indhold", "status", "fejlaarsag")
}))


async def kvitterbare_beskeder(db: Db | Transaction, actor: Actor, koe: Koe, loebenumre: Sequence[int], *,
                               laas: bool = False) -> Sequence[Row]:
    """The messages of the queue ``koe`` among ``loebenumre`` that ``actor`` can acknowledge
    (fetched or acknowledged; a message set aside was never in the queue, and one it may not be
    handed now, ``kan_modtage_besked``, is not in it while that lasts), in number order; ``laas``:
    locked for the rest of the transaction."""
    w = t.Webservicebesked.__table__
    stmt = select(w).where(
        w.c.id.in_(list(loebenumre)), w.c.modtagertype == koe[0], w.c.modtager == koe[1],
        w.c.status.in_(("klar", "kvitteret")), besked_predikat(actor, w),
    ).order_by(w.c.id)
    return await db.all(stmt.with_for_update() if laas else stmt)


async def kvitter_beskeder(tx: Transaction, loebenumre: Sequence[int]) -> None:
    """Mark the messages acknowledged, now."""
    w = t.Webservicebesked.__table__
    await tx.all(update(w).where(w.c.id.in_(loebenumre)).values(status="kvitteret", kvitteret=func.now()))
