"""The calling system's own message queue (WSRM)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert, select

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


# What each message type must carry; a message missing any of these is set aside, not queued.
PAAKRAEVEDE_FELTER: dict[str, tuple[str, ...]] = {
    "FravaerOprettet": ("fravaerId", "cpr", "fravaerstype", "fra"),
    "FravaerOpdateret": ("fravaerId", "cpr", "fravaerstype", "fra"),
    "FravaerSlettet": ("fravaerId", "cpr", "fravaerstype", "fra"),
    "MedlemstilgangRegistreret": ("medlemskabId", "cpr", "akasseNummer", "indmeldt"),
    "IndsatsAfsluttet": ("indsatsId", "cpr", "startdato", "slutdato", "ophoersaarsag"),
}


def valider_besked(beskedtype: str, indhold: Mapping[str, Any]) -> str | None:
    """Why a message cannot be delivered, or None (R1.1-h: an empty text once made messages
    invalid and blocked the recipient's whole queue; here such a message is set aside)."""
    for felt in PAAKRAEVEDE_FELTER.get(beskedtype, ()):
        if indhold.get(felt) in (None, ""):
            return f"Feltet '{felt}' mangler i beskeden"
    for felt, value in indhold.items():
        if isinstance(value, str) and not value.strip():
            return f"Feltet '{felt}' er en tom tekst"
    return None


async def koe_besked(
    tx, *, modtagertype: str, modtager: str | None, beskedtype: str, cpr: str | None, indhold: Mapping[str, Any]
) -> None:
    """Queue a message in the caller's transaction (the outbox): it is sent if and only if the
    change commits. A message that fails validation is stored as set aside, with its reason."""
    if modtager is None:
        return
    fejlaarsag = valider_besked(beskedtype, indhold)
    await tx.all(
        insert(t.Webservicebesked.__table__).values(
            modtagertype=modtagertype, modtager=modtager, beskedtype=beskedtype, cpr=cpr, indhold=dict(indhold),
            status="tilsidesat" if fejlaarsag else "klar", fejlaarsag=fejlaarsag,
        )
    )
