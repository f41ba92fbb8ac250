from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from dfdg.db import tables as t
from dfdg.loaders.borger import BorgerByCprLoader, JobcenterByNummerLoader
from dfdg.loaders.indkaldelse import IndkaldelseByIdLoader, MoedetilbudByIdLoader
from dfdg.regler import indkaldelse as regler
from dfdg.regler.tekst import normaliser_tekst
from dfdg.schema.erklaering import (
    afledt,
    beregnet,
    globalt_id,
    kode,
    koder,
    kolonne,
    raekketype,
    relation,
)
from dfdg.schema.kodeliste import Moedeform, Samtaletype
from dfdg.schema.node import Node, from_global_id, int_key

if TYPE_CHECKING:
    from dfdg.schema.borger import Borger, Jobcenter

BorgerRef = Annotated["Borger", strawberry.lazy("dfdg.schema.borger")]
JobcenterRef = Annotated["Jobcenter", strawberry.lazy("dfdg.schema.borger")]


@strawberry.enum(description="Indkaldelsens status.")
class IndkaldelseStatus(Enum):
    AKTIV = "aktiv"
    AFLYST = "aflyst"


@raekketype(t.Moedetilbud.__table__, node=MoedetilbudByIdLoader)
@strawberry.type(description="Et mødetilbud fra jobcentrets plannersystem, som borgeren kan selvbooke (R1.1-g).")
class Moedetilbud(Node):
    starttid: datetime
    sluttid: datetime
    sted: str
    kapacitet: int
    antal_booket: int
    kun_personligt: bool = strawberry.field(description="Mødet skal holdes ved personligt fremmøde (LAB § 33, stk. 2; R1.1-c).")
    id: strawberry.ID = globalt_id("Moedetilbud")
    moedeform: Moedeform = kode("moedeformer", "moedeform_id", description="Mødeformen for borgere uden ret til at vælge (R1.1-b).")
    samtaletype: Samtaletype = kode("samtaletyper", "samtaletype_id")
    jobcenter: JobcenterRef | None = relation(JobcenterByNummerLoader, "jobcenter_nummer")

    @beregnet(("lokationsuddybning",), description="Uddybning af mødestedet; tom tekst vises som null (R1.1-h).")
    def lokationsuddybning(r) -> str | None:
        return normaliser_tekst(r["lokationsuddybning"])

    @beregnet(("moedelink", "tilladte_moedeformer"), ressource="moedetilbud.moedelink",
              description="Link til det digitale møde, når mødeform 8 er tilladt (R1.1-e).")
    def moedelink(r) -> str | None:
        return r["moedelink"] if regler.DIGITALT_MOEDE in r["tilladte_moedeformer"] else None

    @koder("moedeformer", ("tilladte_moedeformer",), description="De mødeformer, borgeren kan vælge imellem i tilbuddet (R1.1-a).")
    def tilladte_moedeformer(r) -> list[Moedeform]:
        return r["tilladte_moedeformer"]

    @beregnet(("kapacitet", "antal_booket"))
    def ledige_pladser(r) -> int:
        return r["kapacitet"] - r["antal_booket"]


def _valgbare_moedeformer(r, borger, tilbud) -> list[int]:
    return regler.valgbare_moedeformer(
        borger, regler.moededato(r["starttid"]), kun_personligt=r["kun_personligt"], fastsat_moedeform=r["moedeform_id"],
        tilbudte_moedeformer=tilbud["tilladte_moedeformer"] if tilbud else None,
    )


def _indkaldelse_reference(id: strawberry.ID) -> int | None:
    typename, key = from_global_id(id)
    return int_key(key) if typename == "Indkaldelse" else None


@raekketype(t.Indkaldelse.__table__, node=IndkaldelseByIdLoader,
            reference=_indkaldelse_reference)
@strawberry.federation.type(keys=["id"], description="En indkaldelse af borgeren til et møde (IndkaldelseService).")
class Indkaldelse(Node):
    starttid: datetime
    sluttid: datetime
    sted: str | None
    kun_personligt: bool = strawberry.field(description="Jobcentret har besluttet personligt fremmøde til netop dette møde (R1.1-c).")
    oprettet_af: str = strawberry.field(description="Myndigheden, der oprettede indkaldelsen.")
    oprettet: datetime
    opdateret: datetime
    id: strawberry.ID = globalt_id("Indkaldelse")
    moedeform: Moedeform = kode(
        "moedeformer", "moedeform_id",
        description="Mødeformen. Historik kan bære udgåede former (4–7), som vises som udgåede (R1.1-d).",
    )
    samtaletype: Samtaletype = kode("samtaletyper", "samtaletype_id")
    moededeltagelsesvalg: Moedeform | None = kode(
        "moedeformer", "moededeltagelsesvalg_id", description="Borgerens registrerede mødedeltagelsesvalg (R1.1-f)."
    )
    moedetilbud: Moedetilbud | None = relation(MoedetilbudByIdLoader, "moedetilbud_id")
    jobcenter: JobcenterRef | None = relation(JobcenterByNummerLoader, "jobcenter_nummer")
    borger: BorgerRef | None = relation(BorgerByCprLoader, "cpr", synlig=True)

    # The column holds the members' values, which the enum serialises as it does its members: no
    # member is made per row (on the planned path the value's name is looked up).
    status: IndkaldelseStatus = kolonne("status")

    @beregnet(("lokationsuddybning",), description="Uddybning af mødestedet; tom tekst vises som null (R1.1-h).")
    def lokationsuddybning(r) -> str | None:
        return normaliser_tekst(r["lokationsuddybning"])

    @beregnet(("moedelink",), description="Link til det digitale møde; altid udfyldt ved mødeform 8 (R1.1-e).")
    def moedelink(r) -> str | None:
        return r["moedelink"]

    @afledt(
        [(BorgerByCprLoader, "cpr"), (MoedetilbudByIdLoader, "moedetilbud_id")], resultat="koder:moedeformer",
        kolonner=("starttid", "kun_personligt", "moedeform_id"),
        description="De mødeformer, borgeren kan vælge til dette møde (R1.1-a/b/c).",
    )
    def valgbare_moedeformer(r, borger, tilbud) -> list[Moedeform]:
        return _valgbare_moedeformer(r, borger, tilbud)
