from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from dfdg.db import tables as t
from dfdg.schema.erklaering import kolonne, raekketype


@raekketype(t.Historik.__table__)
@strawberry.type(description=(
    "Én ændring af en af borgerens registreringer: hvem ændrede hvad, hvornår, med værdierne før og efter "
    "(det, PersonHistoryService giver a-kassen, R2.1-b). En sletning er en historikpost med 'efter' = null."
))
class Historik:
    entitet: str = strawberry.field(description="Registreringens type, fx Fravaer, Kontaktperson, Medlemskab, Indsats, JoblogPost, Formidling.")
    entitet_id: str = strawberry.field(description="Registreringens nummer (kan bruges som id i mutationerne).")
    handling: str = strawberry.field(description="oprettet, opdateret, afsluttet eller slettet.")
    aktoer_rolle: str = strawberry.field(description="Den ændrende aktørs rolle (jobcenter, akasse, borger, vitas, …).")
    aktoer_myndighed: str | None = strawberry.field(description="Aktørens jobcenter- eller a-kassenummer; null for borgeren selv og VITAS.")
    tid: datetime
    foer: JSON | None = strawberry.field(description="Registreringen før ændringen; null ved oprettelse.")
    efter: JSON | None = strawberry.field(description="Registreringen efter ændringen; null ved sletning.")
    loebenummer: int = kolonne("id", description="Historikpostens løbenummer.")
