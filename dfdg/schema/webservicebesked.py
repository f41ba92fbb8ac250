from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from dfdg.schema.node import Node, to_global_id


@strawberry.type(description="En webservicebesked (WSRM) i kalderens egen kø.")
class Webservicebesked(Node):
    pk: strawberry.Private[int]
    beskedtype: str = strawberry.field(description="Fx FravaerOprettet, FravaerOpdateret, FravaerSlettet, IndkaldelseOprettet.")
    cpr: str | None
    indhold: JSON
    status: str
    oprettet: datetime

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("Webservicebesked", self.pk)

    @strawberry.field(description="Beskedens løbenummer i køen (bruges ved kvittering).")
    def loebenummer(self) -> int:
        return self.pk
