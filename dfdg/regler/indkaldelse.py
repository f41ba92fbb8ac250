"""Rules about meetings and meeting forms (section 1.1 of the release) as pure functions: which
forms a citizen may choose (R1.1-a/b/c), what an offer, a summons, a booking and a participation
choice must satisfy (R1.1-a–g), how their texts and times are taken (R1.1-h, Danish time), and the
messages a summons sends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from dfdg.regler import fejlkoder as k
from dfdg.regler.borger import har_ret_til_valg_af_moedeform
from dfdg.regler.fejlkoder import Fejl
from dfdg.regler.identer import jobcenter_myndighed, samme_myndighed
from dfdg.regler.koder import DAGPENGEMODTAGER, Kodecache, kode_fejl
from dfdg.regler.tekst import normaliser_tekst, tekst_fejl
from dfdg.regler.tid import dansk_dato, dansk_tid

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


def moededato(starttid: datetime) -> date:
    """The meeting's date in Denmark: the day R1.1-b counts the 6 months of unemployment to."""
    return dansk_dato(starttid)


# --- the write side ----------------------------------------------------------------------------

AKTIV, AFLYST = "aktiv", "aflyst"
# The place's texts (sted, lokationsuddybning) may be longer than other free texts.
MAKS_STEDTEKST = 500
MAKS_LINK = 2000
# Fields of an offer that booked summons follow when the planner changes them.
TILBUD_TIL_INDKALDELSE = ("starttid", "sluttid", "sted", "lokationsuddybning", "moedelink")


def tilbud_foelger(foer: Mapping[str, Any], efter: Mapping[str, Any]) -> dict[str, Any]:
    """What the summons booked on an offer take over when the planner changes it: the changed time,
    place and link (a link the offer no longer carries stays on the summons)."""
    return {
        felt: efter[felt] for felt in TILBUD_TIL_INDKALDELSE
        if efter[felt] != foer[felt] and not (felt == "moedelink" and efter[felt] is None)
    }


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


def normaliser_indkaldelse(felter: Mapping[str, Any]) -> dict[str, Any]:
    ny = dict(felter)
    for felt in ("sted", "lokationsuddybning", "moedelink"):
        if felt in ny:
            ny[felt] = normaliser_tekst(ny[felt])
    for felt in ("starttid", "sluttid"):
        if ny.get(felt) is not None:
            ny[felt] = dansk_tid(ny[felt])
    return ny


def normaliser_tilbud(felter: Mapping[str, Any]) -> dict[str, Any]:
    ny = normaliser_indkaldelse(felter)
    if ny.get("tilladte_moedeformer") is not None:
        ny["tilladte_moedeformer"] = sorted(set(ny["tilladte_moedeformer"]))
    return ny


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


def _tekst_fejl(felter: Mapping[str, str | None]) -> list[Fejl]:
    return [fejl for felt, v in felter.items() for fejl in tekst_fejl(felt, v, paakraevet=False, maks=MAKS_STEDTEKST)]


def _tid_fejl(starttid: datetime, sluttid: datetime) -> list[Fejl]:
    return [k.fejl(k.MOEDETIDSPUNKT_UGYLDIGT, "sluttid")] if dansk_tid(sluttid) <= dansk_tid(starttid) else []


def moedeform_fejl(
    moedeform_id: int, koder: Kodecache, idag: date, *, felt: str = "moedeformId", eksisterende: int | None = None
) -> list[Fejl]:
    """R1.1-d: an unknown form, or an expired one (4–7) newly set. An expired form already on the
    registration (``eksisterende``) may stay."""
    return kode_fejl(koder, "moedeformer", moedeform_id, felt, idag=idag, eksisterende=eksisterende)


def samtaletype_fejl(samtaletype_id: int, koder: Kodecache, idag: date, *, eksisterende: int | None = None) -> list[Fejl]:
    return kode_fejl(koder, "samtaletyper", samtaletype_id, "samtaletypeId", idag=idag, eksisterende=eksisterende)


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
    if not samme_myndighed(tilbud["jobcenter_nummer"], borger["jobcenter_nummer"]):
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
    modtagere: list[tuple[str, str | None]] = [("jobcenter", jobcenter_myndighed(borger["jobcenter_nummer"]))]
    if borger["kontaktgruppe_id"] == DAGPENGEMODTAGER and borger["akasse_nummer"]:
        modtagere.append(("akasse", borger["akasse_nummer"]))
    return modtagere
