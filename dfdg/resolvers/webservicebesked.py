"""The calling system's own message queue (WSRM): queueing in the writing transaction (the
outbox), fetching, and acknowledging (kvittering)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import any_, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import BigInteger

from dfdg.db import tables as t
from dfdg.db.adgang import besked_predikat
from dfdg.db.oversaet import Forberedt
from dfdg.regler import fejlkoder as k
from dfdg.regler.adgang import kan_skrive
from dfdg.regler.aktoer import Actor
from dfdg.regler.webservicebesked import (
    MAKS_KVITTERINGER,
    modtager,
    valider_besked,
    valider_kvittering,
)
from dfdg.resolvers.mutation import Afvist, Udfald, afvis_hvis, udfoer


def beskeder_statement(actor: Actor):
    """The caller's queue: ready messages it may be handed now (``kan_modtage_besked``); the query
    and the subscription both read it through this."""
    w = t.Webservicebesked.__table__
    maal = modtager(actor)
    if maal is None:
        return None, (w.c.id,)
    stmt = select(w).where(w.c.modtagertype == maal[0], w.c.modtager == maal[1], w.c.status == "klar",
                           besked_predikat(actor, w))
    return stmt, (w.c.id,)


def nye_beskeder_statement(actor: Actor):
    """The caller's queue (``beskeder_statement``) among the notified ids (``:ids``), oldest first:
    what the subscription reads each time it is woken. None for a role without a queue."""
    koen, _ = beskeder_statement(actor)
    if koen is None:
        return None
    w = t.Webservicebesked.__table__
    return koen.where(w.c.id == any_(bindparam("ids", type_=ARRAY(BigInteger)))).order_by(w.c.id)


async def koe_besked(
    tx, *, modtagertype: str, modtager: str | None, beskedtype: str, cpr: str | None, indhold: Mapping[str, Any]
) -> None:
    """Queue a message in the caller's transaction (the outbox): it is sent if and only if the
    change commits. A message that fails validation is stored as set aside, with its reason."""
    if modtager is None:
        return
    fejlaarsag = valider_besked(beskedtype, indhold)
    await tx.all(_KOE, {
        "modtagertype": modtagertype, "modtager": modtager, "beskedtype": beskedtype, "cpr": cpr,
        "indhold": dict(indhold), "status": "tilsidesat" if fejlaarsag else "klar", "fejlaarsag": fejlaarsag,
    })


_KOE = Forberedt(insert(t.Webservicebesked.__table__).values({
    kolonne: bindparam(kolonne)
    for kolonne in ("modtagertype", "modtager", "beskedtype", "cpr", "indhold", "status", "fejlaarsag")
}))


# --- webservicebeskederKvitter: the caller acknowledges fetched messages ---------------------

def _egne(actor: Actor, loebenumre: Sequence[int]):
    """The caller's own messages among ``loebenumre`` that it can acknowledge (fetched or
    acknowledged; a message set aside was never in the queue, and one it may not be handed now,
    ``kan_modtage_besked``, is not in it while that lasts)."""
    w = t.Webservicebesked.__table__
    maal = modtager(actor)
    if maal is None:
        return None
    return select(w).where(
        w.c.id.in_(list(loebenumre)), w.c.modtagertype == maal[0], w.c.modtager == maal[1],
        w.c.status.in_(("klar", "kvitteret")), besked_predikat(actor, w),
    ).order_by(w.c.id)


async def webservicebeskeder_kvitter(ctx, *, loebenumre: Sequence[int], idempotensnoegle: str | None = None) -> Udfald:
    """All or nothing: the listed messages of the caller's queue get status 'kvitteret' and the
    time, and no longer appear in ``webservicebeskeder``. Not a registration of any citizen, so
    no history entry: the message row itself keeps when it was acknowledged."""
    actor = ctx.kraev_actor()
    unikke = list(dict.fromkeys(loebenumre))

    async def krop(tx) -> Udfald:
        if not kan_skrive(actor, "webservicebeskederKvitter", None):
            raise Afvist([k.fejl(k.INGEN_ADGANG, None, rolle=actor.rolle.value, handling="kvittere for webservicebeskeder")])
        if len(unikke) > MAKS_KVITTERINGER:
            afvis_hvis(valider_kvittering(unikke, ()))
        stmt = _egne(actor, unikke)
        rows = [] if stmt is None or not unikke else await tx.all(stmt.with_for_update())
        afvis_hvis(valider_kvittering(loebenumre, {r["id"] for r in rows}))
        klar = [r["id"] for r in rows if r["status"] == "klar"]
        if klar:
            w = t.Webservicebesked.__table__
            await tx.all(update(w).where(w.c.id.in_(klar)).values(status="kvitteret", kvitteret=func.now()))
        # The payload shows these messages: their citizens' access-log rows go with this transaction.
        return Udfald(data={"loebenumre": unikke}, borgere=tuple(sorted({r["cpr"] for r in rows if r["cpr"]})))

    return await udfoer(ctx, "webservicebeskederKvitter", krop, idempotensnoegle=idempotensnoegle)


async def egne_beskeder(ctx, loebenumre: Sequence[int]) -> list[Mapping[str, Any]]:
    """The caller's own messages with these numbers, in number order (a kvittering's result)."""
    stmt = _egne(ctx.kraev_actor(), loebenumre)
    return [] if stmt is None or not loebenumre else list(await ctx.db.all(stmt))
