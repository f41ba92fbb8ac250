"""Subscriptions over ``graphql-transport-ws`` (the ``graphql-ws`` client on npm).

``webservicebeskeder`` pushes every message queued as ready for the calling system — the same
queue as ``Query.webservicebeskeder`` (dfdg.regler.webservicebesked.modtager) — when the
transaction that queued it commits, whichever API process ran it: PostgreSQL NOTIFY (migration
0002) reaches the LISTEN connection of every process (dfdg.db.notify). The token goes in the
``connection_init`` payload: ``{"Authorization": "Bearer <token>"}``.

Each message is read from the queue's own statement when it is to be sent
(``beskeder_statement``): only while the subscriber may still see the message's citizen, as the
citizen's row is then (``kan_modtage_besked``; a citizen moved to another authority's jobcentre
is no longer delivered to the old one). Its read goes in the access log ('Subscription.webservicebeskeder')
and is committed before the message is sent (dfdg.http.wsadgang).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator

import strawberry
from graphql import GraphQLError

from dfdg.db.engine import Db
from dfdg.db.webservicebesked import nye_beskeder_statement
from dfdg.regler.webservicebesked import modtager
from dfdg.schema.base import Info
from dfdg.schema.erklaering import from_row
from dfdg.schema.webservicebesked import Webservicebesked


def _udloebet() -> GraphQLError:
    return GraphQLError(
        "Tokenet er udløbet, så abonnementet er afsluttet; opret det igen med et nyt token i connection_init.",
        extensions={"code": "UNAUTHENTICATED"},
    )


async def _foer_udloeb(actor, awaitable):
    """``awaitable``'s result, unless the caller's token expires first: a subscription outlives the
    request that opened it, but no message reaches a caller whose token has run out."""
    if actor.udloeber is None:
        return await awaitable
    try:
        async with asyncio.timeout(max(actor.udloeber - time.time(), 0)):
            return await awaitable
    except TimeoutError:
        raise _udloebet() from None


@strawberry.type
class Subscription:
    @strawberry.subscription(description=(
        "Nye webservicebeskeder (WSRM) i kalderens egen kø, hver gang en transaktion, der har lagt "
        "beskeder i køen, er committet. Tokenet sendes i connection_init: "
        "{\"Authorization\": \"Bearer <token>\"}. Kvittér som for forespørgslen webservicebeskeder."
    ))
    async def webservicebeskeder(self, info: Info) -> AsyncGenerator[Webservicebesked, None]:
        actor = info.context.actor
        if actor is None:  # (Fejlhaandtering does not see subscription events: the code is set here)
            raise GraphQLError(
                "Abonnementer kræver et gyldigt bearer-token i connection_init: {\"Authorization\": \"Bearer <token>\"}",
                extensions={"code": "UNAUTHENTICATED"},
            )
        maal = modtager(actor)
        if maal is None:
            raise GraphQLError(
                f"Rollen {actor.rolle.value} har ingen kø af webservicebeskeder (kun jobcenter og akasse)",
                extensions={"code": "FORBIDDEN"},
            )
        # The queue itself (ready, the caller's, and only what it may be handed now), by the notified ids.
        nye = nye_beskeder_statement(actor, maal)
        listener = info.context.notify
        if listener is None:
            raise RuntimeError("konteksten har ingen LISTEN-forbindelse (Context.notify): abonnementer kræver appens")
        await listener.start()  # listening before the subscription counts as open
        queue = listener.subscribe(maal)
        primary = Db(info.context.db.engine)  # not the replica: the row is brand new
        try:
            while True:
                ids = [await _foer_udloeb(actor, queue.get())]
                while not queue.empty():
                    ids.append(queue.get_nowait())
                rows = await primary.all(nye, {"ids": ids})
                for row in rows:
                    if actor.udloeber is not None and time.time() >= actor.udloeber:
                        raise _udloebet()
                    yield from_row(Webservicebesked, row)
        finally:
            listener.unsubscribe(maal, queue)
