"""Mutations on the citizen's own registrations: contact persons (R1.2-a), membership intake
(R1.3-a) and activities in Min plan (R3.1-a)."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from dfdg.loaders import borger as bl
from dfdg.resolvers import borger as resolvers
from dfdg.resolvers.mutation import Udfald
from dfdg.schema.base import Info
from dfdg.schema.borger import Indsats, Kontaktperson, Medlemskab
from dfdg.schema.mutation.faelles import (
    IDEMPOTENS_BESKRIVELSE,
    Fejl,
    fejl_liste,
    idempotensnoegle,
    pk_fra_id,
    skrevet,
)


def _saette(input: Any, felter: tuple[str, ...]) -> dict[str, Any]:
    """The fields an update input sets (an omitted field stays as it is)."""
    return {felt: getattr(input, felt) for felt in felter if getattr(input, felt) is not strawberry.UNSET}


# --- kontaktperson ----------------------------------------------------------------------------

@strawberry.input(description="Oprettelse af en fagprofessionel kontaktperson (FagprofessionelKontakt). Den oprettende myndighed ejer den (R1.2-a).")
class KontaktpersonOpretInput:
    cpr: str
    navn: str
    rolle: str | None = None
    telefon: str | None = strawberry.field(default=None, description="8-20 cifre, evt. med + og mellemrum.")
    email: str | None = None
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.input(description="Ændring af en kontaktperson; kun de angivne felter ændres (null eller tom tekst fjerner et valgfrit felt).")
class KontaktpersonOpdaterInput:
    navn: str | None = strawberry.UNSET
    rolle: str | None = strawberry.UNSET
    telefon: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.type
class KontaktpersonPayload:
    kontaktperson: Kontaktperson | None
    fejl: list[Fejl]


async def _kontaktperson(info: Info, udfald: Udfald) -> KontaktpersonPayload:
    return KontaktpersonPayload(
        kontaktperson=await skrevet(info, udfald, bl.KontaktpersonByIdLoader, Kontaktperson), fejl=fejl_liste(udfald)
    )


# --- medlemstilgang -------------------------------------------------------------------------

@strawberry.input(description="Medlemstilgang (MT) fra a-kassen: kalderens a-kasse registrerer borgerens indmeldelse (R1.3-a).")
class MedlemstilgangRegistrerInput:
    cpr: str
    indmeldt: date = strawberry.field(description="Datoen for indmeldelsen i a-kassen.")
    dagpengeretsdato: date | None = strawberry.field(
        default=None, description="UnemploymentBenefitRightsStartDate; må gerne ligge før i dag (R1.3-a)."
    )
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.type
class MedlemskabPayload:
    medlemskab: Medlemskab | None
    fejl: list[Fejl]


# --- indsatser ------------------------------------------------------------------------------

@strawberry.input(description="Oprettelse af en indsats (aktivitet) i borgerens plan (Min plan).")
class IndsatsOpretInput:
    cpr: str
    betegnelse: str
    startdato: date
    slutdato: date | None = strawberry.field(default=None, description="Planlagt slutdato; indsatsen afsluttes med indsatsAfslut.")
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.input(description="Afslutning af en indsats med en ophørsårsag (R3.1-a).")
class IndsatsAfslutInput:
    slutdato: date
    ophoersaarsag_id: int = strawberry.field(description="Ophørsårsag; 14 og 15 kan kun registreres af VITAS (R3.1-a).")
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.type
class IndsatsPayload:
    indsats: Indsats | None
    fejl: list[Fejl]


async def _indsats(info: Info, udfald: Udfald) -> IndsatsPayload:
    return IndsatsPayload(indsats=await skrevet(info, udfald, bl.IndsatsByIdLoader, Indsats), fejl=fejl_liste(udfald))


@strawberry.type
class BorgerMutation:
    @strawberry.mutation(description="Opret en fagprofessionel kontaktperson for borgeren; kalderens myndighed bliver ejer (R1.2-a).")
    async def kontaktperson_opret(self, info: Info, input: KontaktpersonOpretInput) -> KontaktpersonPayload:
        udfald = await resolvers.kontaktperson_opret(
            info.context, cpr=input.cpr,
            felter={felt: getattr(input, felt) for felt in resolvers.KONTAKTPERSON_FELTER},
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        return await _kontaktperson(info, udfald)

    @strawberry.mutation(description=(
        "Ret en kontaktperson. Kun den myndighed, der oprettede den, kan rette den; ellers fejl 60018 "
        "'FagprofessionelKontaktId tilhører en anden myndighed' (R1.2-a). En kontaktperson, kalderen ikke kan se "
        "(for a-kassen: en andens), findes ikke for den (61001)."
    ))
    async def kontaktperson_opdater(self, info: Info, id: strawberry.ID, input: KontaktpersonOpdaterInput) -> KontaktpersonPayload:
        udfald = await resolvers.kontaktperson_opdater(
            info.context, kontaktperson_id=pk_fra_id(id, "Kontaktperson"),
            aendringer=_saette(input, resolvers.KONTAKTPERSON_FELTER),
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        return await _kontaktperson(info, udfald)

    @strawberry.mutation(description=(
        "A-kassens medlemstilgang (MT): opretter medlemskabet, sætter borgerens a-kasse og giver jobcentret "
        "en webservicebesked (MedlemstilgangRegistreret). En dagpengeretsdato før i dag accepteres (R1.3-a). "
        "Kommer borgeren fra en anden a-kasse, ophører medlemskabet dér dagen før indmeldelsen, og den a-kasse "
        "får en webservicebesked (MedlemskabOphoert) og ser ikke længere borgeren."
    ))
    async def medlemstilgang_registrer(self, info: Info, input: MedlemstilgangRegistrerInput) -> MedlemskabPayload:
        udfald = await resolvers.medlemstilgang_registrer(
            info.context, cpr=input.cpr, indmeldt=input.indmeldt, dagpengeretsdato=input.dagpengeretsdato,
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        return MedlemskabPayload(
            medlemskab=await skrevet(info, udfald, bl.MedlemskabByIdLoader, Medlemskab), fejl=fejl_liste(udfald)
        )

    @strawberry.mutation(description="Opret en indsats i borgerens plan (Min plan).")
    async def indsats_opret(self, info: Info, input: IndsatsOpretInput) -> IndsatsPayload:
        udfald = await resolvers.indsats_opret(
            info.context, cpr=input.cpr, betegnelse=input.betegnelse, startdato=input.startdato, slutdato=input.slutdato,
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        return await _indsats(info, udfald)

    @strawberry.mutation(description=(
        "Afslut en indsats med slutdato og ophørsårsag. Ophørsårsag 14 'Bevilling ikke godkendt' og 15 "
        "'Aktivitetsperioden afsluttet ordinært' kan kun registreres af VITAS (R3.1-a); borgerens jobcenter får "
        "webservicebeskeden IndsatsAfsluttet."
    ))
    async def indsats_afslut(self, info: Info, id: strawberry.ID, input: IndsatsAfslutInput) -> IndsatsPayload:
        udfald = await resolvers.indsats_afslut(
            info.context, indsats_id=pk_fra_id(id, "Indsats"), slutdato=input.slutdato,
            ophoersaarsag_id=input.ophoersaarsag_id, idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        return await _indsats(info, udfald)
