"""Rules about absences (section 2 of the release) as pure functions over rows and code lists."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dfdg.regler import fejlkoder as k
from dfdg.regler.fejlkoder import Fejl
from dfdg.regler.identer import jobcenter_myndighed
from dfdg.regler.koder import (
    DAGPENGEMODTAGER,
    FLEKSJOBVISITERET_LEDIG,
    RELEASE_2022_3,
    Kodecache,
    kode_fejl,
)
from dfdg.regler.tid import dansk_dato, periode_daekker

Row = Mapping[str, Any]
SYGEMELDING = 11


def aktiv(fravaer: Row, dato: date) -> bool:
    """An absence covers ``dato`` (its end date is inclusive; open-ended while ``til`` is null)."""
    return periode_daekker(fravaer["fra"], fravaer["til"], dato)


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
    (on or after the release day in Danish time; its SQL twin, for cvSoegning:
    dfdg.db.regler.mindre_intensiv_indsats_sql)."""
    return any(
        aktiv(f, dato) and dansk_dato(f["opdateret"]) >= RELEASE_2022_3
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
    ``eksisterende_type`` is the stored type). R2.2-a: an expired type (78) may stay on an
    existing absence, never be newly set (``kode_fejl``)."""
    fejl = kode_fejl(koder, "fravaerstyper", fravaerstype_id, "fravaerstypeId", idag=idag, eksisterende=eksisterende_type)
    kode = koder.fravaerstyper.get(fravaerstype_id)
    # R2.1-a: which types each kontaktgruppe may carry is data (fravaerstype_kontaktgruppe).
    if kode is not None and kontaktgruppe_id not in koder.fravaerstype_kontaktgrupper.get(fravaerstype_id, frozenset()):
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


def fravaer_modtagere(borger: Row) -> list[tuple[str, str | None]]:
    """R2.1-b: a change to an absence of a kontaktgruppe-1 citizen goes to both the citizen's
    a-kasse and the jobcentre (its authority's queue)."""
    if borger["kontaktgruppe_id"] != DAGPENGEMODTAGER:
        return []
    return [("akasse", borger["akasse_nummer"]), ("jobcenter", jobcenter_myndighed(borger["jobcenter_nummer"]))]
