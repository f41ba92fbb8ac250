"""Rules about absences (section 2 of the release) as pure functions over rows and code lists."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select

from dfdg.context import DANMARK, idag
from dfdg.db import tables as t
from dfdg.db.oversaet import Forberedt
from dfdg.db.kodecache import Kodecache
from dfdg.regler import fejlkoder as k
from dfdg.regler.fejlkoder import Fejl
from dfdg.resolvers.mutation import Afvist, Udfald, afvis_hvis, borger_til_skrivning, opdater_med_historik, skriv_historik, udfoer
from dfdg.resolvers.webservicebesked import koe_besked
from dfdg.db.kodelister import DAGPENGEMODTAGER, FLEKSJOBVISITERET_LEDIG, RELEASE_2022_3

Row = Mapping[str, Any]
SYGEMELDING = 11


def aktiv(fravaer: Row, dato: date) -> bool:
    """An absence covers ``dato`` (its end date is inclusive; open-ended while ``til`` is null)."""
    return fravaer["fra"] <= dato and (fravaer["til"] is None or dato <= fravaer["til"])


def overlapper(fravaer: Row, fra: date, til: date) -> bool:
    return fravaer["fra"] <= til and (fravaer["til"] is None or fra <= fravaer["til"])


def _med_flag(fravaer: Iterable[Row], koder: Kodecache, flag: str) -> list[Row]:
    typer = koder.fravaerstyper
    return [f for f in fravaer if (k := typer.get(f["fravaerstype_id"])) is not None and k.flag[flag]]


@dataclass(frozen=True)
class SelvbookingStatus:
    pligt: bool
    fritaget: bool
    fritaget_af: list[Row]
    frist: bool


def selvbooking(fravaer: Iterable[Row], koder: Kodecache, dato: date) -> SelvbookingStatus:
    """R2.4-a: the listed absence types exempt from the self-booking duty; 56, 57 and 75 also
    remove the self-booking deadline altogether."""
    aktive = [f for f in fravaer if aktiv(f, dato)]
    fritagende = _med_flag(aktive, koder, "fritager_selvbooking")
    uden_frist = _med_flag(aktive, koder, "ingen_selvbookingfrist")
    return SelvbookingStatus(
        pligt=not fritagende, fritaget=bool(fritagende), fritaget_af=fritagende, frist=not uden_frist
    )


def joblog_pligt(kontaktgruppe_id: int, fravaer: Iterable[Row], maaned: date) -> bool:
    """R2.5-a and R4.2-a: the duty follows the calendar month. Sygemelding (11) exempts a citizen
    in kontaktgruppe 7 for a month it covers any day of ([I]: partial months exempt too)."""
    if kontaktgruppe_id != FLEKSJOBVISITERET_LEDIG:
        return True
    foerste = maaned.replace(day=1)
    sidste = (foerste + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return not any(f["fravaerstype_id"] == SYGEMELDING and overlapper(f, foerste, sidste) for f in fravaer)


def mindre_intensiv_indsats(fravaer: Iterable[Row], koder: Kodecache, dato: date) -> bool:
    """R5.1-a: covered while an absence of a 'less intensive effort' type is active. The data
    fills in as such absences are registered or updated after the release, so only those count
    (on or after the release day in Danish time, as the SQL of cvSoegning compares it)."""
    return any(
        aktiv(f, dato) and f["opdateret"].astimezone(DANMARK).date() >= RELEASE_2022_3
        for f in _med_flag(fravaer, koder, "mindre_intensiv")
    )


def kan_modtage_dagpenge(kontaktgruppe_id: int, fravaer: Iterable[Row], koder: Kodecache, dato: date) -> bool:
    """R2.1-a: a dagpengemodtager receives no a-dagpenge during Sorgorlov (79)."""
    if kontaktgruppe_id != DAGPENGEMODTAGER:
        return False
    return not any(aktiv(f, dato) for f in _med_flag(fravaer, koder, "ingen_dagpenge"))


def valider_fravaer(
    *,
    kontaktgruppe_id: int,
    fravaerstype_id: int,
    fra: date,
    til: date | None,
    koder: Kodecache,
    idag: date,
    eksisterende_type: int | None = None,
) -> list[Fejl]:
    """All reasons an absence cannot be registered as given (create, or update when
    ``eksisterende_type`` is the stored type)."""
    fejl: list[Fejl] = []
    kode = koder.fravaerstyper.get(fravaerstype_id)
    if kode is None:
        fejl.append(k.fejl(k.UKENDT_KODE, "fravaerstypeId", kodeliste="Fraværstype", kode=fravaerstype_id))
    else:
        # R2.2-a: an expired type (78) may stay on an existing absence, never be newly set.
        if fravaerstype_id != eksisterende_type and kode.udgaaet(idag):
            fejl.append(k.fejl(k.FRAVAERSTYPE_UDGAAET, "fravaerstypeId", fravaerstype=kode.id, navn=kode.navn))
        # R2.1-a: which types each kontaktgruppe may carry is data (fravaerstype_kontaktgruppe).
        if kontaktgruppe_id not in koder.fravaerstype_kontaktgrupper.get(fravaerstype_id, frozenset()):
            fejl.append(k.fejl(
                k.FRAVAERSTYPE_IKKE_FOR_KONTAKTGRUPPE, "fravaerstypeId",
                fravaerstype=kode.id, navn=kode.navn, kontaktgruppe=kontaktgruppe_id,
            ))
    if til is not None and til < fra:
        fejl.append(k.fejl(k.UGYLDIG_PERIODE, "til"))
    return fejl


def fravaer_besked(handling: str, fravaer: Row) -> dict[str, Any]:
    return {
        "handling": handling, "fravaerId": fravaer["id"], "cpr": fravaer["cpr"],
        "fravaerstype": fravaer["fravaerstype_id"], "fra": fravaer["fra"].isoformat(),
        "til": fravaer["til"].isoformat() if fravaer["til"] else None,
    }


def fravaer_modtagere(borger: Row, jobcenter_myndighed: str) -> list[tuple[str, str | None]]:
    """R2.1-b: a change to an absence of a kontaktgruppe-1 citizen goes to both the citizen's
    a-kasse and the jobcentre (its authority's queue)."""
    if borger["kontaktgruppe_id"] != DAGPENGEMODTAGER:
        return []
    return [("akasse", borger["akasse_nummer"]), ("jobcenter", jobcenter_myndighed)]


# --- mutation bodies (fravaerOpret, fravaerOpdater, fravaerSlet) -------------------------------

async def _koe_fravaerbeskeder(tx, borger: Row, handling: str, fravaer: Row) -> None:
    indhold = fravaer_besked(handling, fravaer)
    for modtagertype, modtager in fravaer_modtagere(borger, borger["jobcenter_nummer"][:3]):
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
