"""The writes on the citizen's own registrations: contact persons (R1.2-a), membership intake
(R1.3-a) and activities (R3.1-a). Their rules are dfdg.regler.borger's."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from dfdg.context import idag
from dfdg.db.borger import (
    akasse_findes,
    borgerens_medlemskaber,
    laas_borger,
    laas_indsats,
    laas_kontaktperson,
    opret_indsats,
    opret_kontaktperson,
    opret_medlemskab,
)
from dfdg.db.mutation import opdater_med_historik, skriv_historik
from dfdg.regler import fejlkoder as k
from dfdg.regler.aktoer import Rolle
from dfdg.regler.borger import (
    KONTAKTPERSON_FELTER,
    indsats_besked,
    medlemskab_ophoert_besked,
    medlemstilgang_besked,
    overflyttede_medlemskaber,
    valider_indsats,
    valider_indsats_afslutning,
    valider_kontaktperson,
    valider_medlemstilgang,
)
from dfdg.regler.identer import jobcenter_myndighed
from dfdg.regler.tekst import normaliser_tekst
from dfdg.resolvers.mutation import Afvist, Udfald, afvis_hvis, borger_til_skrivning, udfoer
from dfdg.resolvers.webservicebesked import koe_besked

# --- kontaktperson (FagprofessionelKontakt, R1.2-a) -----------------------------------------

async def kontaktperson_opret(ctx, *, cpr: str, felter: Mapping[str, str | None],
                              idempotensnoegle: str | None = None) -> Udfald:
    actor = ctx.kraev_actor()
    vaerdier = {felt: normaliser_tekst(felter.get(felt)) for felt in KONTAKTPERSON_FELTER}

    async def krop(tx) -> Udfald:
        borger = await borger_til_skrivning(tx, actor, cpr, "kontaktpersonOpret", "oprette en kontaktperson på borgeren")
        if actor.myndighedskode is None:
            # A FagprofessionelKontakt belongs to an authority; a caller without one cannot own it.
            raise Afvist([k.fejl(k.INGEN_ADGANG, None, rolle=actor.rolle.value, handling="oprette en kontaktperson")])
        afvis_hvis(valider_kontaktperson(vaerdier))
        row = await opret_kontaktperson(tx, cpr=borger["cpr"], oprettet_af=actor.myndighedskode,
                                        oprettet_af_rolle=actor.rolle.value, vaerdier=vaerdier)
        await skriv_historik(tx, actor, cpr=cpr, entitet="Kontaktperson", entitet_id=row["id"], handling="oprettet", foer=None, efter=row)
        return Udfald("Kontaktperson", row["id"], row)

    return await udfoer(ctx, "kontaktpersonOpret", krop, idempotensnoegle=idempotensnoegle)


async def kontaktperson_opdater(ctx, *, kontaktperson_id: int | None, aendringer: Mapping[str, str | None],
                                idempotensnoegle: str | None = None) -> Udfald:
    """Change the given fields; R1.2-a: only the creating authority may (60018 otherwise)."""
    actor = ctx.kraev_actor()
    aendringer = {felt: normaliser_tekst(value) for felt, value in aendringer.items() if felt in KONTAKTPERSON_FELTER}

    async def krop(tx) -> Udfald:
        foer = None if kontaktperson_id is None else await laas_kontaktperson(tx, kontaktperson_id)
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
            tx, actor, foer, aendringer, entitet="Kontaktperson", cpr=foer["cpr"],
        )
        return Udfald("Kontaktperson", efter["id"], efter)

    return await udfoer(ctx, "kontaktpersonOpdater", krop, idempotensnoegle=idempotensnoegle)


# --- medlemstilgang (membership intake, R1.3-a) -----------------------------------------------

async def medlemstilgang_registrer(ctx, *, cpr: str, indmeldt: date, dagpengeretsdato: date | None,
                                   idempotensnoegle: str | None = None) -> Udfald:
    """The a-kasse (the caller; its number is the token's) registers a citizen's membership: a
    medlemskab row, the citizen's a-kasse set to it, and a message to the citizen's jobcentre. A
    citizen moving from another a-kasse leaves it (``overflyttede_medlemskaber``): that membership
    ends, with its history entry and a message to that a-kasse, which from then on no longer sees
    the citizen (dfdg.regler.adgang: an a-kasse sees its members)."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        if actor.rolle is not Rolle.AKASSE:
            raise Afvist([k.fejl(k.INGEN_ADGANG, None, rolle=actor.rolle.value, handling="registrere medlemstilgang (kun a-kasser)")])
        await borger_til_skrivning(tx, actor, cpr, "medlemstilgangRegistrer", "registrere medlemstilgang for borgeren")
        # The citizen's row is the lock: two intakes of the same citizen run one after the other.
        borger = await laas_borger(tx, cpr)
        if not await akasse_findes(tx, actor.myndighed):
            raise Afvist([k.fejl(k.IKKE_FUNDET, None, entitet=f"A-kasse {actor.myndighed}")])
        medlemskaber = await borgerens_medlemskaber(tx, cpr)
        afvis_hvis(valider_medlemstilgang(indmeldt=indmeldt, medlemskaber=medlemskaber, akasse_nummer=actor.myndighed))
        for gammelt, udmeldt in overflyttede_medlemskaber(indmeldt=indmeldt, medlemskaber=medlemskaber, akasse_nummer=actor.myndighed):
            ophoert = await opdater_med_historik(tx, actor, gammelt, {"udmeldt": udmeldt}, entitet="Medlemskab", cpr=cpr)
            await koe_besked(tx, modtagertype="akasse", modtager=ophoert["akasse_nummer"], beskedtype="MedlemskabOphoert",
                             cpr=cpr, indhold=medlemskab_ophoert_besked(ophoert))
        row = await opret_medlemskab(tx, cpr=cpr, akasse_nummer=actor.myndighed, indmeldt=indmeldt,
                                     dagpengeretsdato=dagpengeretsdato)
        await skriv_historik(tx, actor, cpr=cpr, entitet="Medlemskab", entitet_id=row["id"], handling="oprettet", foer=None, efter=row)
        if borger["akasse_nummer"] != actor.myndighed:
            await opdater_med_historik(
                tx, actor, borger, {"akasse_nummer": actor.myndighed}, entitet="Borger", cpr=cpr,
            )
        await koe_besked(tx, modtagertype="jobcenter", modtager=jobcenter_myndighed(borger["jobcenter_nummer"]),
                         beskedtype="MedlemstilgangRegistreret", cpr=cpr, indhold=medlemstilgang_besked(row))
        return Udfald("Medlemskab", row["id"], row)

    return await udfoer(ctx, "medlemstilgangRegistrer", krop, idempotensnoegle=idempotensnoegle)


# --- indsatser (activities in Min plan, R3.1-a) -----------------------------------------------

async def indsats_opret(ctx, *, cpr: str, betegnelse: str | None, startdato: date, slutdato: date | None,
                        idempotensnoegle: str | None = None) -> Udfald:
    actor = ctx.kraev_actor()
    betegnelse = normaliser_tekst(betegnelse)

    async def krop(tx) -> Udfald:
        await borger_til_skrivning(tx, actor, cpr, "indsatsOpret", "oprette en indsats i borgerens plan")
        afvis_hvis(valider_indsats(betegnelse=betegnelse, startdato=startdato, slutdato=slutdato))
        row = await opret_indsats(tx, cpr=cpr, betegnelse=betegnelse, startdato=startdato, slutdato=slutdato)
        await skriv_historik(tx, actor, cpr=cpr, entitet="Indsats", entitet_id=row["id"], handling="oprettet", foer=None, efter=row)
        return Udfald("Indsats", row["id"], row)

    return await udfoer(ctx, "indsatsOpret", krop, idempotensnoegle=idempotensnoegle)


async def indsats_afslut(ctx, *, indsats_id: int | None, slutdato: date, ophoersaarsag_id: int,
                         idempotensnoegle: str | None = None) -> Udfald:
    """End an activity with a cessation reason; the citizen's jobcentre gets IndsatsAfsluttet
    (the message its case system handles VITAS's state changes from, R3.1-a)."""
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        foer = None if indsats_id is None else await laas_indsats(tx, indsats_id)
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
            tx, actor, foer, {"slutdato": slutdato, "ophoersaarsag_id": ophoersaarsag_id},
            entitet="Indsats", cpr=foer["cpr"], handling="afsluttet",
        )
        await koe_besked(tx, modtagertype="jobcenter", modtager=jobcenter_myndighed(borger["jobcenter_nummer"]),
                         beskedtype="IndsatsAfsluttet", cpr=foer["cpr"], indhold=indsats_besked(efter))
        return Udfald("Indsats", efter["id"], efter)

    return await udfoer(ctx, "indsatsAfslut", krop, idempotensnoegle=idempotensnoegle)
