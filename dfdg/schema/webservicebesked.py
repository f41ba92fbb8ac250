from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from dfdg.loaders.borger import BorgerByCprLoader
from dfdg.loaders.webservicebesked import WebservicebeskedByIdLoader
from dfdg.regler.adgang import kan_modtage_besked
from dfdg.regler.webservicebesked import modtager
from dfdg.db import tables as t
from dfdg.schema.base import Info, load
from dfdg.schema.erklaering import from_row, globalt_id, kolonne, raekketype
from dfdg.schema.node import Node, int_key, node_resolver


@raekketype(t.Webservicebesked.__table__, ressource="webservicebeskeder", node=WebservicebeskedByIdLoader)
@strawberry.type(description="En webservicebesked (WSRM) i kalderens egen kø.")
class Webservicebesked(Node):
    beskedtype: str = strawberry.field(description="Fx FravaerOprettet, FravaerOpdateret, FravaerSlettet, IndkaldelseOprettet.")
    cpr: str | None
    indhold: JSON
    status: str
    oprettet: datetime
    id: strawberry.ID = globalt_id("Webservicebesked")
    loebenummer: int = kolonne("id", description="Beskedens løbenummer i køen (bruges ved kvittering).")


@node_resolver("Webservicebesked")
async def _node(info: Info, key: str) -> Webservicebesked | None:
    """A message of the caller's own queue only, and only while it may be handed to it
    (``kan_modtage_besked``)."""
    actor = info.context.kraev_actor()
    maal = modtager(actor)
    pk = int_key(key)
    row = await load(info, WebservicebeskedByIdLoader, pk) if maal and pk is not None else None
    if row is None or (row["modtagertype"], row["modtager"]) != maal:
        return None
    borger = await load(info, BorgerByCprLoader, row["cpr"]) if row["cpr"] else None
    if not kan_modtage_besked(actor, row, borger):
        return None
    return from_row(Webservicebesked, row)
