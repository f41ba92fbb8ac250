from __future__ import annotations

from datetime import datetime

import strawberry

from dfdg.db import tables as t
from dfdg.loaders.virksomhed import (
    ProduktionsenhedByCvrNummerLoader,
    ProduktionsenhedByPNummerLoader,
    VirksomhedByCvrNummerLoader,
)
from dfdg.schema.erklaering import beregnet, globalt_id, raekketype, relation
from dfdg.schema.node import Node


@raekketype(t.Produktionsenhed.__table__, node=ProduktionsenhedByPNummerLoader)
@strawberry.type(description="En produktionsenhed (P-enhed) under en virksomhed.")
class Produktionsenhed(Node):
    p_nummer: str = strawberry.field(description="P-nummer, 10 cifre.")
    cvr_nummer: str
    navn: str
    adresse: str | None
    id: strawberry.ID = globalt_id("Produktionsenhed", "p_nummer")


def _virksomhed_reference(cvrNummer: str) -> str:  # noqa: N803 - the representation's field, as the schema names it
    return cvrNummer


@raekketype(t.Virksomhed.__table__, node=VirksomhedByCvrNummerLoader,
            reference=_virksomhed_reference)
@strawberry.federation.type(keys=["cvrNummer"], description="En virksomhed, identificeret ved CVR-nummer.")
class Virksomhed(Node):
    cvr_nummer: str = strawberry.field(description="CVR-nummer, 8 cifre (modulus 11).")
    navn: str
    spaerret: bool = strawberry.field(
        description="Virksomheden er spærret (typisk konfliktramt). Indgår ikke i opslaget om JobAG-profil (R7.1-c)."
    )
    id: strawberry.ID = globalt_id("Virksomhed", "cvr_nummer")
    produktionsenheder: list[Produktionsenhed] = relation(ProduktionsenhedByCvrNummerLoader, "cvr_nummer")


@raekketype(None)  # rows of virksomhedskonti_statement
@strawberry.type(description="En P-enheds profil på JobAG (GetVirksomhedskonto, R7.1-a/b).")
class Virksomhedskonto:
    cvr_nummer: str
    p_nummer: str
    virksomhedsnavn: str
    produktionsenhedsnavn: str
    har_profil: bool = strawberry.field(description="P-enheden har en profil på JobAG; uden profil er aktiv falsk og senesteLogin null.")
    antal_aktive_brugere: int
    seneste_login: datetime | None = strawberry.field(description="Seneste login på JobAG (R7.1-b).")
    spaerret: bool = strawberry.field(description="Vises, men indgår ikke i opslaget (R7.1-c).")
    virksomhed: Virksomhed | None = relation(VirksomhedByCvrNummerLoader, "cvr_nummer")

    @beregnet(("antal_aktive_brugere",), description="Mindst én aktiv kontaktperson (bruger) på kontoen (R7.1-b).")
    def aktiv(r) -> bool:
        return r["antal_aktive_brugere"] > 0
