from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from dfdg.loaders.borger import BorgerByCprLoader
from dfdg.loaders.fravaer import FravaerByIdLoader
from dfdg.resolvers import fravaer as regler
from dfdg.context import idag
from dfdg.schema.adgang import node_via_borger, synlig_borger
from dfdg.schema.base import Info, from_row, load, relation
from dfdg.schema.kodeliste import Fravaerstype, kode
from dfdg.schema.node import Node, int_key, node_resolver, to_global_id

if TYPE_CHECKING:
    from dfdg.schema.borger import Borger


@strawberry.type(description="En fraværsregistrering (fravær/fritagelse) for en periode.")
class Fravaer(Node):
    pk: strawberry.Private[int]
    cpr: strawberry.Private[str]
    fravaerstype_id: strawberry.Private[int]
    fra: date = strawberry.field(description="Første dag med fravær.")
    til: date | None = strawberry.field(description="Sidste dag med fravær (inklusiv); null er åben.")
    registreret_af: str = strawberry.field(description="Myndigheden (eller a-kassen), der registrerede fraværet.")
    registreret: datetime
    opdateret: datetime

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("Fravaer", self.pk)

    @strawberry.field(description="Fraværstypen; udgåede typer (fx 78) vises som udgåede.")
    def fravaerstype(self, info: Info) -> Fravaerstype:
        return kode(info, "fravaerstyper", self.fravaerstype_id)

    @strawberry.field(description="Fraværet dækker datoen (standard: i dag).")
    def aktiv(self, dato: date | None = None) -> bool:
        return regler.aktiv({"fra": self.fra, "til": self.til}, dato or idag())

    @strawberry.field(metadata=relation(BorgerByCprLoader, "cpr"))
    async def borger(self, info: Info) -> Annotated["Borger", strawberry.lazy("dfdg.schema.borger")] | None:
        from dfdg.schema.borger import Borger

        row = await load(info, BorgerByCprLoader, self.cpr)
        return from_row(Borger, row) if synlig_borger(info, row) else None


@node_resolver("Fravaer")
async def _node(info: Info, key: str) -> Fravaer | None:
    return await node_via_borger(info, FravaerByIdLoader, int_key(key), Fravaer)

