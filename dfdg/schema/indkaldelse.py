from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from dfdg.context import DANMARK
from dfdg.loaders.borger import BorgerByCprLoader, JobcenterByNummerLoader
from dfdg.loaders.indkaldelse import IndkaldelseByIdLoader, MoedetilbudByIdLoader
from dfdg.resolvers import indkaldelse as regler
from dfdg.schema.adgang import synlig_borger
from dfdg.schema.base import Info, blank_as_none, from_row, load, load_one, relation
from dfdg.schema.kodeliste import Moedeform, Samtaletype, kode
from dfdg.schema.node import Node, from_global_id, int_key, node_resolver, to_global_id

if TYPE_CHECKING:
    from dfdg.schema.borger import Borger, Jobcenter

BorgerRef = Annotated["Borger", strawberry.lazy("dfdg.schema.borger")]
JobcenterRef = Annotated["Jobcenter", strawberry.lazy("dfdg.schema.borger")]


@strawberry.enum(description="Indkaldelsens status.")
class IndkaldelseStatus(Enum):
    AKTIV = "aktiv"
    AFLYST = "aflyst"


@strawberry.type(description="Et mødetilbud fra jobcentrets plannersystem, som borgeren kan selvbooke (R1.1-g).")
class Moedetilbud(Node):
    pk: strawberry.Private[int]
    jobcenter_nummer: strawberry.Private[str]
    moedeform_id: strawberry.Private[int]
    samtaletype_id: strawberry.Private[int]
    tilladte_moedeformer_ids: strawberry.Private[list[int]]
    starttid: datetime
    sluttid: datetime
    sted: str
    kapacitet: int
    antal_booket: int
    kun_personligt: bool = strawberry.field(description="Mødet skal holdes ved personligt fremmøde (LAB § 33, stk. 2; R1.1-c).")
    lokationsuddybning_raw: strawberry.Private[str | None]
    moedelink_raw: strawberry.Private[str | None]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("Moedetilbud", self.pk)

    @strawberry.field(description="Uddybning af mødestedet; tom tekst vises som null (R1.1-h).")
    def lokationsuddybning(self) -> str | None:
        return blank_as_none(self.lokationsuddybning_raw)

    @strawberry.field(description="Link til det digitale møde, når mødeform 8 er tilladt (R1.1-e).")
    def moedelink(self) -> str | None:
        return self.moedelink_raw if regler.DIGITALT_MOEDE in self.tilladte_moedeformer_ids else None

    @strawberry.field(description="Mødeformen for borgere uden ret til at vælge (R1.1-b).")
    def moedeform(self, info: Info) -> Moedeform:
        return kode(info, "moedeformer", self.moedeform_id)

    @strawberry.field(description="De mødeformer, borgeren kan vælge imellem i tilbuddet (R1.1-a).")
    def tilladte_moedeformer(self, info: Info) -> list[Moedeform]:
        return [kode(info, "moedeformer", i) for i in self.tilladte_moedeformer_ids]

    @strawberry.field
    def samtaletype(self, info: Info) -> Samtaletype:
        return kode(info, "samtaletyper", self.samtaletype_id)

    @strawberry.field
    def ledige_pladser(self) -> int:
        return self.kapacitet - self.antal_booket

    @strawberry.field(metadata=relation(JobcenterByNummerLoader, "jobcenter_nummer"))
    async def jobcenter(self, info: Info) -> JobcenterRef | None:
        from dfdg.schema.borger import Jobcenter

        return await load_one(info, JobcenterByNummerLoader, self.jobcenter_nummer, Jobcenter)

    @classmethod
    def fra_row(cls, row) -> Moedetilbud:
        return cls(
            pk=row["id"], jobcenter_nummer=row["jobcenter_nummer"], moedeform_id=row["moedeform_id"],
            samtaletype_id=row["samtaletype_id"], tilladte_moedeformer_ids=list(row["tilladte_moedeformer"]),
            starttid=row["starttid"], sluttid=row["sluttid"], sted=row["sted"], kapacitet=row["kapacitet"],
            antal_booket=row["antal_booket"], kun_personligt=row["kun_personligt"],
            lokationsuddybning_raw=row["lokationsuddybning"], moedelink_raw=row["moedelink"],
        )


@strawberry.federation.type(keys=["id"], description="En indkaldelse af borgeren til et møde (IndkaldelseService).")
class Indkaldelse(Node):
    pk: strawberry.Private[int]
    cpr: strawberry.Private[str]
    jobcenter_nummer: strawberry.Private[str]
    moedetilbud_id: strawberry.Private[int | None]
    moedeform_id: strawberry.Private[int]
    samtaletype_id: strawberry.Private[int]
    moededeltagelsesvalg_id: strawberry.Private[int | None]
    status_raw: strawberry.Private[str]
    lokationsuddybning_raw: strawberry.Private[str | None]
    moedelink_raw: strawberry.Private[str | None]
    starttid: datetime
    sluttid: datetime
    sted: str | None
    kun_personligt: bool = strawberry.field(description="Jobcentret har besluttet personligt fremmøde til netop dette møde (R1.1-c).")
    oprettet_af: str = strawberry.field(description="Myndigheden, der oprettede indkaldelsen.")
    oprettet: datetime
    opdateret: datetime

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("Indkaldelse", self.pk)

    @strawberry.field
    def status(self) -> IndkaldelseStatus:
        return IndkaldelseStatus(self.status_raw)

    @strawberry.field(description="Uddybning af mødestedet; tom tekst vises som null (R1.1-h).")
    def lokationsuddybning(self) -> str | None:
        return blank_as_none(self.lokationsuddybning_raw)

    @strawberry.field(description="Link til det digitale møde; altid udfyldt ved mødeform 8 (R1.1-e).")
    def moedelink(self) -> str | None:
        return self.moedelink_raw

    @strawberry.field(description="Mødeformen. Historik kan bære udgåede former (4–7), som vises som udgåede (R1.1-d).")
    def moedeform(self, info: Info) -> Moedeform:
        return kode(info, "moedeformer", self.moedeform_id)

    @strawberry.field
    def samtaletype(self, info: Info) -> Samtaletype:
        return kode(info, "samtaletyper", self.samtaletype_id)

    @strawberry.field(description="Borgerens registrerede mødedeltagelsesvalg (R1.1-f).")
    def moededeltagelsesvalg(self, info: Info) -> Moedeform | None:
        return kode(info, "moedeformer", self.moededeltagelsesvalg_id)

    @strawberry.field(
        description="De mødeformer, borgeren kan vælge til dette møde (R1.1-a/b/c).",
        metadata=relation(BorgerByCprLoader, "cpr"),
    )
    async def valgbare_moedeformer(self, info: Info) -> list[Moedeform]:
        borger = await load(info, BorgerByCprLoader, self.cpr)
        tilbud = await load(info, MoedetilbudByIdLoader, self.moedetilbud_id) if self.moedetilbud_id else None
        ids = regler.valgbare_moedeformer(
            borger, self.starttid.astimezone(DANMARK).date(), kun_personligt=self.kun_personligt, fastsat_moedeform=self.moedeform_id,
            tilbudte_moedeformer=tilbud["tilladte_moedeformer"] if tilbud else None,
        )
        return [kode(info, "moedeformer", i) for i in ids]

    @strawberry.field(metadata=relation(MoedetilbudByIdLoader, "moedetilbud_id"))
    async def moedetilbud(self, info: Info) -> Moedetilbud | None:
        row = await load(info, MoedetilbudByIdLoader, self.moedetilbud_id) if self.moedetilbud_id else None
        return Moedetilbud.fra_row(row) if row else None

    @strawberry.field(metadata=relation(JobcenterByNummerLoader, "jobcenter_nummer"))
    async def jobcenter(self, info: Info) -> JobcenterRef | None:
        from dfdg.schema.borger import Jobcenter

        return await load_one(info, JobcenterByNummerLoader, self.jobcenter_nummer, Jobcenter)

    @strawberry.field(metadata=relation(BorgerByCprLoader, "cpr"))
    async def borger(self, info: Info) -> BorgerRef | None:
        from dfdg.schema.borger import Borger

        row = await load(info, BorgerByCprLoader, self.cpr)
        return from_row(Borger, row) if synlig_borger(info, row) else None

    @classmethod
    def fra_row(cls, row) -> Indkaldelse:
        return cls(
            pk=row["id"], status_raw=row["status"], lokationsuddybning_raw=row["lokationsuddybning"],
            moedelink_raw=row["moedelink"],
            **{k: row[k] for k in INDKALDELSE_KOLONNER},
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Indkaldelse | None:
        info.context.kraev_actor()
        typename, key = from_global_id(id)
        return await hent_indkaldelse(info, int_key(key)) if typename == "Indkaldelse" else None


INDKALDELSE_KOLONNER = (
    "cpr", "jobcenter_nummer", "moedetilbud_id", "moedeform_id", "samtaletype_id", "moededeltagelsesvalg_id",
    "starttid", "sluttid", "sted", "kun_personligt", "oprettet_af", "oprettet", "opdateret",
)


async def hent_indkaldelse(info: Info, pk: int | None) -> Indkaldelse | None:
    if pk is None:
        return None
    row = await load(info, IndkaldelseByIdLoader, pk)
    if row is None or not synlig_borger(info, await load(info, BorgerByCprLoader, row["cpr"])):
        return None
    return Indkaldelse.fra_row(row)


@node_resolver("Indkaldelse")
async def _indkaldelse_node(info: Info, key: str) -> Indkaldelse | None:
    return await hent_indkaldelse(info, int_key(key))


@node_resolver("Moedetilbud")
async def _moedetilbud_node(info: Info, key: str) -> Moedetilbud | None:
    info.context.kraev_actor()
    pk = int_key(key)
    row = await load(info, MoedetilbudByIdLoader, pk) if pk is not None else None
    return Moedetilbud.fra_row(row) if row else None

