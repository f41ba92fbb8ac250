"""Rules about the citizen as pure functions (section 1.1 of the release), and the writes on the
citizen's own registrations: contact persons (R1.2-a), membership intake (R1.3-a) and
activities (R3.1-a)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, func, insert, or_, select

from dfdg.auth import Actor, Rolle
from dfdg.context import idag
from dfdg.db import tables as t
from dfdg.db.kodecache import Kodecache
from dfdg.db.kodelister import RELEASE_2022_3
from dfdg.regler import fejlkoder as k
from dfdg.regler.fejlkoder import Fejl
from dfdg.resolvers.mutation import Afvist, Udfald, afvis_hvis, borger_til_skrivning, opdater_med_historik, skriv_historik, udfoer
from dfdg.resolvers.webservicebesked import koe_besked

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


if TYPE_CHECKING:
    from dfdg.auth import Actor


def borgere_statement(
    actor: Actor | None,
    *,
    jobcenter: str | None = None,
    myndighed: str | None = None,
    kontaktgruppe: int | None = None,
    akasse: str | None = None,
    moedeform_maalgruppe: bool | None = None,
    mindre_intensiv_indsats: bool | None = None,
    dato: date | None = None,
):
    """The citizens matching a filter (borgere, cvSoegning) that ``actor`` may see, and their
    unique order. Visibility is filtered here, in SQL (``borger_predikat`` mirrors
    ``kan_se_borger``), so pages are full and counts right; the rows carry the visibility facts."""
    from dfdg.resolvers.adgang import adgangsfakta_kolonner, borger_predikat

    b = t.Borger.__table__
    stmt = select(b, *adgangsfakta_kolonner(b)).where(borger_predikat(actor, b))
    if jobcenter is not None:
        stmt = stmt.where(b.c.jobcenter_nummer == jobcenter)
    if myndighed is not None:
        stmt = stmt.where(func.left(b.c.jobcenter_nummer, 3) == myndighed)
    if kontaktgruppe is not None:
        stmt = stmt.where(b.c.kontaktgruppe_id == kontaktgruppe)
    if akasse is not None:
        stmt = stmt.where(b.c.akasse_nummer == akasse)
    if moedeform_maalgruppe is not None:
        stmt = stmt.where(b.c.moedeform_maalgruppe == moedeform_maalgruppe)
    if mindre_intensiv_indsats is not None:
        # R5.1-a, as dfdg.resolvers.fravaer.mindre_intensiv_indsats, in SQL.
        f, ft = t.Fravaer.__table__, t.Fravaerstype.__table__
        daekket = exists().where(
            f.c.cpr == b.c.cpr,
            f.c.fravaerstype_id.in_(select(ft.c.id).where(ft.c.mindre_intensiv)),
            f.c.fra <= dato,
            or_(f.c.til.is_(None), f.c.til >= dato),
            f.c.opdateret >= RELEASE_2022_3,
        )
        stmt = stmt.where(daekket if mindre_intensiv_indsats else ~daekket)
    return stmt, (b.c.cpr,)




# --- writes: texts, and the citizen a write concerns ----------------------------------------

MAKS_TEKST = 255
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_TELEFON = re.compile(r"\+?[0-9 ]{8,20}")


def tekst(value: str | None) -> str | None:
    """An optional text as stored: stripped, and empty or whitespace-only as absent (as R1.1-h)."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def tekst_fejl(felt: str, value: str | None, *, paakraevet: bool) -> list[Fejl]:
    """A text field's errors: missing when required (61003), longer than MAKS_TEKST (61010)."""
    if value is None:
        return [k.fejl(k.FELT_PAAKRAEVET, felt)] if paakraevet else []
    if len(value) > MAKS_TEKST:
        return [k.fejl(k.UGYLDIG_TEKST, felt, maks=MAKS_TEKST)]
    return []


# --- kontaktperson (FagprofessionelKontakt, R1.2-a) -----------------------------------------

KONTAKTPERSON_FELTER = ("navn", "rolle", "telefon", "email")


def valider_kontaktperson(
    felter: Mapping[str, str | None], *, oprettet_af: tuple[str, str] | None = None,
    kalder: tuple[str, str | None] | None = None,
) -> list[Fejl]:
    """All reasons a contact person cannot be stored as given: ``felter`` are the fields being
    set (all of them on create), already normalised with ``tekst``. On update ``oprettet_af`` is
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


async def kontaktperson_opret(ctx, *, cpr: str, felter: Mapping[str, str | None],
                              idempotensnoegle: str | None = None) -> Udfald:
    actor = ctx.kraev_actor()
    vaerdier = {felt: tekst(felter.get(felt)) for felt in KONTAKTPERSON_FELTER}

    async def krop(tx) -> Udfald:
        borger = await borger_til_skrivning(tx, actor, cpr, "kontaktpersonOpret", "oprette en kontaktperson på borgeren")
        if actor.myndighedskode is None:
            # A FagprofessionelKontakt belongs to an authority; a caller without one cannot own it.
            raise Afvist([k.fejl(k.INGEN_ADGANG, None, rolle=actor.rolle.value, handling="oprette en kontaktperson")])
        afvis_hvis(valider_kontaktperson(vaerdier))
        kp = t.Kontaktperson.__table__
        row = await tx.first(insert(kp).values(
            cpr=borger["cpr"], oprettet_af=actor.myndighedskode, oprettet_af_rolle=actor.rolle.value, **vaerdier,
        ).returning(kp))
        await skriv_historik(tx, actor, cpr=cpr, entitet="Kontaktperson", entitet_id=row["id"], handling="oprettet", foer=None, efter=row)
        return Udfald("Kontaktperson", row["id"], row)

    return await udfoer(ctx, "kontaktpersonOpret", krop, idempotensnoegle=idempotensnoegle)


async def kontaktperson_opdater(ctx, *, kontaktperson_id: int | None, aendringer: Mapping[str, str | None],
                                idempotensnoegle: str | None = None) -> Udfald:
    """Change the given fields; R1.2-a: only the creating authority may (60018 otherwise)."""
    actor = ctx.kraev_actor()
    aendringer = {felt: tekst(value) for felt, value in aendringer.items() if felt in KONTAKTPERSON_FELTER}

    async def krop(tx) -> Udfald:
        kp = t.Kontaktperson.__table__
        foer = None if kontaktperson_id is None else await tx.first(select(kp).where(kp.c.id == kontaktperson_id).with_for_update())
        if foer is None:
            raise Afvist([k.fejl(k.IKKE_FUNDET, "id", entitet="Kontaktpersonen")])
        ejer = (foer["oprettet_af_rolle"], foer["oprettet_af"])
        await borger_til_skrivning(tx, actor, foer["cpr"], "kontaktpersonOpdater", "ændre borgerens kontaktperson", felt="id",
                                   entitet="Kontaktpersonen", ressource="kontaktpersoner",
                                   egen=ejer == (actor.rolle.value, actor.myndighedskode))
        # Only the fields being set are checked: an old value stays as it is until corrected.
        afvis_hvis(valider_kontaktperson(aendringer, oprettet_af=ejer,
                                         kalder=(actor.rolle.value, actor.myndighedskode)))
        if not aendringer:
            return Udfald("Kontaktperson", foer["id"], foer)
        efter = await opdater_med_historik(
            tx, actor, kp, foer, aendringer, entitet="Kontaktperson", cpr=foer["cpr"],
        )
        return Udfald("Kontaktperson", efter["id"], efter)

    return await udfoer(ctx, "kontaktpersonOpdater", krop, idempotensnoegle=idempotensnoegle)


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


async def medlemstilgang_registrer(ctx, *, cpr: str, indmeldt: date, dagpengeretsdato: date | None,
                                   idempotensnoegle: str | None = None) -> Udfald:
    """The a-kasse (the caller; its number is the token's) registers a citizen's membership: a
    medlemskab row, the citizen's a-kasse set to it, and a message to the citizen's jobcentre. A
    citizen moving from another a-kasse leaves it (``overflyttede_medlemskaber``): that membership
    ends, with its history entry and a message to that a-kasse, which from then on no longer sees
    the citizen (dfdg.resolvers.adgang: an a-kasse sees its members)."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        if actor.rolle is not Rolle.AKASSE:
            raise Afvist([k.fejl(k.INGEN_ADGANG, None, rolle=actor.rolle.value, handling="registrere medlemstilgang (kun a-kasser)")])
        await borger_til_skrivning(tx, actor, cpr, "medlemstilgangRegistrer", "registrere medlemstilgang for borgeren")
        b, m, a = t.Borger.__table__, t.Medlemskab.__table__, t.Akasse.__table__
        # The citizen's row is the lock: two intakes of the same citizen run one after the other.
        borger = await tx.first(select(b).where(b.c.cpr == cpr).with_for_update())
        if await tx.first(select(a.c.nummer).where(a.c.nummer == actor.myndighed)) is None:
            raise Afvist([k.fejl(k.IKKE_FUNDET, None, entitet=f"A-kasse {actor.myndighed}")])
        medlemskaber = list(await tx.all(select(m).where(m.c.cpr == cpr)))
        afvis_hvis(valider_medlemstilgang(indmeldt=indmeldt, medlemskaber=medlemskaber, akasse_nummer=actor.myndighed))
        for gammelt, udmeldt in overflyttede_medlemskaber(indmeldt=indmeldt, medlemskaber=medlemskaber, akasse_nummer=actor.myndighed):
            ophoert = await opdater_med_historik(tx, actor, m, gammelt, {"udmeldt": udmeldt}, entitet="Medlemskab", cpr=cpr)
            await koe_besked(tx, modtagertype="akasse", modtager=ophoert["akasse_nummer"], beskedtype="MedlemskabOphoert",
                             cpr=cpr, indhold=medlemskab_ophoert_besked(ophoert))
        row = await tx.first(insert(m).values(
            cpr=cpr, akasse_nummer=actor.myndighed, indmeldt=indmeldt, dagpengeretsdato=dagpengeretsdato,
        ).returning(m))
        await skriv_historik(tx, actor, cpr=cpr, entitet="Medlemskab", entitet_id=row["id"], handling="oprettet", foer=None, efter=row)
        if borger["akasse_nummer"] != actor.myndighed:
            await opdater_med_historik(
                tx, actor, b, borger, {"akasse_nummer": actor.myndighed}, entitet="Borger", cpr=cpr, noegle="cpr",
            )
        await koe_besked(tx, modtagertype="jobcenter", modtager=borger["jobcenter_nummer"][:3],
                         beskedtype="MedlemstilgangRegistreret", cpr=cpr, indhold=medlemstilgang_besked(row))
        return Udfald("Medlemskab", row["id"], row)

    return await udfoer(ctx, "medlemstilgangRegistrer", krop, idempotensnoegle=idempotensnoegle)


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
    if kode is None:
        fejl.append(k.fejl(k.UKENDT_KODE, "ophoersaarsagId", kodeliste="Ophørsårsag", kode=ophoersaarsag_id))
    else:
        if kode.flag["kun_vitas"] and not fra_vitas:
            fejl.append(k.fejl(k.OPHOERSAARSAG_KUN_VITAS, "ophoersaarsagId", ophoersaarsag=kode.id, navn=kode.navn))
        if kode.udgaaet(idag):
            fejl.append(k.fejl(k.UDGAAET_KODE, "ophoersaarsagId", kodeliste="Ophørsårsag", kode=kode.id, navn=kode.navn))
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


async def indsats_opret(ctx, *, cpr: str, betegnelse: str | None, startdato: date, slutdato: date | None,
                        idempotensnoegle: str | None = None) -> Udfald:
    actor = ctx.kraev_actor()
    betegnelse = tekst(betegnelse)

    async def krop(tx) -> Udfald:
        await borger_til_skrivning(tx, actor, cpr, "indsatsOpret", "oprette en indsats i borgerens plan")
        afvis_hvis(valider_indsats(betegnelse=betegnelse, startdato=startdato, slutdato=slutdato))
        i = t.Indsats.__table__
        row = await tx.first(insert(i).values(cpr=cpr, betegnelse=betegnelse, startdato=startdato, slutdato=slutdato).returning(i))
        await skriv_historik(tx, actor, cpr=cpr, entitet="Indsats", entitet_id=row["id"], handling="oprettet", foer=None, efter=row)
        return Udfald("Indsats", row["id"], row)

    return await udfoer(ctx, "indsatsOpret", krop, idempotensnoegle=idempotensnoegle)


async def indsats_afslut(ctx, *, indsats_id: int | None, slutdato: date, ophoersaarsag_id: int,
                         idempotensnoegle: str | None = None) -> Udfald:
    """End an activity with a cessation reason; the citizen's jobcentre gets IndsatsAfsluttet
    (the message its case system handles VITAS's state changes from, R3.1-a)."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        i = t.Indsats.__table__
        foer = None if indsats_id is None else await tx.first(select(i).where(i.c.id == indsats_id).with_for_update())
        if foer is None:
            raise Afvist([k.fejl(k.IKKE_FUNDET, "id", entitet="Indsatsen")])
        borger = await borger_til_skrivning(
            tx, actor, foer["cpr"], "indsatsAfslut", "afslutte borgerens indsats",
            felt="id", entitet="Indsatsen", ressource="indsatser", indsats=foer, ophoersaarsag_id=ophoersaarsag_id,
        )
        afvis_hvis(valider_indsats_afslutning(
            indsats=foer, slutdato=slutdato, ophoersaarsag_id=ophoersaarsag_id, koder=ctx.kodecache,
            fra_vitas=actor.rolle is Rolle.VITAS, idag=idag(),
        ))
        efter = await opdater_med_historik(
            tx, actor, i, foer, {"slutdato": slutdato, "ophoersaarsag_id": ophoersaarsag_id},
            entitet="Indsats", cpr=foer["cpr"], handling="afsluttet",
        )
        await koe_besked(tx, modtagertype="jobcenter", modtager=borger["jobcenter_nummer"][:3],
                         beskedtype="IndsatsAfsluttet", cpr=foer["cpr"], indhold=indsats_besked(efter))
        return Udfald("Indsats", efter["id"], efter)

    return await udfoer(ctx, "indsatsAfslut", krop, idempotensnoegle=idempotensnoegle)
