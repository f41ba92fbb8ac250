from __future__ import annotations

from datetime import date, datetime

import strawberry

from dfdg.db import tables as t
from dfdg.loaders.joblog import JoblogByIdLoader
from dfdg.schema.erklaering import globalt_id, raekketype
from dfdg.schema.node import Node


@raekketype(t.Joblog.__table__, node=JoblogByIdLoader)
@strawberry.type(description="En registreret jobsøgning i borgerens joblog (CitizenJoblogService).")
class JoblogPost(Node):
    stillingsbetegnelse: str
    virksomhedsnavn: str
    ansoegningsdato: date = strawberry.field(description="SubmissionDate; tidligst 2015-01-01 (R4.1-a).")
    ansoegningsfrist: date | None = strawberry.field(description="SubmissionDeadlineDate; tidligst 2015-01-01 (R4.1-a).")
    oprettet: datetime
    id: strawberry.ID = globalt_id("JoblogPost")
