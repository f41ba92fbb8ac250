from __future__ import annotations

from datetime import date, datetime

import strawberry

from dfdg.loaders.joblog import JoblogByIdLoader
from dfdg.schema.adgang import node_via_borger
from dfdg.schema.base import Info
from dfdg.schema.node import Node, int_key, node_resolver, to_global_id


@strawberry.type(description="En registreret jobsøgning i borgerens joblog (CitizenJoblogService).")
class JoblogPost(Node):
    pk: strawberry.Private[int]
    cpr: strawberry.Private[str]
    stillingsbetegnelse: str
    virksomhedsnavn: str
    ansoegningsdato: date = strawberry.field(description="SubmissionDate; tidligst 2015-01-01 (R4.1-a).")
    ansoegningsfrist: date | None = strawberry.field(description="SubmissionDeadlineDate; tidligst 2015-01-01 (R4.1-a).")
    oprettet: datetime

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("JoblogPost", self.pk)


@node_resolver("JoblogPost")
async def _node(info: Info, key: str) -> JoblogPost | None:
    return await node_via_borger(info, JoblogByIdLoader, int_key(key), JoblogPost)
