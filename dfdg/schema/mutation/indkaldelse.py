"""The meeting mutations (R1.1): the planner's offers and target group, the citizen's
self-booking (BorgerBookingService), the caseworker's summons (IndkaldelseService), the
participation choice, and the deprecated BookingService path that runs the same code."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry

from dfdg.loaders.borger import BorgerByCprLoader
from dfdg.loaders.indkaldelse import IndkaldelseByIdLoader, MoedetilbudByIdLoader
from dfdg.resolvers import indkaldelse as resolvers
from dfdg.resolvers.mutation import Udfald
from dfdg.schema.adgang import synlig_borger
from dfdg.schema.base import Info
from dfdg.schema.borger import Borger
from dfdg.schema.erklaering import from_row
from dfdg.schema.indkaldelse import Indkaldelse, Moedetilbud
from dfdg.schema.mutation.faelles import (
    IDEMPOTENS_BESKRIVELSE,
    Fejl,
    fejl_liste,
    idempotensnoegle,
    pk_fra_id,
    skrevet,
    skrevet_row,
)

BorgerRef = Annotated["Borger", strawberry.lazy("dfdg.schema.borger")]

LOKATIONSUDDYBNING = "Fritekst, der uddyber mødestedet; tom tekst eller kun mellemrum gemmes som fraværende (R1.1-h)."
MOEDELINK = "Link til det digitale møde: en absolut https-URL. Påkrævet ved mødeform 8 (R1.1-e)."


# --- offers and the target group (the planner system, R1.1-g) ----------------------------------

@strawberry.input(description="Et nyt mødetilbud fra jobcentrets plannersystem (R1.1-a/c/e/g).")
class MoedetilbudPubliserInput:
    jobcenter_nummer: str | None = strawberry.field(default=None, description="Jobcentret (5 cifre); standard: kalderens eget jobcenter.")
    starttid: datetime
    sluttid: datetime
    sted: str
    lokationsuddybning: str | None = strawberry.field(default=None, description=LOKATIONSUDDYBNING)
    tilladte_moedeformer: list[int] = strawberry.field(description="De mødeformer, borgeren kan vælge imellem: en delmængde af 1, 2 og 8 (R1.1-a).")
    moedeform_id: int = strawberry.field(description="Mødeformen for borgere uden ret til valg (R1.1-b); skal være blandt de tilladte.")
    samtaletype_id: int
    kapacitet: int = strawberry.field(description="Antal borgere, der kan booke tilbuddet (mindst 1).")
    kun_personligt: bool = strawberry.field(default=False, description="Mødet skal holdes ved personligt fremmøde (LAB § 33, stk. 2): kun mødeform 1 (R1.1-c).")
    moedelink: str | None = strawberry.field(default=None, description=MOEDELINK)
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.input(description="Ændring af et mødetilbud; kun de angivne felter ændres. Bookede indkaldelser følger tid, sted og link.")
class MoedetilbudOpdaterInput:
    starttid: datetime | None = strawberry.UNSET
    sluttid: datetime | None = strawberry.UNSET
    sted: str | None = strawberry.UNSET
    lokationsuddybning: str | None = strawberry.field(default=strawberry.UNSET, description=LOKATIONSUDDYBNING)
    tilladte_moedeformer: list[int] | None = strawberry.UNSET
    moedeform_id: int | None = strawberry.UNSET
    samtaletype_id: int | None = strawberry.UNSET
    kapacitet: int | None = strawberry.field(default=strawberry.UNSET, description="Mindst 1 og mindst antallet af bookinger.")
    kun_personligt: bool | None = strawberry.UNSET
    moedelink: str | None = strawberry.field(default=strawberry.UNSET, description=MOEDELINK)
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.input(description="Plannersystemet sætter borgeren i eller uden for målgruppen for valg af mødeform (R1.1-b).")
class MoedeformMaalgruppeOpdaterInput:
    cpr: str
    i_maalgruppe: bool
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.type
class MoedetilbudPayload:
    moedetilbud: Moedetilbud | None
    fejl: list[Fejl]


@strawberry.type
class MoedeformMaalgruppePayload:
    borger: BorgerRef | None
    fejl: list[Fejl]


# --- self-booking (BorgerBookingService, R1.1-g) -----------------------------------------------

@strawberry.input(description="Borgerens selvbooking af et mødetilbud med valg af mødeform (R1.1-a/b/c/g).")
class MoedetilbudBookInput:
    moedetilbud_id: strawberry.ID = strawberry.field(description="Mødetilbuddets globale id (eller løbenummer).")
    moedeform_id: int | None = strawberry.field(default=None, description="Den valgte mødeform; standard: den, jobcentret har sat på tilbuddet.")
    cpr: str | None = strawberry.field(default=None, description="Borgeren; standard: den indloggede borger selv.")
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


# --- summons (IndkaldelseService, R1.1-f) ------------------------------------------------------

@strawberry.input(description="En indkaldelse af borgeren til et møde (R1.1-c/d/e/f).")
class IndkaldelseOpretInput:
    cpr: str
    starttid: datetime
    sluttid: datetime
    moedeform_id: int = strawberry.field(description="Mødeformen; udgåede former (4–7) kan ikke bruges (R1.1-d).")
    samtaletype_id: int
    sted: str | None = None
    lokationsuddybning: str | None = strawberry.field(default=None, description=LOKATIONSUDDYBNING)
    moedelink: str | None = strawberry.field(default=None, description=MOEDELINK)
    kun_personligt: bool = strawberry.field(default=False, description="Jobcentret har besluttet personligt fremmøde til netop dette møde: kun mødeform 1 (R1.1-c).")
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.input(description="Ændring af en indkaldelse; kun de angivne felter ændres. En udgået mødeform, der allerede står på indkaldelsen, må blive stående (R1.1-d).")
class IndkaldelseOpdaterInput:
    starttid: datetime | None = strawberry.UNSET
    sluttid: datetime | None = strawberry.UNSET
    moedeform_id: int | None = strawberry.UNSET
    samtaletype_id: int | None = strawberry.UNSET
    sted: str | None = strawberry.UNSET
    lokationsuddybning: str | None = strawberry.field(default=strawberry.UNSET, description=LOKATIONSUDDYBNING)
    moedelink: str | None = strawberry.field(default=strawberry.UNSET, description=MOEDELINK)
    kun_personligt: bool | None = strawberry.UNSET
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.input(description="Aflysning af en indkaldelse; en booket plads frigives.")
class IndkaldelseAflysInput:
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.input(description="Borgerens mødedeltagelsesvalg (R1.1-f): en af de mødeformer, borgeren har ret til til mødet.")
class MoededeltagelsesvalgRegistrerInput:
    moedeform_id: int
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.type
class IndkaldelsePayload:
    indkaldelse: Indkaldelse | None
    fejl: list[Fejl]


# --- payloads ----------------------------------------------------------------------------------

async def _indkaldelse_payload(info: Info, udfald: Udfald) -> IndkaldelsePayload:
    return IndkaldelsePayload(indkaldelse=await skrevet(info, udfald, IndkaldelseByIdLoader, Indkaldelse), fejl=fejl_liste(udfald))


async def _moedetilbud_payload(info: Info, udfald: Udfald) -> MoedetilbudPayload:
    return MoedetilbudPayload(moedetilbud=await skrevet(info, udfald, MoedetilbudByIdLoader, Moedetilbud), fejl=fejl_liste(udfald))


def _angivne(input: Any, felter: tuple[str, ...]) -> dict[str, Any]:
    """The input fields the caller gave (an explicit null included), by column name."""
    return {felt: getattr(input, felt) for felt in felter if getattr(input, felt) is not strawberry.UNSET}


TILBUD_FELTER = (
    "starttid", "sluttid", "sted", "lokationsuddybning", "tilladte_moedeformer", "moedeform_id", "samtaletype_id",
    "kapacitet", "kun_personligt", "moedelink",
)
INDKALDELSE_FELTER = (
    "starttid", "sluttid", "moedeform_id", "samtaletype_id", "sted", "lokationsuddybning", "moedelink", "kun_personligt",
)


# The bodies shared by the primary and the legacy (BookingService) operations: one code path,
# so the legacy path has the same validations, the same data and no extra work (R1.1-f).

async def _indkaldelse_opret(info: Info, input: IndkaldelseOpretInput) -> IndkaldelsePayload:
    udfald = await resolvers.indkaldelse_opret(
        info.context, cpr=input.cpr, felter=_angivne(input, INDKALDELSE_FELTER),
        idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
    )
    return await _indkaldelse_payload(info, udfald)


async def _indkaldelse_opdater(info: Info, id: strawberry.ID, input: IndkaldelseOpdaterInput) -> IndkaldelsePayload:
    udfald = await resolvers.indkaldelse_opdater(
        info.context, indkaldelse_id=pk_fra_id(id, "Indkaldelse"), aendringer=_angivne(input, INDKALDELSE_FELTER),
        idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
    )
    return await _indkaldelse_payload(info, udfald)


LEGACY = "BookingService er erstattet af IndkaldelseService (release 2022-3, R1.1-f): brug {ny}, som har samme validering og samme data."


@strawberry.type
class IndkaldelseMutation:
    @strawberry.mutation(description="Plannersystemet publicerer et mødetilbud til selvbooking (BorgerBookingService, R1.1-g).")
    async def moedetilbud_publiser(self, info: Info, input: MoedetilbudPubliserInput) -> MoedetilbudPayload:
        udfald = await resolvers.moedetilbud_publiser(
            info.context, jobcenter_nummer=input.jobcenter_nummer, felter=_angivne(input, TILBUD_FELTER),
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        return await _moedetilbud_payload(info, udfald)

    @strawberry.mutation(description="Plannersystemet ændrer et mødetilbud; bookede indkaldelser følger tid, sted og link.")
    async def moedetilbud_opdater(self, info: Info, id: strawberry.ID, input: MoedetilbudOpdaterInput) -> MoedetilbudPayload:
        udfald = await resolvers.moedetilbud_opdater(
            info.context, tilbud_id=pk_fra_id(id, "Moedetilbud"), aendringer=_angivne(input, TILBUD_FELTER),
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        return await _moedetilbud_payload(info, udfald)

    @strawberry.mutation(description="Plannersystemet sætter borgeren i eller uden for målgruppen for valg af mødeform (R1.1-b, R1.1-g).")
    async def moedeform_maalgruppe_opdater(self, info: Info, input: MoedeformMaalgruppeOpdaterInput) -> MoedeformMaalgruppePayload:
        udfald = await resolvers.moedeform_maalgruppe_opdater(
            info.context, cpr=input.cpr, i_maalgruppe=input.i_maalgruppe,
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        row = await skrevet_row(info, udfald, BorgerByCprLoader)
        synlig = row is not None and synlig_borger(info, row)
        return MoedeformMaalgruppePayload(borger=from_row(Borger, row) if synlig else None, fejl=fejl_liste(udfald))

    @strawberry.mutation(description=(
        "Borgerens selvbooking af et mødetilbud med valg af mødeform (BorgerBookingService, R1.1-a/b/c/g). "
        "Opretter en indkaldelse. ExternalBookingService findes ikke længere."
    ))
    async def moedetilbud_book(self, info: Info, input: MoedetilbudBookInput) -> IndkaldelsePayload:
        udfald = await resolvers.moedetilbud_book(
            info.context, moedetilbud_id=pk_fra_id(input.moedetilbud_id, "Moedetilbud"),
            moedeform_id=input.moedeform_id, cpr=input.cpr,
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        return await _indkaldelse_payload(info, udfald)

    @strawberry.mutation(description="Indkald borgeren til et møde (IndkaldelseService, R1.1-f).")
    async def indkaldelse_opret(self, info: Info, input: IndkaldelseOpretInput) -> IndkaldelsePayload:
        return await _indkaldelse_opret(info, input)

    @strawberry.mutation(description="Ret en indkaldelse (IndkaldelseService, R1.1-f). En aflyst indkaldelse kan ikke ændres.")
    async def indkaldelse_opdater(self, info: Info, id: strawberry.ID, input: IndkaldelseOpdaterInput) -> IndkaldelsePayload:
        return await _indkaldelse_opdater(info, id, input)

    @strawberry.mutation(description="Aflys en indkaldelse (også en med udgået mødeform, R1.1-d). En booket plads frigives.")
    async def indkaldelse_aflys(self, info: Info, id: strawberry.ID, input: IndkaldelseAflysInput | None = None) -> IndkaldelsePayload:
        udfald = await resolvers.indkaldelse_aflys(
            info.context, indkaldelse_id=pk_fra_id(id, "Indkaldelse"),
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle if input else None),
        )
        return await _indkaldelse_payload(info, udfald)

    @strawberry.mutation(description="Registrér borgerens mødedeltagelsesvalg (IndkaldelseService, R1.1-f): kun blandt de mødeformer, borgeren har ret til til mødet.")
    async def moededeltagelsesvalg_registrer(
        self, info: Info, id: strawberry.ID, input: MoededeltagelsesvalgRegistrerInput
    ) -> IndkaldelsePayload:
        udfald = await resolvers.moededeltagelsesvalg_registrer(
            info.context, indkaldelse_id=pk_fra_id(id, "Indkaldelse"), moedeform_id=input.moedeform_id,
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        return await _indkaldelse_payload(info, udfald)

    @strawberry.mutation(
        description="BookingService (forældet): opretter en indkaldelse præcis som indkaldelseOpret.",
        deprecation_reason=LEGACY.format(ny="indkaldelseOpret"),
    )
    async def create_booking(self, info: Info, input: IndkaldelseOpretInput) -> IndkaldelsePayload:
        return await _indkaldelse_opret(info, input)

    @strawberry.mutation(
        description="BookingService (forældet): retter en indkaldelse præcis som indkaldelseOpdater.",
        deprecation_reason=LEGACY.format(ny="indkaldelseOpdater"),
    )
    async def update_booking(self, info: Info, id: strawberry.ID, input: IndkaldelseOpdaterInput) -> IndkaldelsePayload:
        return await _indkaldelse_opdater(info, id, input)
