"""The absence mutations (fravaerOpret, fravaerOpdater, fravaerSlet); their rules are
dfdg.regler.fravaer's."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select

from dfdg.context import idag
from dfdg.db import tables as t
from dfdg.db.oversaet import Forberedt
from dfdg.regler import fejlkoder as k
from dfdg.regler.fravaer import fravaer_besked, fravaer_modtagere, valider_fravaer
from dfdg.resolvers.mutation import (
    Afvist,
    Udfald,
    afvis_hvis,
    borger_til_skrivning,
    opdater_med_historik,
    skriv_historik,
    udfoer,
)
from dfdg.resolvers.webservicebesked import koe_besked

Row = Mapping[str, Any]


async def _koe_fravaerbeskeder(tx, borger: Row, handling: str, fravaer: Row) -> None:
    indhold = fravaer_besked(handling, fravaer)
    for modtagertype, modtager in fravaer_modtagere(borger):
        await koe_besked(tx, modtagertype=modtagertype, modtager=modtager, beskedtype=f"Fravaer{handling}",
                         cpr=fravaer["cpr"], indhold=indhold)


async def fravaer_opret(ctx, *, cpr: str, fravaerstype_id: int, fra: date, til: date | None,
                        idempotensnoegle: str | None = None) -> Udfald:
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        borger = await borger_til_skrivning(tx, actor, cpr, "fravaerOpret", "registrere fravær på borgeren")
        afvis_hvis(valider_fravaer(
            kontaktgruppe_id=borger["kontaktgruppe_id"], fravaerstype_id=fravaerstype_id, fra=fra, til=til,
            koder=ctx.kodecache, idag=idag(),
        ))
        row = await tx.first(_OPRET, {
            "cpr": cpr, "fravaerstype_id": fravaerstype_id, "fra": fra, "til": til,
            "registreret_af": actor.myndighedskode or actor.subjekt,
        })
        await skriv_historik(tx, actor, cpr=cpr, entitet="Fravaer", entitet_id=row["id"], handling="oprettet", foer=None, efter=row)
        await _koe_fravaerbeskeder(tx, borger, "Oprettet", row)
        return Udfald("Fravaer", row["id"], row)

    return await udfoer(ctx, "fravaerOpret", krop, idempotensnoegle=idempotensnoegle)


_OPRET = Forberedt(insert(t.Fravaer.__table__).values({
    kolonne: bindparam(kolonne) for kolonne in ("cpr", "fravaerstype_id", "fra", "til", "registreret_af")
}).returning(t.Fravaer.__table__))


async def _fravaer_til_skrivning(tx, actor, fravaer_id: int | None, handling: str):
    f = t.Fravaer.__table__
    row = None if fravaer_id is None else await tx.first(select(f).where(f.c.id == fravaer_id).with_for_update())
    if row is None:
        raise Afvist([k.fejl(k.IKKE_FUNDET, "id", entitet="Fraværet")])
    borger = await borger_til_skrivning(tx, actor, row["cpr"], handling, "ændre borgerens fravær", felt="id", entitet="Fraværet",
                                        ressource="fravaer")
    return row, borger


async def fravaer_opdater(ctx, *, fravaer_id: int | None, aendringer: dict[str, Any],
                          idempotensnoegle: str | None = None) -> Udfald:
    """Update type and/or period; an expired type already on the absence may stay (R2.2-a)."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        foer, borger = await _fravaer_til_skrivning(tx, actor, fravaer_id, "fravaerOpdater")
        ny = {**foer, **aendringer}
        afvis_hvis(valider_fravaer(
            kontaktgruppe_id=borger["kontaktgruppe_id"], fravaerstype_id=ny["fravaerstype_id"], fra=ny["fra"],
            til=ny["til"], koder=ctx.kodecache, idag=idag(), eksisterende_type=foer["fravaerstype_id"],
        ))
        f = t.Fravaer.__table__
        efter = await opdater_med_historik(
            tx, actor, f, foer, {**aendringer, "opdateret": func.now()}, entitet="Fravaer", cpr=foer["cpr"],
        )
        await _koe_fravaerbeskeder(tx, borger, "Opdateret", efter)
        return Udfald("Fravaer", efter["id"], efter)

    return await udfoer(ctx, "fravaerOpdater", krop, idempotensnoegle=idempotensnoegle)


async def fravaer_slet(ctx, *, fravaer_id: int | None, idempotensnoegle: str | None = None) -> Udfald:
    """Delete an absence (also one of an expired type, R2.2-a); the history keeps it."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        foer, borger = await _fravaer_til_skrivning(tx, actor, fravaer_id, "fravaerSlet")
        f = t.Fravaer.__table__
        await tx.all(delete(f).where(f.c.id == foer["id"]))
        await skriv_historik(tx, actor, cpr=foer["cpr"], entitet="Fravaer", entitet_id=foer["id"], handling="slettet", foer=foer, efter=None)
        await _koe_fravaerbeskeder(tx, borger, "Slettet", foer)
        return Udfald(data={"slettet_id": foer["id"]})

    return await udfoer(ctx, "fravaerSlet", krop, idempotensnoegle=idempotensnoegle)
