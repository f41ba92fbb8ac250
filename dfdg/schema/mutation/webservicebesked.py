"""webservicebeskederKvitter: the caller acknowledges messages fetched from its own queue."""

from __future__ import annotations

import strawberry

from dfdg.resolvers import webservicebesked as resolvers
from dfdg.schema.base import Info
from dfdg.schema.erklaering import from_row
from dfdg.schema.mutation.faelles import IDEMPOTENS_BESKRIVELSE, Fejl, fejl_liste, idempotensnoegle
from dfdg.schema.webservicebesked import Webservicebesked


@strawberry.input(description="Kvittering for hentede webservicebeskeder (alle eller ingen).")
class WebservicebeskederKvitterInput:
    loebenumre: list[int] = strawberry.field(
        description=f"Løbenumrene (Webservicebesked.loebenummer) på beskeder i kalderens egen kø; højst {resolvers.MAKS_KVITTERINGER}."
    )
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.type
class WebservicebeskederKvitterPayload:
    beskeder: list[Webservicebesked] = strawberry.field(description="De kvitterede beskeder (tom ved fejl).")
    fejl: list[Fejl]


@strawberry.type
class WebservicebeskedMutation:
    @strawberry.mutation(description=(
        "Kvittér for hentede beskeder i kalderens egen kø: de får status 'kvitteret' og vises ikke længere i "
        "webservicebeskeder. Et løbenummer, der ikke er i kalderens kø, giver 68001, og intet kvitteres. "
        "En besked, der allerede er kvitteret, kan kvitteres igen uden virkning."
    ))
    async def webservicebeskeder_kvitter(self, info: Info, input: WebservicebeskederKvitterInput) -> WebservicebeskederKvitterPayload:
        udfald = await resolvers.webservicebeskeder_kvitter(
            info.context, loebenumre=input.loebenumre, idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        if udfald.fejl:
            return WebservicebeskederKvitterPayload(beskeder=[], fejl=fejl_liste(udfald))
        rows = await resolvers.egne_beskeder(info.context, udfald.data["loebenumre"])
        return WebservicebeskederKvitterPayload(beskeder=[from_row(Webservicebesked, r) for r in rows], fejl=[])
