"""The calling system's own message queue (WSRM): queueing in the writing transaction (the
outbox), and acknowledging (kvittering)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dfdg.db.webservicebesked import indsaet_besked, kvitter_beskeder, kvitterbare_beskeder
from dfdg.regler import fejlkoder as k
from dfdg.regler.adgang import kan_skrive
from dfdg.regler.webservicebesked import (
    MAKS_KVITTERINGER,
    modtager,
    valider_besked,
    valider_kvittering,
)
from dfdg.resolvers.mutation import Afvist, Udfald, afvis_hvis, udfoer


async def koe_besked(
    tx, *, modtagertype: str, modtager: str | None, beskedtype: str, cpr: str | None, indhold: Mapping[str, Any]
) -> None:
    """Queue a message in the caller's transaction (the outbox): it is sent if and only if the
    change commits. A message that fails validation is stored as set aside, with its reason."""
    if modtager is None:
        return
    fejlaarsag = valider_besked(beskedtype, indhold)
    await indsaet_besked(tx, modtagertype=modtagertype, modtager=modtager, beskedtype=beskedtype, cpr=cpr,
                         indhold=indhold, status="tilsidesat" if fejlaarsag else "klar", fejlaarsag=fejlaarsag)


# --- webservicebeskederKvitter: the caller acknowledges fetched messages ---------------------

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
        koe = modtager(actor)
        rows = [] if koe is None or not unikke else await kvitterbare_beskeder(tx, actor, koe, unikke, laas=True)
        afvis_hvis(valider_kvittering(loebenumre, {r["id"] for r in rows}))
        klar = [r["id"] for r in rows if r["status"] == "klar"]
        if klar:
            await kvitter_beskeder(tx, klar)
        # The payload shows these messages: their citizens' access-log rows go with this transaction.
        return Udfald(data={"loebenumre": unikke}, borgere=tuple(sorted({r["cpr"] for r in rows if r["cpr"]})))

    return await udfoer(ctx, "webservicebeskederKvitter", krop, idempotensnoegle=idempotensnoegle)


async def egne_beskeder(ctx, loebenumre: Sequence[int]) -> list[Mapping[str, Any]]:
    """The caller's own messages with these numbers, in number order (a kvittering's result)."""
    actor = ctx.kraev_actor()
    koe = modtager(actor)
    return [] if koe is None or not loebenumre else list(await kvitterbare_beskeder(ctx.db, actor, koe, loebenumre))
