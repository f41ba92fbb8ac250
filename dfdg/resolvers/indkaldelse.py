"""The bodies of the meeting mutations (offers, self-booking, summons, the participation choice).
Their rules are dfdg.regler.indkaldelse's."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dfdg.context import idag
from dfdg.db.borger import jobcenter_findes
from dfdg.db.indkaldelse import (
    book_plads,
    frigiv_plads,
    har_booking,
    indkaldelsens_moedetilbud,
    laas_bookinger,
    laas_indkaldelse,
    laas_moedetilbud,
    moedetilbud,
    opret_indkaldelse,
    opret_moedetilbud,
)
from dfdg.db.mutation import opdater_med_historik, skriv_historik
from dfdg.regler import fejlkoder as k
from dfdg.regler.adgang import kan_se_moedetilbud, kan_skrive
from dfdg.regler.aktoer import Actor, Rolle
from dfdg.regler.identer import gyldigt_id, jobcenter_fejl, jobcenter_myndighed
from dfdg.regler.indkaldelse import (
    AFLYST,
    AKTIV,
    INDKALDELSE_IKKE_NULL,
    PERSONLIG_KONTAKT,
    TILBUD_IKKE_NULL,
    indkaldelse_besked,
    indkaldelse_modtagere,
    normaliser_indkaldelse,
    normaliser_tilbud,
    tilbud_foelger,
    uden_null,
    valider_booking,
    valider_indkaldelse,
    valider_moededeltagelsesvalg,
    valider_moedetilbud,
)
from dfdg.regler.tekst import normaliser_tekst
from dfdg.regler.tid import DANMARK
from dfdg.resolvers.mutation import Afvist, Udfald, afvis_hvis, borger_til_skrivning, udfoer
from dfdg.resolvers.webservicebesked import koe_besked


async def _koe_indkaldelsesbeskeder(tx, borger: Mapping[str, Any], beskedtype: str, indkaldelse: Mapping[str, Any]) -> None:
    indhold = indkaldelse_besked(beskedtype, indkaldelse)
    for modtagertype, modtager in indkaldelse_modtagere(borger):
        await koe_besked(tx, modtagertype=modtagertype, modtager=modtager, beskedtype=beskedtype,
                         cpr=indkaldelse["cpr"], indhold=indhold)


# --- mutation bodies ---------------------------------------------------------------------------

# Offers concern no citizen: their history rows carry no CPR number, so they never appear in a
# citizen's history but keep the planner's changes auditable.
INGEN_BORGER = None


def _kraev_skrivning(actor: Actor, handling: str, beskrivelse: str, borger: Mapping[str, Any] | None, **fakta: Any) -> None:
    if not kan_skrive(actor, handling, borger, **fakta):
        raise Afvist([k.fejl(k.INGEN_ADGANG, None, rolle=actor.rolle.value, handling=beskrivelse)])


def _nu() -> datetime:
    return datetime.now(DANMARK)


async def _tilbud_til_skrivning(tx, tilbud_id: int | None, felt: str, actor: Actor | None = None) -> Mapping[str, Any]:
    """The offer, locked for the rest of the transaction (bookings of one offer queue here). With
    ``actor`` (who named the offer): one that actor may not see is not found, as one that does not
    exist."""
    pk = gyldigt_id(tilbud_id)
    row = None if pk is None else await laas_moedetilbud(tx, pk)
    if row is None or (actor is not None and not kan_se_moedetilbud(actor, row)):
        raise Afvist([k.fejl(k.IKKE_FUNDET, felt, entitet="Mødetilbuddet")])
    return row


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
        if not await jobcenter_findes(tx, nummer):
            raise Afvist([k.fejl(k.IKKE_FUNDET, "jobcenterNummer", entitet="Jobcentret")])
        _kraev_skrivning(actor, "moedetilbudPubliser", "publicere mødetilbud", None, jobcenter_nummer=nummer)
        tilbud = normaliser_tilbud({"kun_personligt": False, "lokationsuddybning": None, "moedelink": None, **felter})
        afvis_hvis(valider_moedetilbud(tilbud, koder=ctx.kodecache, idag=idag(), nu=_nu()))
        row = await opret_moedetilbud(tx, {"jobcenter_nummer": nummer, "antal_booket": 0, **tilbud})
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
        aendret, nullfejl = uden_null(normaliser_tilbud(aendringer), TILBUD_IKKE_NULL)
        ny = {**foer, **aendret}
        afvis_hvis(nullfejl + valider_moedetilbud(ny, koder=ctx.kodecache, idag=idag(), nu=_nu(), foer=foer))
        efter = await opdater_med_historik(
            tx, actor, foer, aendret, entitet="Moedetilbud", cpr=INGEN_BORGER,
        )
        foelger = tilbud_foelger(foer, efter)
        if foelger:
            await _opdater_bookinger(tx, actor, efter["id"], foelger)
        return Udfald("Moedetilbud", efter["id"], efter)

    return await udfoer(ctx, "moedetilbudOpdater", krop, idempotensnoegle=idempotensnoegle)


async def _opdater_bookinger(tx, actor: Actor, tilbud_id: int, foelger: Mapping[str, Any]) -> None:
    for foer, borger in await laas_bookinger(tx, tilbud_id, status=AKTIV):
        efter = await opdater_med_historik(
            tx, actor, foer, foelger, entitet="Indkaldelse", cpr=foer["cpr"],
        )
        await _koe_indkaldelsesbeskeder(tx, borger, "IndkaldelseOpdateret", efter)


async def moedeform_maalgruppe_opdater(ctx, *, cpr: str, i_maalgruppe: bool,
                                       idempotensnoegle: str | None = None) -> Udfald:
    """R1.1-b/g: the planner puts the citizen in or out of the target group for choice of
    meeting form."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        foer = await borger_til_skrivning(tx, actor, cpr, "moedeformMaalgruppeOpdater",
                                          "ændre borgerens målgruppe for valg af mødeform")
        efter = await opdater_med_historik(
            tx, actor, foer, {"moedeform_maalgruppe": i_maalgruppe}, entitet="Borger", cpr=cpr,
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
        allerede = await har_booking(tx, tilbud["id"], hvem, status=AKTIV)
        form = moedeform_id if moedeform_id is not None else tilbud["moedeform_id"]
        afvis_hvis(valider_booking(borger, tilbud, form, nu=_nu(), allerede_booket=allerede))
        # The seat, counted in the database too: never more bookings than capacity.
        efter_tilbud = await book_plads(tx, tilbud["id"])
        if efter_tilbud is None:
            raise Afvist([k.fejl(k.MOEDETILBUD_FULDT, "moedetilbudId")])
        row = await opret_indkaldelse(tx, dict(
            cpr=hvem, jobcenter_nummer=tilbud["jobcenter_nummer"], moedetilbud_id=tilbud["id"],
            starttid=tilbud["starttid"], sluttid=tilbud["sluttid"], moedeform_id=form,
            samtaletype_id=tilbud["samtaletype_id"], sted=normaliser_tekst(tilbud["sted"]),
            lokationsuddybning=normaliser_tekst(tilbud["lokationsuddybning"]), moedelink=tilbud["moedelink"],
            kun_personligt=tilbud["kun_personligt"],
            moededeltagelsesvalg_id=moedeform_id, status=AKTIV, oprettet_af=jobcenter_myndighed(tilbud["jobcenter_nummer"]),
        ))
        await skriv_historik(tx, actor, cpr=hvem, entitet="Indkaldelse", entitet_id=row["id"], handling="booket",
                             foer=None, efter=row)
        await skriv_historik(tx, actor, cpr=INGEN_BORGER, entitet="Moedetilbud", entitet_id=tilbud["id"],
                             handling="booket", foer=tilbud, efter=efter_tilbud)
        await _koe_indkaldelsesbeskeder(tx, borger, "IndkaldelseOprettet", row)
        return Udfald("Indkaldelse", row["id"], row)

    return await udfoer(ctx, "moedetilbudBook", krop, idempotensnoegle=idempotensnoegle)


async def indkaldelse_opret(ctx, *, cpr: str, felter: Mapping[str, Any], idempotensnoegle: str | None = None) -> Udfald:
    """IndkaldelseService (R1.1-f): the caseworker summons the citizen to a meeting, with the
    meeting-form rules R1.1-c/d/e. The legacy createBooking runs exactly this."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        borger = await borger_til_skrivning(tx, actor, cpr, "indkaldelseOpret", "indkalde borgeren til møder")
        ny = normaliser_indkaldelse({"kun_personligt": False, "sted": None, "lokationsuddybning": None,
                                      "moedelink": None, **felter})
        afvis_hvis(valider_indkaldelse(ny, koder=ctx.kodecache, idag=idag()))
        row = await opret_indkaldelse(tx, dict(
            cpr=cpr, jobcenter_nummer=borger["jobcenter_nummer"], status=AKTIV,
            oprettet_af=actor.myndighedskode or actor.subjekt, **ny,
        ))
        await skriv_historik(tx, actor, cpr=cpr, entitet="Indkaldelse", entitet_id=row["id"], handling="oprettet",
                             foer=None, efter=row)
        await _koe_indkaldelsesbeskeder(tx, borger, "IndkaldelseOprettet", row)
        return Udfald("Indkaldelse", row["id"], row)

    return await udfoer(ctx, "indkaldelseOpret", krop, idempotensnoegle=idempotensnoegle)


async def _indkaldelse_til_skrivning(tx, actor: Actor, indkaldelse_id: int | None, handling: str, beskrivelse: str,
                                     *, laas_tilbud: bool = False):
    """The summons, locked, and its citizen. With ``laas_tilbud`` the offer it was booked on is
    locked first, in the order bookings lock (offer, then summons)."""
    pk = gyldigt_id(indkaldelse_id)
    tilbud = None
    if pk is not None and laas_tilbud:
        tilbud_id = await indkaldelsens_moedetilbud(tx, pk)
        if tilbud_id is not None:
            tilbud = await _tilbud_til_skrivning(tx, tilbud_id, "id")
    row = None if pk is None else await laas_indkaldelse(tx, pk)
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
        aendret, nullfejl = uden_null(normaliser_indkaldelse(aendringer), INDKALDELSE_IKKE_NULL)
        ny = {**foer, **aendret}
        afvis_hvis(nullfejl + valider_indkaldelse(ny, koder=ctx.kodecache, idag=idag(), foer=foer))
        if ny["kun_personligt"] and ny["moededeltagelsesvalg_id"] not in (None, PERSONLIG_KONTAKT):
            # R1.1-c: the jobcentre's concrete decision overrides an earlier choice of another form.
            aendret["moededeltagelsesvalg_id"] = None
        efter = await opdater_med_historik(
            tx, actor, foer, aendret, entitet="Indkaldelse", cpr=foer["cpr"],
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
        efter = await opdater_med_historik(
            tx, actor, foer, {"status": AFLYST},
            entitet="Indkaldelse", cpr=foer["cpr"], handling="aflyst",
        )
        if tilbud is not None and tilbud["antal_booket"] > 0:
            efter_tilbud = await frigiv_plads(tx, tilbud["id"])
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
        tilbud = None
        if foer["moedetilbud_id"] is not None:
            tilbud = await moedetilbud(tx, foer["moedetilbud_id"])
        afvis_hvis(valider_moededeltagelsesvalg(foer, borger, tilbud, moedeform_id, koder=ctx.kodecache, idag=idag()))
        efter = await opdater_med_historik(
            tx, actor, foer, {"moededeltagelsesvalg_id": moedeform_id},
            entitet="Indkaldelse", cpr=foer["cpr"], handling="moededeltagelsesvalg",
        )
        await _koe_indkaldelsesbeskeder(tx, borger, "MoededeltagelsesvalgRegistreret", efter)
        return Udfald("Indkaldelse", efter["id"], efter)

    return await udfoer(ctx, "moededeltagelsesvalgRegistrer", krop, idempotensnoegle=idempotensnoegle)
