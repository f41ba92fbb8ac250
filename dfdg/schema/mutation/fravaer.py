from __future__ import annotations

from datetime import date

import strawberry

from dfdg.loaders.fravaer import FravaerByIdLoader
from dfdg.resolvers import fravaer as resolvers
from dfdg.schema.base import Info
from dfdg.schema.fravaer import Fravaer
from dfdg.schema.mutation.faelles import (
    IDEMPOTENS_BESKRIVELSE,
    Fejl,
    fejl_liste,
    idempotensnoegle,
    pk_fra_id,
    skrevet,
)
from dfdg.schema.node import to_global_id


@strawberry.input(description="Registrering af fravær (R2.1-a, R2.2-a).")
class FravaerOpretInput:
    cpr: str
    fravaerstype_id: int = strawberry.field(description="Fraværstype; udgåede typer (78) kan ikke oprettes (R2.2-a).")
    fra: date
    til: date | None = None
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.input(description="Ændring af et fravær; kun de angivne felter ændres (til: null gør perioden åben).")
class FravaerOpdaterInput:
    fravaerstype_id: int | None = strawberry.UNSET
    fra: date | None = strawberry.UNSET
    til: date | None = strawberry.UNSET
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.input(description="Sletning af et fravær (historikken bevarer det).")
class FravaerSletInput:
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.type
class FravaerPayload:
    fravaer: Fravaer | None
    fejl: list[Fejl]


@strawberry.type
class FravaerSletPayload:
    slettet_id: strawberry.ID | None = strawberry.field(description="Det slettede fraværs globale id.")
    fejl: list[Fejl]


async def _payload(info: Info, udfald) -> FravaerPayload:
    return FravaerPayload(fravaer=await skrevet(info, udfald, FravaerByIdLoader, Fravaer), fejl=fejl_liste(udfald))


@strawberry.type
class FravaerMutation:
    @strawberry.mutation(description="Registrér fravær. Ved kontaktgruppe 1 får a-kassen og jobcentret en webservicebesked (R2.1-b).")
    async def fravaer_opret(self, info: Info, input: FravaerOpretInput) -> FravaerPayload:
        udfald = await resolvers.fravaer_opret(
            info.context, cpr=input.cpr, fravaerstype_id=input.fravaerstype_id, fra=input.fra, til=input.til,
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        return await _payload(info, udfald)

    @strawberry.mutation(description="Ret et fravær (også et af en udgået type, hvis typen ikke ændres).")
    async def fravaer_opdater(self, info: Info, id: strawberry.ID, input: FravaerOpdaterInput) -> FravaerPayload:
        aendringer = {
            kolonne: value
            for kolonne, value in (("fravaerstype_id", input.fravaerstype_id), ("fra", input.fra), ("til", input.til))
            if value is not strawberry.UNSET
        }
        udfald = await resolvers.fravaer_opdater(
            info.context, fravaer_id=pk_fra_id(id, "Fravaer"), aendringer=aendringer,
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        return await _payload(info, udfald)

    @strawberry.mutation(description="Slet et fravær (også af en udgået type, R2.2-a); a-kasse og jobcenter får besked (R2.1-b).")
    async def fravaer_slet(self, info: Info, id: strawberry.ID, input: FravaerSletInput | None = None) -> FravaerSletPayload:
        udfald = await resolvers.fravaer_slet(
            info.context, fravaer_id=pk_fra_id(id, "Fravaer"),
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle if input else None),
        )
        slettet = udfald.data.get("slettet_id")
        return FravaerSletPayload(slettet_id=to_global_id("Fravaer", slettet) if slettet else None, fejl=fejl_liste(udfald))
