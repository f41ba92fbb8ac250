from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from dfdg.db import tables as t
from dfdg.loaders.borger import BorgerByCprLoader, JobcenterByNummerLoader
from dfdg.loaders.jobordre import (
    FormidlingByIdLoader,
    FormidlingByJobordreIdLoader,
    JobordreByIdLoader,
)
from dfdg.loaders.virksomhed import ProduktionsenhedByPNummerLoader, VirksomhedByCvrNummerLoader
from dfdg.schema.erklaering import globalt_id, kode, kolonne, raekketype, relation
from dfdg.schema.kodeliste import Formidlingsstatustype, Jobordrestatus
from dfdg.schema.node import Node, from_global_id, int_key
from dfdg.schema.virksomhed import Produktionsenhed, Virksomhed

if TYPE_CHECKING:
    from dfdg.schema.borger import Borger, Jobcenter

BorgerRef = Annotated["Borger", strawberry.lazy("dfdg.schema.borger")]
JobcenterRef = Annotated["Jobcenter", strawberry.lazy("dfdg.schema.borger")]


@raekketype(t.Formidling.__table__, node=FormidlingByIdLoader)
@strawberry.type(description="En formidling af en borger til en jobordre (R6.1-a).")
class Formidling(Node):
    oprettet_af: str
    oprettet: datetime
    id: strawberry.ID = globalt_id("Formidling")
    formidlingsstatustype: Formidlingsstatustype = kode("formidlingsstatustyper", "formidlingsstatustype_id")
    jobordre: Annotated[Jobordre, strawberry.lazy("dfdg.schema.jobordre")] | None = relation(JobordreByIdLoader, "jobordre_id")
    borger: BorgerRef | None = relation(BorgerByCprLoader, "cpr", synlig=True)


def _jobordre_reference(id: strawberry.ID) -> int | None:
    typename, key = from_global_id(id)
    return int_key(key) if typename == "Jobordre" else None


@raekketype(t.Jobordre.__table__, node=JobordreByIdLoader, reference=_jobordre_reference)
@strawberry.federation.type(keys=["id"], description="En jobordre fra en virksomhed.")
class Jobordre(Node):
    titel: str
    antal_stillinger: int
    oprettet: datetime
    opdateret: datetime
    id: strawberry.ID = globalt_id("Jobordre")
    jobordrenummer: int = kolonne("id", description="Jobordrens nummer i DFDG.")
    status: Jobordrestatus = kode("jobordrestatusser", "status_id")
    ansvarligt_jobcenter_obj: JobcenterRef | None = relation(
        JobcenterByNummerLoader, "ansvarligt_jobcenter", name="ansvarligtJobcenter", description="Ansvarligt (sub)jobcenter.",
    )
    virksomhed: Virksomhed | None = relation(VirksomhedByCvrNummerLoader, "cvr_nummer")
    produktionsenhed: Produktionsenhed | None = relation(ProduktionsenhedByPNummerLoader, "p_nummer")

    # which of them the caller may see is the guard's decision, citizen by citizen
    formidlinger: list[Formidling] = relation(FormidlingByJobordreIdLoader, "id", description="Formidlinger til jobordren, som kalderen må se.")
