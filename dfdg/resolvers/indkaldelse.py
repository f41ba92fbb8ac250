"""Rules about meetings and meeting forms (section 1.1 of the release) as pure functions, and
the bodies of the meeting mutations (offers, self-booking, summons, the participation choice)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, insert, select, update

from dfdg.auth import Actor, Rolle
from dfdg.context import DANMARK, idag
from dfdg.db import tables as t
from dfdg.db.kodecache import Kodecache
from dfdg.db.kodelister import DAGPENGEMODTAGER
from dfdg.regler import fejlkoder as k
from dfdg.resolvers.adgang import kan_se_moedetilbud, kan_skrive
from dfdg.resolvers.borger import har_ret_til_valg_af_moedeform
from dfdg.regler.fejlkoder import Fejl
from dfdg.regler.identer import jobcenter_fejl
from dfdg.resolvers.mutation import Afvist, Udfald, afvis_hvis, borger_til_skrivning, opdater_med_historik, skriv_historik, udfoer
from dfdg.resolvers.webservicebesked import koe_besked

PERSONLIG_KONTAKT = 1
DIGITALT_MOEDE = 8
# LAB § 33: in person, by phone or as a digital meeting (R1.1-a).
BORGERENS_VALG = (1, 2, 8)


def valgbare_moedeformer(
    borger: Mapping[str, Any],
    moededato: date,
    *,
    kun_personligt: bool,
    fastsat_moedeform: int,
    tilbudte_moedeformer: Sequence[int] | None = None,
) -> list[int]:
    """The meeting forms the citizen may choose for one meeting.

    R1.1-c: a meeting the jobcentre has marked to be held in person allows only form 1.
    R1.1-b: without the right to choose, the citizen gets the form the jobcentre set.
    R1.1-a: with it, any form the offer allows (a summons without an offer: 1, 2 and 8).
    """
    if kun_personligt:
        return [PERSONLIG_KONTAKT]
    if not har_ret_til_valg_af_moedeform(borger, moededato):
        return [fastsat_moedeform]
    return sorted(tilbudte_moedeformer) if tilbudte_moedeformer else list(BORGERENS_VALG)


def moedetilbud_statement(*, jobcenter: str, fra: datetime | None, til: datetime | None):
    """The planner's offers of one jobcentre in a period, in time order."""
    m = t.Moedetilbud.__table__
    stmt = select(m).where(m.c.jobcenter_nummer == jobcenter)
    if fra is not None:
        stmt = stmt.where(m.c.starttid >= fra)
    if til is not None:
        stmt = stmt.where(m.c.starttid < til)
    return stmt, (m.c.starttid, m.c.id)


# --- pure rules of the write side (no strawberry, no database) ---------------------------------

MAKS_TEKST = 500
MAKS_LINK = 2000
BIGINT_MAX = 2**63 - 1


def normaliser_tekst(value: str | None) -> str | None:
    """R1.1-h: an empty or whitespace-only text is absent; other texts lose surrounding blanks."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def dansk_tid(tid: datetime) -> datetime:
    """A time without offset is Danish local time (what a Danish caseworker or planner means)."""
    return tid.replace(tzinfo=DANMARK) if tid.tzinfo is None else tid


def moededato(starttid: datetime) -> date:
    """The meeting's date in Denmark: the day R1.1-b counts the 6 months of unemployment to."""
    return dansk_tid(starttid).astimezone(DANMARK).date()


def gyldigt_id(pk: int | None) -> int | None:
    """A row id a bigint column can hold, else None (a number too large finds nothing)."""
    return pk if pk is not None and 0 < pk <= BIGINT_MAX else None


def moedelink_fejl(link: str | None, felt: str = "moedelink") -> list[Fejl]:
    """R1.1-e (beyond): the digital meeting link is an absolute https URL."""
    if link is None:
        return []
    try:
        dele = urlsplit(link)
        vaert = dele.hostname
    except ValueError:
        vaert = None
    if (
        not link.startswith("https://") or not vaert or len(link) > MAKS_LINK
        or any(c.isspace() or ord(c) < 32 for c in link)
    ):
        return [k.fejl(k.MOEDELINK_UGYLDIGT, felt)]
    return []


def _tekst_fejl(felter: Mapping[str, str | None], maks: int = MAKS_TEKST) -> list[Fejl]:
    return [k.fejl(k.UGYLDIG_TEKST, felt, maks=maks) for felt, v in felter.items() if v is not None and len(v) > maks]


def _tid_fejl(starttid: datetime, sluttid: datetime) -> list[Fejl]:
    return [k.fejl(k.MOEDETIDSPUNKT_UGYLDIGT, "sluttid")] if dansk_tid(sluttid) <= dansk_tid(starttid) else []


def moedeform_fejl(
    moedeform_id: int, koder: Kodecache, idag: date, *, felt: str = "moedeformId", eksisterende: int | None = None
) -> list[Fejl]:
    """R1.1-d: an unknown form, or an expired one (4–7) newly set. An expired form already on the
    registration (``eksisterende``) may stay."""
    kode = koder.moedeformer.get(moedeform_id)
    if kode is None:
        return [k.fejl(k.UKENDT_KODE, felt, kodeliste="Mødeform", kode=moedeform_id)]
    if moedeform_id != eksisterende and kode.udgaaet(idag):
        return [k.fejl(k.MOEDEFORM_UDGAAET, felt, moedeform=kode.id, navn=kode.navn)]
    return []


def samtaletype_fejl(samtaletype_id: int, koder: Kodecache, idag: date, *, eksisterende: int | None = None) -> list[Fejl]:
    kode = koder.samtaletyper.get(samtaletype_id)
    if kode is None:
        return [k.fejl(k.UKENDT_KODE, "samtaletypeId", kodeliste="Samtaletype", kode=samtaletype_id)]
    if samtaletype_id != eksisterende and kode.udgaaet(idag):
        return [k.fejl(k.UDGAAET_KODE, "samtaletypeId", kodeliste="Samtaletype", kode=kode.id, navn=kode.navn)]
    return []


def valider_moedetilbud(
    tilbud: Mapping[str, Any], *, koder: Kodecache, idag: date, nu: datetime,
    foer: Mapping[str, Any] | None = None,
) -> list[Fejl]:
    """All reasons an offer (the planner's mødetilbud, R1.1-a/c/d/e/g) cannot be stored as given.
    ``tilbud`` has the table's column names (already normalised); ``foer`` is the stored offer
    on an update."""
    fejl: list[Fejl] = []
    tilladte = list(tilbud["tilladte_moedeformer"])
    if not tilladte:
        fejl.append(k.fejl(k.MOEDEFORMER_MANGLER, "tilladteMoedeformer"))
    for moedeform in tilladte:
        if moedeform in BORGERENS_VALG:
            continue
        kodefejl = moedeform_fejl(moedeform, koder, idag, felt="tilladteMoedeformer")
        fejl.extend(kodefejl or [k.fejl(k.MOEDEFORM_IKKE_BORGERVALG, "tilladteMoedeformer")])
    if tilbud["kun_personligt"] and tilladte and tilladte != [PERSONLIG_KONTAKT]:
        # R1.1-c: a meeting marked to be held in person accepts only form 1.
        fejl.append(k.fejl(k.KUN_PERSONLIGT_FREMMOEDE, "tilladteMoedeformer"))
    eksisterende_form = foer["moedeform_id"] if foer else None
    if kodefejl := moedeform_fejl(tilbud["moedeform_id"], koder, idag, eksisterende=eksisterende_form):
        fejl.extend(kodefejl)
    elif tilladte and tilbud["moedeform_id"] not in tilladte:
        fejl.append(k.fejl(
            k.MOEDEFORM_IKKE_I_TILBUD, "moedeformId", moedeform=tilbud["moedeform_id"], tilladte=_liste(tilladte),
        ))
    fejl.extend(samtaletype_fejl(tilbud["samtaletype_id"], koder, idag, eksisterende=foer["samtaletype_id"] if foer else None))
    if DIGITALT_MOEDE in tilladte and tilbud["moedelink"] is None:
        fejl.append(k.fejl(k.MOEDELINK_MANGLER, "moedelink"))
    fejl.extend(moedelink_fejl(tilbud["moedelink"]))
    fejl.extend(_tid_fejl(tilbud["starttid"], tilbud["sluttid"]))
    if (foer is None or tilbud["starttid"] != foer["starttid"]) and dansk_tid(tilbud["starttid"]) <= nu:
        # Publishing (or moving) an offer into the past: nobody could book it.
        fejl.append(k.fejl(k.MOEDETILBUD_OVERSTAAET, "starttid"))
    antal_booket = foer["antal_booket"] if foer else 0
    if tilbud["kapacitet"] < max(1, antal_booket):
        fejl.append(k.fejl(k.KAPACITET_UGYLDIG, "kapacitet", antal_booket=antal_booket))
    if tilbud["sted"] is None:
        fejl.append(k.fejl(k.FELT_PAAKRAEVET, "sted"))
    fejl.extend(_tekst_fejl({"sted": tilbud["sted"], "lokationsuddybning": tilbud["lokationsuddybning"]}))
    return fejl


def valider_indkaldelse(
    indkaldelse: Mapping[str, Any], *, koder: Kodecache, idag: date, foer: Mapping[str, Any] | None = None,
) -> list[Fejl]:
    """All reasons a summons (IndkaldelseService, R1.1-c/d/e/f) cannot be stored as given.
    On an update (``foer``): a cancelled summons cannot change, and an expired form already on
    it may stay while other fields change (R1.1-d)."""
    fejl: list[Fejl] = []
    if foer is not None and foer["status"] == AFLYST:
        return [k.fejl(k.INDKALDELSE_AFLYST, "id")]
    moedeform = indkaldelse["moedeform_id"]
    fejl.extend(moedeform_fejl(moedeform, koder, idag, eksisterende=foer["moedeform_id"] if foer else None))
    if indkaldelse["kun_personligt"] and moedeform != PERSONLIG_KONTAKT:
        fejl.append(k.fejl(k.KUN_PERSONLIGT_FREMMOEDE, "moedeformId"))
    fejl.extend(samtaletype_fejl(indkaldelse["samtaletype_id"], koder, idag, eksisterende=foer["samtaletype_id"] if foer else None))
    if moedeform == DIGITALT_MOEDE and indkaldelse["moedelink"] is None:
        fejl.append(k.fejl(k.MOEDELINK_MANGLER, "moedelink"))
    fejl.extend(moedelink_fejl(indkaldelse["moedelink"]))
    fejl.extend(_tid_fejl(indkaldelse["starttid"], indkaldelse["sluttid"]))
    fejl.extend(_tekst_fejl({"sted": indkaldelse["sted"], "lokationsuddybning": indkaldelse["lokationsuddybning"]}))
    return fejl


def booking_moedeform_fejl(
    borger: Mapping[str, Any], tilbud: Mapping[str, Any], moedeform_id: int
) -> list[Fejl]:
    """R1.1-a/b/c: the form a citizen books an offer in, checked against what
    ``valgbare_moedeformer`` allows at the meeting date, with the one code that says why."""
    valgbare = valgbare_moedeformer(
        borger, moededato(tilbud["starttid"]), kun_personligt=tilbud["kun_personligt"],
        fastsat_moedeform=tilbud["moedeform_id"], tilbudte_moedeformer=tilbud["tilladte_moedeformer"],
    )
    if moedeform_id in valgbare:
        return []
    if moedeform_id not in BORGERENS_VALG:
        return [k.fejl(k.MOEDEFORM_IKKE_BORGERVALG, "moedeformId")]
    if tilbud["kun_personligt"]:
        return [k.fejl(k.KUN_PERSONLIGT_FREMMOEDE, "moedeformId")]
    if moedeform_id not in tilbud["tilladte_moedeformer"]:
        return [k.fejl(
            k.MOEDEFORM_IKKE_I_TILBUD, "moedeformId", moedeform=moedeform_id, tilladte=_liste(tilbud["tilladte_moedeformer"]),
        )]
    return [k.fejl(k.INGEN_RET_TIL_VALG, "moedeformId", moedeform=tilbud["moedeform_id"])]


def valider_booking(
    borger: Mapping[str, Any], tilbud: Mapping[str, Any], moedeform_id: int, *,
    nu: datetime, allerede_booket: bool,
) -> list[Fejl]:
    """All reasons the citizen cannot book this offer (BorgerBookingService, R1.1-a/b/c/g)."""
    fejl = booking_moedeform_fejl(borger, tilbud, moedeform_id)
    if tilbud["jobcenter_nummer"][:3] != borger["jobcenter_nummer"][:3]:
        fejl.append(k.fejl(k.MOEDETILBUD_ANDEN_MYNDIGHED, "moedetilbudId"))
    if dansk_tid(tilbud["starttid"]) <= nu:
        fejl.append(k.fejl(k.MOEDETILBUD_OVERSTAAET, "moedetilbudId"))
    if tilbud["antal_booket"] >= tilbud["kapacitet"]:
        fejl.append(k.fejl(k.MOEDETILBUD_FULDT, "moedetilbudId"))
    if allerede_booket:
        fejl.append(k.fejl(k.ALLEREDE_BOOKET, "moedetilbudId"))
    return fejl


def valider_moededeltagelsesvalg(
    indkaldelse: Mapping[str, Any], borger: Mapping[str, Any], tilbud: Mapping[str, Any] | None,
    moedeform_id: int, *, koder: Kodecache, idag: date,
) -> list[Fejl]:
    """R1.1-f: the citizen's meeting-participation choice, only among the forms
    ``valgbare_moedeformer`` gives for this meeting (the same list the read side shows). A meeting
    the jobcentre marked to be held in person is rule R1.1-c, and says so with its own code."""
    if indkaldelse["status"] == AFLYST:
        return [k.fejl(k.INDKALDELSE_AFLYST, "id")]
    if kodefejl := moedeform_fejl(moedeform_id, koder, idag, eksisterende=indkaldelse["moededeltagelsesvalg_id"]):
        return kodefejl
    valgbare = valgbare_moedeformer(
        borger, moededato(indkaldelse["starttid"]), kun_personligt=indkaldelse["kun_personligt"],
        fastsat_moedeform=indkaldelse["moedeform_id"],
        tilbudte_moedeformer=tilbud["tilladte_moedeformer"] if tilbud else None,
    )
    if moedeform_id not in valgbare:
        if indkaldelse["kun_personligt"]:
            return [k.fejl(k.KUN_PERSONLIGT_FREMMOEDE, "moedeformId")]
        return [k.fejl(k.MOEDEVALG_IKKE_RET, "moedeformId", tilladte=_liste(valgbare))]
    return []


def _liste(ids: Sequence[int]) -> str:
    return ", ".join(str(i) for i in sorted(ids))


# --- messages (WSRM) ---------------------------------------------------------------------------

def indkaldelse_besked(handling: str, indkaldelse: Mapping[str, Any]) -> dict[str, Any]:
    """The content of a summons message. Texts are normalised, so no stored value can make the
    message invalid (R1.1-h)."""
    return {
        "handling": handling, "indkaldelseId": indkaldelse["id"], "cpr": indkaldelse["cpr"],
        "jobcenter": indkaldelse["jobcenter_nummer"], "moedetilbudId": indkaldelse["moedetilbud_id"],
        "starttid": dansk_tid(indkaldelse["starttid"]).isoformat(), "sluttid": dansk_tid(indkaldelse["sluttid"]).isoformat(),
        "moedeform": indkaldelse["moedeform_id"], "samtaletype": indkaldelse["samtaletype_id"],
        "sted": normaliser_tekst(indkaldelse["sted"]),
        "lokationsuddybning": normaliser_tekst(indkaldelse["lokationsuddybning"]),
        "moedelink": normaliser_tekst(indkaldelse["moedelink"]), "kunPersonligt": indkaldelse["kun_personligt"],
        "moededeltagelsesvalg": indkaldelse["moededeltagelsesvalg_id"], "status": indkaldelse["status"],
    }


def indkaldelse_modtagere(borger: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """Summons changes go to the citizen's jobcentre authority (first three digits) and, for a
    dagpengemodtager (kontaktgruppe 1) with an a-kasse, to the a-kasse."""
    modtagere: list[tuple[str, str | None]] = [("jobcenter", borger["jobcenter_nummer"][:3])]
    if borger["kontaktgruppe_id"] == DAGPENGEMODTAGER and borger["akasse_nummer"]:
        modtagere.append(("akasse", borger["akasse_nummer"]))
    return modtagere


async def _koe_indkaldelsesbeskeder(tx, borger: Mapping[str, Any], beskedtype: str, indkaldelse: Mapping[str, Any]) -> None:
    indhold = indkaldelse_besked(beskedtype, indkaldelse)
    for modtagertype, modtager in indkaldelse_modtagere(borger):
        await koe_besked(tx, modtagertype=modtagertype, modtager=modtager, beskedtype=beskedtype,
                         cpr=indkaldelse["cpr"], indhold=indhold)


# --- mutation bodies ---------------------------------------------------------------------------

AKTIV, AFLYST = "aktiv", "aflyst"
# Offers concern no citizen: their history rows carry no CPR number, so they never appear in a
# citizen's history but keep the planner's changes auditable.
INGEN_BORGER = None
# Fields of an offer that booked summons follow when the planner changes them.
TILBUD_TIL_INDKALDELSE = ("starttid", "sluttid", "sted", "lokationsuddybning", "moedelink")


# GraphQL names of the columns an update may not set to null.
FELTNAVNE = {
    "starttid": "starttid", "sluttid": "sluttid", "tilladte_moedeformer": "tilladteMoedeformer",
    "moedeform_id": "moedeformId", "samtaletype_id": "samtaletypeId", "kapacitet": "kapacitet",
    "kun_personligt": "kunPersonligt",
}
TILBUD_IKKE_NULL = frozenset(FELTNAVNE)
INDKALDELSE_IKKE_NULL = frozenset({"starttid", "sluttid", "moedeform_id", "samtaletype_id", "kun_personligt"})


def uden_null(aendringer: Mapping[str, Any], ikke_null: frozenset[str]) -> tuple[dict[str, Any], list[Fejl]]:
    """The changes without explicit nulls of required fields, and an error for each of those."""
    fejl = [k.fejl(k.FELT_PAAKRAEVET, FELTNAVNE[f]) for f, v in aendringer.items() if v is None and f in ikke_null]
    return {f: v for f, v in aendringer.items() if not (v is None and f in ikke_null)}, fejl


def _kraev_skrivning(actor: Actor, handling: str, beskrivelse: str, borger: Mapping[str, Any] | None, **fakta: Any) -> None:
    if not kan_skrive(actor, handling, borger, **fakta):
        raise Afvist([k.fejl(k.INGEN_ADGANG, None, rolle=actor.rolle.value, handling=beskrivelse)])


def _nu() -> datetime:
    return datetime.now(DANMARK)


async def _tilbud_til_skrivning(tx, tilbud_id: int | None, felt: str, actor: Actor | None = None) -> Mapping[str, Any]:
    """The offer, locked for the rest of the transaction (bookings of one offer queue here). With
    ``actor`` (who named the offer): one that actor may not see is not found, as one that does not
    exist."""
    m = t.Moedetilbud.__table__
    pk = gyldigt_id(tilbud_id)
    row = None if pk is None else await tx.first(select(m).where(m.c.id == pk).with_for_update())
    if row is None or (actor is not None and not kan_se_moedetilbud(actor, row)):
        raise Afvist([k.fejl(k.IKKE_FUNDET, felt, entitet="Mødetilbuddet")])
    return row


def _normaliser_tilbud(felter: Mapping[str, Any]) -> dict[str, Any]:
    ny = _normaliser_indkaldelse(felter)
    if ny.get("tilladte_moedeformer") is not None:
        ny["tilladte_moedeformer"] = sorted(set(ny["tilladte_moedeformer"]))
    return ny


async def moedetilbud_publiser(ctx, *, jobcenter_nummer: str | None, felter: Mapping[str, Any],
                               idempotensnoegle: str | None = None) -> Udfald:
    """R1.1-g: the planner system publishes an offer for self-booking."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        nummer = jobcenter_nummer
        if nummer is None and actor.rolle in (Rolle.PLANNER, Rolle.JOBCENTER):
            nummer = actor.myndighed
        if nummer is None:
            raise Afvist([k.fejl(k.FELT_PAAKRAEVET, "jobcenterNummer")])
        if (problem := jobcenter_fejl(nummer)) is not None:
            raise Afvist([k.fejl(k.UGYLDIGT_FORMAT, "jobcenterNummer", besked=problem)])
        j = t.Jobcenter.__table__
        if await tx.first(select(j.c.nummer).where(j.c.nummer == nummer)) is None:
            raise Afvist([k.fejl(k.IKKE_FUNDET, "jobcenterNummer", entitet="Jobcentret")])
        _kraev_skrivning(actor, "moedetilbudPubliser", "publicere mødetilbud", None, jobcenter_nummer=nummer)
        tilbud = _normaliser_tilbud({"kun_personligt": False, "lokationsuddybning": None, "moedelink": None, **felter})
        afvis_hvis(valider_moedetilbud(tilbud, koder=ctx.kodecache, idag=idag(), nu=_nu()))
        m = t.Moedetilbud.__table__
        row = await tx.first(insert(m).values(jobcenter_nummer=nummer, antal_booket=0, **tilbud).returning(m))
        await skriv_historik(tx, actor, cpr=INGEN_BORGER, entitet="Moedetilbud", entitet_id=row["id"],
                             handling="oprettet", foer=None, efter=row)
        return Udfald("Moedetilbud", row["id"], row)

    return await udfoer(ctx, "moedetilbudPubliser", krop, idempotensnoegle=idempotensnoegle)


async def moedetilbud_opdater(ctx, *, tilbud_id: int | None, aendringer: Mapping[str, Any],
                              idempotensnoegle: str | None = None) -> Udfald:
    """The planner changes an offer. Summons already booked on it follow its time, place and
    link (each with a history entry and a message); their meeting form stays as booked."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        foer = await _tilbud_til_skrivning(tx, tilbud_id, "id", actor)
        _kraev_skrivning(actor, "moedetilbudOpdater", "ændre mødetilbud", None, jobcenter_nummer=foer["jobcenter_nummer"])
        aendret, nullfejl = uden_null(_normaliser_tilbud(aendringer), TILBUD_IKKE_NULL)
        ny = {**foer, **aendret}
        afvis_hvis(nullfejl + valider_moedetilbud(ny, koder=ctx.kodecache, idag=idag(), nu=_nu(), foer=foer))
        m = t.Moedetilbud.__table__
        efter = await opdater_med_historik(
            tx, actor, m, foer, aendret, entitet="Moedetilbud", cpr=INGEN_BORGER,
        )
        foelger = {
            felt: efter[felt] for felt in TILBUD_TIL_INDKALDELSE
            if efter[felt] != foer[felt] and not (felt == "moedelink" and efter[felt] is None)
        }
        if foelger:
            await _opdater_bookinger(tx, actor, efter["id"], foelger)
        return Udfald("Moedetilbud", efter["id"], efter)

    return await udfoer(ctx, "moedetilbudOpdater", krop, idempotensnoegle=idempotensnoegle)


async def _opdater_bookinger(tx, actor: Actor, tilbud_id: int, foelger: Mapping[str, Any]) -> None:
    i, b = t.Indkaldelse.__table__, t.Borger.__table__
    rows = await tx.all(
        select(i, b.c.jobcenter_nummer.label("borger_jobcenter"), b.c.kontaktgruppe_id, b.c.akasse_nummer)
        .join(b, b.c.cpr == i.c.cpr)
        .where(i.c.moedetilbud_id == tilbud_id, i.c.status == AKTIV).order_by(i.c.id).with_for_update(of=i)
    )
    for row in rows:
        foer = {c.name: row[c.name] for c in i.columns}
        efter = await opdater_med_historik(
            tx, actor, i, foer, {**foelger, "opdateret": func.now()}, entitet="Indkaldelse", cpr=foer["cpr"],
        )
        borger = {"jobcenter_nummer": row["borger_jobcenter"], "kontaktgruppe_id": row["kontaktgruppe_id"],
                  "akasse_nummer": row["akasse_nummer"]}
        await _koe_indkaldelsesbeskeder(tx, borger, "IndkaldelseOpdateret", efter)


async def moedeform_maalgruppe_opdater(ctx, *, cpr: str, i_maalgruppe: bool,
                                       idempotensnoegle: str | None = None) -> Udfald:
    """R1.1-b/g: the planner puts the citizen in or out of the target group for choice of
    meeting form."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        foer = await borger_til_skrivning(tx, actor, cpr, "moedeformMaalgruppeOpdater",
                                          "ændre borgerens målgruppe for valg af mødeform")
        b = t.Borger.__table__
        efter = await opdater_med_historik(
            tx, actor, b, foer, {"moedeform_maalgruppe": i_maalgruppe}, entitet="Borger", cpr=cpr, noegle="cpr",
        )
        return Udfald("Borger", cpr, efter)

    return await udfoer(ctx, "moedeformMaalgruppeOpdater", krop, idempotensnoegle=idempotensnoegle)


async def moedetilbud_book(ctx, *, moedetilbud_id: int | None, moedeform_id: int | None, cpr: str | None,
                           idempotensnoegle: str | None = None) -> Udfald:
    """BorgerBookingService (R1.1-a/b/c/g): the citizen books an offer, in a form they may
    choose, creating a summons. The offer row is locked while the seat is counted, so concurrent
    bookings of the last seat give exactly one booking."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        hvem = cpr if cpr is not None else actor.cpr
        if hvem is None:
            raise Afvist([k.fejl(k.FELT_PAAKRAEVET, "cpr")])
        borger = await borger_til_skrivning(tx, actor, hvem, "moedetilbudBook", "booke møder for borgeren")
        tilbud = await _tilbud_til_skrivning(tx, moedetilbud_id, "moedetilbudId", actor)
        _kraev_skrivning(actor, "moedetilbudBook", "booke møder for borgeren", borger, moedetilbud=tilbud)
        i, m = t.Indkaldelse.__table__, t.Moedetilbud.__table__
        allerede = await tx.first(select(i.c.id).where(
            i.c.moedetilbud_id == tilbud["id"], i.c.cpr == hvem, i.c.status == AKTIV,
        ).limit(1))
        form = moedeform_id if moedeform_id is not None else tilbud["moedeform_id"]
        afvis_hvis(valider_booking(borger, tilbud, form, nu=_nu(), allerede_booket=allerede is not None))
        # The seat, counted in the database too: never more bookings than capacity.
        efter_tilbud = await tx.first(
            update(m).where(m.c.id == tilbud["id"], m.c.antal_booket < m.c.kapacitet)
            .values(antal_booket=m.c.antal_booket + 1).returning(m)
        )
        if efter_tilbud is None:
            raise Afvist([k.fejl(k.MOEDETILBUD_FULDT, "moedetilbudId")])
        row = await tx.first(insert(i).values(
            cpr=hvem, jobcenter_nummer=tilbud["jobcenter_nummer"], moedetilbud_id=tilbud["id"],
            starttid=tilbud["starttid"], sluttid=tilbud["sluttid"], moedeform_id=form,
            samtaletype_id=tilbud["samtaletype_id"], sted=normaliser_tekst(tilbud["sted"]),
            lokationsuddybning=normaliser_tekst(tilbud["lokationsuddybning"]), moedelink=tilbud["moedelink"],
            kun_personligt=tilbud["kun_personligt"],
            moededeltagelsesvalg_id=moedeform_id, status=AKTIV, oprettet_af=tilbud["jobcenter_nummer"][:3],
        ).returning(i))
        await skriv_historik(tx, actor, cpr=hvem, entitet="Indkaldelse", entitet_id=row["id"], handling="booket",
                             foer=None, efter=row)
        await skriv_historik(tx, actor, cpr=INGEN_BORGER, entitet="Moedetilbud", entitet_id=tilbud["id"],
                             handling="booket", foer=tilbud, efter=efter_tilbud)
        await _koe_indkaldelsesbeskeder(tx, borger, "IndkaldelseOprettet", row)
        return Udfald("Indkaldelse", row["id"], row)

    return await udfoer(ctx, "moedetilbudBook", krop, idempotensnoegle=idempotensnoegle)


def _normaliser_indkaldelse(felter: Mapping[str, Any]) -> dict[str, Any]:
    ny = dict(felter)
    for felt in ("sted", "lokationsuddybning", "moedelink"):
        if felt in ny:
            ny[felt] = normaliser_tekst(ny[felt])
    for felt in ("starttid", "sluttid"):
        if ny.get(felt) is not None:
            ny[felt] = dansk_tid(ny[felt])
    return ny


async def indkaldelse_opret(ctx, *, cpr: str, felter: Mapping[str, Any], idempotensnoegle: str | None = None) -> Udfald:
    """IndkaldelseService (R1.1-f): the caseworker summons the citizen to a meeting, with the
    meeting-form rules R1.1-c/d/e. The legacy createBooking runs exactly this."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        borger = await borger_til_skrivning(tx, actor, cpr, "indkaldelseOpret", "indkalde borgeren til møder")
        ny = _normaliser_indkaldelse({"kun_personligt": False, "sted": None, "lokationsuddybning": None,
                                      "moedelink": None, **felter})
        afvis_hvis(valider_indkaldelse(ny, koder=ctx.kodecache, idag=idag()))
        i = t.Indkaldelse.__table__
        row = await tx.first(insert(i).values(
            cpr=cpr, jobcenter_nummer=borger["jobcenter_nummer"], status=AKTIV,
            oprettet_af=actor.myndighedskode or actor.subjekt, **ny,
        ).returning(i))
        await skriv_historik(tx, actor, cpr=cpr, entitet="Indkaldelse", entitet_id=row["id"], handling="oprettet",
                             foer=None, efter=row)
        await _koe_indkaldelsesbeskeder(tx, borger, "IndkaldelseOprettet", row)
        return Udfald("Indkaldelse", row["id"], row)

    return await udfoer(ctx, "indkaldelseOpret", krop, idempotensnoegle=idempotensnoegle)


async def _indkaldelse_til_skrivning(tx, actor: Actor, indkaldelse_id: int | None, handling: str, beskrivelse: str,
                                     *, laas_tilbud: bool = False):
    """The summons, locked, and its citizen. With ``laas_tilbud`` the offer it was booked on is
    locked first, in the order bookings lock (offer, then summons)."""
    i = t.Indkaldelse.__table__
    pk = gyldigt_id(indkaldelse_id)
    tilbud = None
    if pk is not None and laas_tilbud:
        tilbud_id = (await tx.first(select(i.c.moedetilbud_id).where(i.c.id == pk)) or {}).get("moedetilbud_id")
        if tilbud_id is not None:
            tilbud = await _tilbud_til_skrivning(tx, tilbud_id, "id")
    row = None if pk is None else await tx.first(select(i).where(i.c.id == pk).with_for_update())
    if row is None:
        raise Afvist([k.fejl(k.IKKE_FUNDET, "id", entitet="Indkaldelsen")])
    borger = await borger_til_skrivning(tx, actor, row["cpr"], handling, beskrivelse, felt="id", entitet="Indkaldelsen",
                                        ressource="indkaldelser")
    _kraev_skrivning(actor, handling, beskrivelse, borger, indkaldelse=row)
    return row, borger, tilbud


async def indkaldelse_opdater(ctx, *, indkaldelse_id: int | None, aendringer: Mapping[str, Any],
                              idempotensnoegle: str | None = None) -> Udfald:
    """Change a summons (not a cancelled one). An expired form already on it may stay while
    other fields change (R1.1-d). The legacy updateBooking runs exactly this."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        foer, borger, _ = await _indkaldelse_til_skrivning(tx, actor, indkaldelse_id, "indkaldelseOpdater", "ændre borgerens indkaldelser")
        aendret, nullfejl = uden_null(_normaliser_indkaldelse(aendringer), INDKALDELSE_IKKE_NULL)
        ny = {**foer, **aendret}
        afvis_hvis(nullfejl + valider_indkaldelse(ny, koder=ctx.kodecache, idag=idag(), foer=foer))
        if ny["kun_personligt"] and ny["moededeltagelsesvalg_id"] not in (None, PERSONLIG_KONTAKT):
            # R1.1-c: the jobcentre's concrete decision overrides an earlier choice of another form.
            aendret["moededeltagelsesvalg_id"] = None
        i = t.Indkaldelse.__table__
        efter = await opdater_med_historik(
            tx, actor, i, foer, {**aendret, "opdateret": func.now()}, entitet="Indkaldelse", cpr=foer["cpr"],
        )
        await _koe_indkaldelsesbeskeder(tx, borger, "IndkaldelseOpdateret", efter)
        return Udfald("Indkaldelse", efter["id"], efter)

    return await udfoer(ctx, "indkaldelseOpdater", krop, idempotensnoegle=idempotensnoegle)


async def indkaldelse_aflys(ctx, *, indkaldelse_id: int | None, idempotensnoegle: str | None = None) -> Udfald:
    """Cancel a summons (also one carrying an expired form, R1.1-d). A booked seat is freed."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        foer, borger, tilbud = await _indkaldelse_til_skrivning(
            tx, actor, indkaldelse_id, "indkaldelseAflys", "aflyse borgerens indkaldelser", laas_tilbud=True,
        )
        if foer["status"] == AFLYST:
            raise Afvist([k.fejl(k.INDKALDELSE_AFLYST, "id")])
        i, m = t.Indkaldelse.__table__, t.Moedetilbud.__table__
        efter = await opdater_med_historik(
            tx, actor, i, foer, {"status": AFLYST, "opdateret": func.now()},
            entitet="Indkaldelse", cpr=foer["cpr"], handling="aflyst",
        )
        if tilbud is not None and tilbud["antal_booket"] > 0:
            efter_tilbud = await tx.first(
                update(m).where(m.c.id == tilbud["id"]).values(antal_booket=m.c.antal_booket - 1).returning(m)
            )
            await skriv_historik(tx, actor, cpr=INGEN_BORGER, entitet="Moedetilbud", entitet_id=tilbud["id"],
                                 handling="afbooket", foer=tilbud, efter=efter_tilbud)
        await _koe_indkaldelsesbeskeder(tx, borger, "IndkaldelseAflyst", efter)
        return Udfald("Indkaldelse", efter["id"], efter)

    return await udfoer(ctx, "indkaldelseAflys", krop, idempotensnoegle=idempotensnoegle)


async def moededeltagelsesvalg_registrer(ctx, *, indkaldelse_id: int | None, moedeform_id: int,
                                         idempotensnoegle: str | None = None) -> Udfald:
    """R1.1-f: register the citizen's meeting-participation choice. The jobcentre's set form
    stays on the summons; the choice is stored beside it and sent to the jobcentre (and the
    a-kasse), which arranges the meeting accordingly."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        foer, borger, _ = await _indkaldelse_til_skrivning(
            tx, actor, indkaldelse_id, "moededeltagelsesvalgRegistrer", "registrere borgerens mødedeltagelsesvalg",
        )
        m = t.Moedetilbud.__table__
        tilbud = None
        if foer["moedetilbud_id"] is not None:
            tilbud = await tx.first(select(m).where(m.c.id == foer["moedetilbud_id"]))
        afvis_hvis(valider_moededeltagelsesvalg(foer, borger, tilbud, moedeform_id, koder=ctx.kodecache, idag=idag()))
        i = t.Indkaldelse.__table__
        efter = await opdater_med_historik(
            tx, actor, i, foer, {"moededeltagelsesvalg_id": moedeform_id, "opdateret": func.now()},
            entitet="Indkaldelse", cpr=foer["cpr"], handling="moededeltagelsesvalg",
        )
        await _koe_indkaldelsesbeskeder(tx, borger, "MoededeltagelsesvalgRegistreret", efter)
        return Udfald("Indkaldelse", efter["id"], efter)

    return await udfoer(ctx, "moededeltagelsesvalgRegistrer", krop, idempotensnoegle=idempotensnoegle)
