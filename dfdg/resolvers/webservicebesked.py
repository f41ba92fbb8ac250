"""The calling system's own message queue (WSRM)."""

from __future__ import annotations

from sqlalchemy import select

from dfdg.auth import Actor, Rolle
from dfdg.db import tables as t

MODTAGERTYPE = {Rolle.AKASSE: "akasse", Rolle.JOBCENTER: "jobcenter"}


def modtager(actor: Actor) -> tuple[str, str] | None:
    """(modtagertype, modtager) of the caller's queue; None for actors that have none.
    A jobcentre's queue is its authority's (first three digits), as R6.2-a counts authorities."""
    modtagertype = MODTAGERTYPE.get(actor.rolle)
    if modtagertype is None or actor.myndighed is None:
        return None
    return modtagertype, actor.myndighedskode


def beskeder_statement(actor: Actor):
    w = t.Webservicebesked.__table__
    maal = modtager(actor)
    if maal is None:
        return None, (w.c.id,)
    stmt = select(w).where(w.c.modtagertype == maal[0], w.c.modtager == maal[1], w.c.status == "klar")
    return stmt, (w.c.id,)
