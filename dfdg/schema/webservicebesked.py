from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from dfdg.db import tables as t
from dfdg.loaders.webservicebesked import WebservicebeskedByIdLoader
from dfdg.schema.erklaering import globalt_id, kolonne, raekketype
from dfdg.schema.node import Node


@raekketype(t.Webservicebesked.__table__, node=WebservicebeskedByIdLoader)
@strawberry.type(description="En webservicebesked (WSRM) i kalderens egen kø.")
class Webservicebesked(Node):
    beskedtype: str = strawberry.field(description="Fx FravaerOprettet, FravaerOpdateret, FravaerSlettet, IndkaldelseOprettet.")
    cpr: str | None
    indhold: JSON
    status: str
    oprettet: datetime
    id: strawberry.ID = globalt_id("Webservicebesked")
    loebenummer: int = kolonne("id", description="Beskedens løbenummer i køen (bruges ved kvittering).")
