"""Rules about the citizen (section 1 of the release) as pure functions: the right to choose the
meeting form (R1.1-b), contact persons (R1.2-a), membership intake (R1.3-a) and activities
(R3.1-a), with the content of the messages they queue."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from dfdg.regler import fejlkoder as k
from dfdg.regler.fejlkoder import Fejl
from dfdg.regler.koder import Kodecache, kode_fejl
from dfdg.regler.tekst import MAKS_TEKST, tekst_fejl

LEDIGHED_FOR_VALG_MAANEDER = 6


def plus_maaneder(dato: date, maaneder: int) -> date:
    aar, maaned = divmod(dato.month - 1 + maaneder, 12)
    aar, maaned = dato.year + aar, maaned + 1
    return date(aar, maaned, min(dato.day, calendar.monthrange(aar, maaned)[1]))


def har_ret_til_valg_af_moedeform(borger: Mapping[str, Any], moededato: date) -> bool:
    """R1.1-b (LAB § 33, stk. 1): unemployed for 6 months or more on the meeting date, counted
    from the unemployment start, and in the planner system's target group."""
    ledighedsdato = borger["ledighedsdato"]
    return (
        bool(borger["moedeform_maalgruppe"])
        and ledighedsdato is not None
        and moededato >= plus_maaneder(ledighedsdato, LEDIGHED_FOR_VALG_MAANEDER)
    )


# --- kontaktperson (FagprofessionelKontakt, R1.2-a) -----------------------------------------

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_TELEFON = re.compile(r"\+?[0-9 ]{8,20}")
KONTAKTPERSON_FELTER = ("navn", "rolle", "telefon", "email")


def valider_kontaktperson(
    felter: Mapping[str, str | None], *, oprettet_af: tuple[str, str] | None = None,
    kalder: tuple[str, str | None] | None = None,
) -> list[Fejl]:
    """All reasons a contact person cannot be stored as given: ``felter`` are the fields being
    set (all of them on create), already normalised with ``normaliser_tekst``. On update ``oprettet_af`` is
    the creating authority, (role, number), and ``kalder`` the caller's: R1.2-a, only it may change
    the contact person, and another authority gets 60018, never a generic error. The role counts:
    a jobcentre's authority (3 digits) and an a-kasse may have the same number."""
    fejl: list[Fejl] = []
    if oprettet_af is not None and oprettet_af != kalder:
        fejl.append(k.fejl(k.KONTAKTPERSON_ANDEN_MYNDIGHED, "id"))
    for felt in KONTAKTPERSON_FELTER:
        if felt in felter:
            fejl += tekst_fejl(felt, felter[felt], paakraevet=felt == "navn")
    telefon, email = felter.get("telefon"), felter.get("email")
    if telefon is not None and len(telefon) <= MAKS_TEKST and not _TELEFON.fullmatch(telefon):
        fejl.append(k.fejl(k.UGYLDIGT_FORMAT, "telefon", besked="Telefonnummeret skal være 8-20 cifre (evt. med + og mellemrum)"))
    if email is not None and len(email) <= MAKS_TEKST and not _EMAIL.fullmatch(email):
        fejl.append(k.fejl(k.UGYLDIGT_FORMAT, "email", besked="E-mailadressen er ikke gyldig"))
    return fejl


# --- medlemstilgang (membership intake, R1.3-a) -----------------------------------------------

def valider_medlemstilgang(*, indmeldt: date, medlemskaber: list[Mapping[str, Any]], akasse_nummer: str) -> list[Fejl]:
    """All reasons an a-kasse's membership intake is refused: a membership of the same a-kasse
    still running at ``indmeldt`` (67001). R1.3-a: a dagpengeretsdato before today is accepted
    (it was wrongly refused before the release), so no rule here bounds either date by today."""
    fejl: list[Fejl] = []
    for m in medlemskaber:
        if m["akasse_nummer"] == akasse_nummer and (m["udmeldt"] is None or m["udmeldt"] > indmeldt):
            fejl.append(k.fejl(k.MEDLEMSKAB_FINDES, "indmeldt", indmeldt=m["indmeldt"].strftime("%d-%m-%Y")))
            break
    return fejl


def medlemstilgang_besked(medlemskab: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "medlemskabId": medlemskab["id"], "cpr": medlemskab["cpr"], "akasseNummer": medlemskab["akasse_nummer"],
        "indmeldt": medlemskab["indmeldt"].isoformat(),
        "dagpengeretsdato": medlemskab["dagpengeretsdato"].isoformat() if medlemskab["dagpengeretsdato"] else None,
    }


def overflyttede_medlemskaber(*, indmeldt: date, medlemskaber: list[Mapping[str, Any]], akasse_nummer: str) -> list[tuple[Mapping[str, Any], date]]:
    """A citizen is a member of one a-kasse at a time: an intake by ``akasse_nummer`` from
    ``indmeldt`` ends each other a-kasse's membership still running then, the day before (or, for
    one that had not begun by then, on its first day). (membership, its udmeldt) for each."""
    slut = indmeldt - timedelta(days=1)
    return [
        (m, max(slut, m["indmeldt"]))
        for m in medlemskaber
        if m["akasse_nummer"] != akasse_nummer and (m["udmeldt"] is None or m["udmeldt"] > slut)
    ]


def medlemskab_ophoert_besked(medlemskab: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "medlemskabId": medlemskab["id"], "cpr": medlemskab["cpr"], "akasseNummer": medlemskab["akasse_nummer"],
        "indmeldt": medlemskab["indmeldt"].isoformat(), "udmeldt": medlemskab["udmeldt"].isoformat(),
    }


# --- indsatser (activities in Min plan, R3.1-a) -----------------------------------------------

def valider_indsats(*, betegnelse: str | None, startdato: date, slutdato: date | None) -> list[Fejl]:
    fejl = tekst_fejl("betegnelse", betegnelse, paakraevet=True)
    if slutdato is not None and slutdato < startdato:
        fejl.append(k.fejl(k.UGYLDIG_PERIODE, "slutdato"))
    return fejl


def valider_indsats_afslutning(
    *, indsats: Mapping[str, Any], slutdato: date, ophoersaarsag_id: int, koder: Kodecache, fra_vitas: bool, idag: date,
) -> list[Fejl]:
    """All reasons an activity cannot be ended as given. R3.1-a: ophørsårsag 14 and 15 exist for
    VITAS's messages; a caseworker (anyone but the ``vitas`` actor) cannot register them."""
    fejl: list[Fejl] = []
    if indsats["ophoersaarsag_id"] is not None:
        fejl.append(k.fejl(k.INDSATS_ALLEREDE_AFSLUTTET, "id"))
    kode = koder.ophoersaarsager.get(ophoersaarsag_id)
    if kode is not None and kode.flag["kun_vitas"] and not fra_vitas:
        fejl.append(k.fejl(k.OPHOERSAARSAG_KUN_VITAS, "ophoersaarsagId", ophoersaarsag=kode.id, navn=kode.navn))
    fejl += kode_fejl(koder, "ophoersaarsager", ophoersaarsag_id, "ophoersaarsagId", idag=idag)
    if slutdato < indsats["startdato"]:
        fejl.append(k.fejl(k.UGYLDIG_PERIODE, "slutdato"))
    return fejl


def indsats_besked(indsats: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "indsatsId": indsats["id"], "cpr": indsats["cpr"], "betegnelse": indsats["betegnelse"],
        "startdato": indsats["startdato"].isoformat(),
        "slutdato": indsats["slutdato"].isoformat() if indsats["slutdato"] else None,
        "ophoersaarsag": indsats["ophoersaarsag_id"],
    }
