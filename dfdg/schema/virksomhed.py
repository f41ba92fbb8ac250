from __future__ import annotations

from datetime import datetime

import strawberry

from dfdg.loaders.virksomhed import (
    ProduktionsenhedByCvrNummerLoader,
    ProduktionsenhedByPNummerLoader,
    VirksomhedByCvrNummerLoader,
)
from dfdg.schema.base import Info, load_many, load_one, relation
from dfdg.schema.node import Node, node_resolver, to_global_id


@strawberry.type(description="En produktionsenhed (P-enhed) under en virksomhed.")
class Produktionsenhed(Node):
    p_nummer: str = strawberry.field(description="P-nummer, 10 cifre.")
    cvr_nummer: str
    navn: str
    adresse: str | None

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("Produktionsenhed", self.p_nummer)


@strawberry.federation.type(keys=["cvrNummer"], description="En virksomhed, identificeret ved CVR-nummer.")
class Virksomhed(Node):
    cvr_nummer: str = strawberry.field(description="CVR-nummer, 8 cifre (modulus 11).")
    navn: str
    spaerret: bool = strawberry.field(
        description="Virksomheden er spærret (typisk konfliktramt). Indgår ikke i opslaget om JobAG-profil (R7.1-c)."
    )

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("Virksomhed", self.cvr_nummer)

    @strawberry.field(metadata=relation(ProduktionsenhedByCvrNummerLoader, "cvr_nummer"))
    async def produktionsenheder(self, info: Info) -> list[Produktionsenhed]:
        return await load_many(info, ProduktionsenhedByCvrNummerLoader, self.cvr_nummer, Produktionsenhed)

    @classmethod
    async def resolve_reference(cls, info: Info, cvrNummer: str) -> Virksomhed | None:  # noqa: N803
        # The representation's fields arrive as the schema names them: {"cvrNummer": ...}.
        info.context.kraev_actor()
        return await load_one(info, VirksomhedByCvrNummerLoader, cvrNummer, Virksomhed)


@strawberry.type(description="En P-enheds profil på JobAG (GetVirksomhedskonto, R7.1-a/b).")
class Virksomhedskonto:
    cvr_nummer: str
    p_nummer: str
    virksomhedsnavn: str
    produktionsenhedsnavn: str
    har_profil: bool = strawberry.field(description="P-enheden har en profil på JobAG; uden profil er aktiv falsk og senesteLogin null.")
    aktiv: bool = strawberry.field(description="Mindst én aktiv kontaktperson (bruger) på kontoen (R7.1-b).")
    antal_aktive_brugere: int
    seneste_login: datetime | None = strawberry.field(description="Seneste login på JobAG (R7.1-b).")
    spaerret: bool = strawberry.field(description="Vises, men indgår ikke i opslaget (R7.1-c).")

    @strawberry.field(metadata=relation(VirksomhedByCvrNummerLoader, "cvr_nummer"))
    async def virksomhed(self, info: Info) -> Virksomhed | None:
        return await load_one(info, VirksomhedByCvrNummerLoader, self.cvr_nummer, Virksomhed)


@node_resolver("Virksomhed")
async def _virksomhed_node(info: Info, key: str) -> Virksomhed | None:
    return await Virksomhed.resolve_reference(info, key)


@node_resolver("Produktionsenhed")
async def _produktionsenhed_node(info: Info, key: str) -> Produktionsenhed | None:
    info.context.kraev_actor()
    return await load_one(info, ProduktionsenhedByPNummerLoader, key, Produktionsenhed)
