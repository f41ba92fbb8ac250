from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from dfdg.loaders.borger import BorgerByCprLoader, JobcenterByNummerLoader
from dfdg.loaders.jobordre import FormidlingByIdLoader, FormidlingByJobordreIdLoader, JobordreByIdLoader
from dfdg.loaders.virksomhed import ProduktionsenhedByPNummerLoader, VirksomhedByCvrNummerLoader
from dfdg.schema.adgang import node_via_borger, synlig_borger
from dfdg.schema.base import Info, from_row, load, load_one, relation
from dfdg.schema.kodeliste import Formidlingsstatustype, Jobordrestatus, kode
from dfdg.schema.node import Node, from_global_id, int_key, node_resolver, to_global_id
from dfdg.schema.virksomhed import Produktionsenhed, Virksomhed

if TYPE_CHECKING:
    from dfdg.schema.borger import Borger, Jobcenter

BorgerRef = Annotated["Borger", strawberry.lazy("dfdg.schema.borger")]
JobcenterRef = Annotated["Jobcenter", strawberry.lazy("dfdg.schema.borger")]


@strawberry.type(description="En formidling af en borger til en jobordre (R6.1-a).")
class Formidling(Node):
    pk: strawberry.Private[int]
    jobordre_id: strawberry.Private[int]
    cpr: strawberry.Private[str]
    formidlingsstatustype_id: strawberry.Private[int]
    oprettet_af: str
    oprettet: datetime

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("Formidling", self.pk)

    @strawberry.field
    def formidlingsstatustype(self, info: Info) -> Formidlingsstatustype:
        return kode(info, "formidlingsstatustyper", self.formidlingsstatustype_id)

    @strawberry.field(metadata=relation(JobordreByIdLoader, "jobordre_id"))
    async def jobordre(self, info: Info) -> Annotated["Jobordre", strawberry.lazy("dfdg.schema.jobordre")] | None:
        return await load_one(info, JobordreByIdLoader, self.jobordre_id, Jobordre)

    @strawberry.field(metadata=relation(BorgerByCprLoader, "cpr"))
    async def borger(self, info: Info) -> BorgerRef | None:
        from dfdg.schema.borger import Borger

        row = await load(info, BorgerByCprLoader, self.cpr)
        return from_row(Borger, row) if synlig_borger(info, row) else None


@strawberry.federation.type(keys=["id"], description="En jobordre fra en virksomhed.")
class Jobordre(Node):
    pk: strawberry.Private[int]
    cvr_nummer: strawberry.Private[str]
    p_nummer: strawberry.Private[str | None]
    status_id: strawberry.Private[int]
    ansvarligt_jobcenter: strawberry.Private[str]
    titel: str
    antal_stillinger: int
    oprettet: datetime
    opdateret: datetime

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("Jobordre", self.pk)

    @strawberry.field(description="Jobordrens nummer i DFDG.")
    def jobordrenummer(self) -> int:
        return self.pk

    @strawberry.field
    def status(self, info: Info) -> Jobordrestatus:
        return kode(info, "jobordrestatusser", self.status_id)

    @strawberry.field(
        name="ansvarligtJobcenter", description="Ansvarligt (sub)jobcenter.",
        metadata=relation(JobcenterByNummerLoader, "ansvarligt_jobcenter"),
    )
    async def ansvarligt_jobcenter_obj(self, info: Info) -> JobcenterRef | None:
        from dfdg.schema.borger import Jobcenter

        return await load_one(info, JobcenterByNummerLoader, self.ansvarligt_jobcenter, Jobcenter)

    @strawberry.field(metadata=relation(VirksomhedByCvrNummerLoader, "cvr_nummer"))
    async def virksomhed(self, info: Info) -> Virksomhed | None:
        return await load_one(info, VirksomhedByCvrNummerLoader, self.cvr_nummer, Virksomhed)

    @strawberry.field(metadata=relation(ProduktionsenhedByPNummerLoader, "p_nummer"))
    async def produktionsenhed(self, info: Info) -> Produktionsenhed | None:
        return await load_one(info, ProduktionsenhedByPNummerLoader, self.p_nummer, Produktionsenhed)

    @strawberry.field(description="Formidlinger til jobordren, som kalderen må se.", metadata=relation(FormidlingByJobordreIdLoader, "pk"))
    async def formidlinger(self, info: Info) -> list[Formidling]:
        rows = await load(info, FormidlingByJobordreIdLoader, self.pk)
        if not rows:
            return []
        borgere = await info.context.loaders[BorgerByCprLoader].load_many([r["cpr"] for r in rows])
        return [from_row(Formidling, r) for r, b in zip(rows, borgere) if synlig_borger(info, b)]

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Jobordre | None:
        typename, key = from_global_id(id)
        return await hent_jobordre(info, int_key(key)) if typename == "Jobordre" else None


async def hent_jobordre(info: Info, pk: int | None) -> Jobordre | None:
    info.context.kraev_actor()
    return await load_one(info, JobordreByIdLoader, pk, Jobordre)


@node_resolver("Jobordre")
async def _jobordre_node(info: Info, key: str) -> Jobordre | None:
    return await hent_jobordre(info, int_key(key))


@node_resolver("Formidling")
async def _formidling_node(info: Info, key: str) -> Formidling | None:
    return await node_via_borger(info, FormidlingByIdLoader, int_key(key), Formidling)
