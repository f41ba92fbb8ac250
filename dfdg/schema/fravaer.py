from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from dfdg.db import tables as t
from dfdg.loaders.borger import BorgerByCprLoader
from dfdg.loaders.fravaer import FravaerByIdLoader
from dfdg.regler import fravaer as regler
from dfdg.schema.erklaering import beregnet, globalt_id, kode, raekketype, relation
from dfdg.schema.kodeliste import Fravaerstype
from dfdg.schema.node import Node

if TYPE_CHECKING:
    from dfdg.schema.borger import Borger


@raekketype(t.Fravaer.__table__, node=FravaerByIdLoader)
@strawberry.type(description="En fraværsregistrering (fravær/fritagelse) for en periode.")
class Fravaer(Node):
    fra: date = strawberry.field(description="Første dag med fravær.")
    til: date | None = strawberry.field(description="Sidste dag med fravær (inklusiv); null er åben.")
    registreret_af: str = strawberry.field(description="Myndigheden (eller a-kassen), der registrerede fraværet.")
    registreret: datetime
    opdateret: datetime
    id: strawberry.ID = globalt_id("Fravaer")
    fravaerstype: Fravaerstype = kode("fravaerstyper", "fravaerstype_id", description="Fraværstypen; udgåede typer (fx 78) vises som udgåede.")
    borger: Annotated[Borger, strawberry.lazy("dfdg.schema.borger")] | None = relation(BorgerByCprLoader, "cpr", synlig=True)

    @beregnet(("fra", "til"), description="Fraværet dækker datoen (standard: i dag).")
    def aktiv(r, ctx, dato: date | None = None) -> bool:
        return regler.aktiv(r, dato or ctx.idag)
