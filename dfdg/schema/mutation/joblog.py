"""joblogRegistrer, joblogOpdater (CitizenJoblogService, R4.1-a; no warning 47, R4.2-a)."""

from __future__ import annotations

from datetime import date

import strawberry

from dfdg.loaders.joblog import JoblogByIdLoader
from dfdg.resolvers import joblog as resolvers
from dfdg.resolvers.mutation import Udfald
from dfdg.schema.base import Info
from dfdg.schema.joblog import JoblogPost
from dfdg.schema.mutation.faelles import (
    IDEMPOTENS_BESKRIVELSE,
    Fejl,
    fejl_liste,
    idempotensnoegle,
    pk_fra_id,
    skrevet,
)


@strawberry.input(description="En jobsøgning i borgerens joblog. Datoerne kan ikke ligge før 2015-01-01 (R4.1-a).")
class JoblogRegistrerInput:
    cpr: str
    stillingsbetegnelse: str
    virksomhedsnavn: str
    ansoegningsdato: date = strawberry.field(description="SubmissionDate; tidligst 2015-01-01 (R4.1-a).")
    ansoegningsfrist: date | None = strawberry.field(default=None, description="SubmissionDeadlineDate; tidligst 2015-01-01 (R4.1-a).")
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.input(description="Ændring af en joblogpost; kun de angivne felter ændres (ansoegningsfrist: null fjerner fristen).")
class JoblogOpdaterInput:
    stillingsbetegnelse: str | None = strawberry.UNSET
    virksomhedsnavn: str | None = strawberry.UNSET
    ansoegningsdato: date | None = strawberry.UNSET
    ansoegningsfrist: date | None = strawberry.UNSET
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.type
class JoblogPayload:
    joblog_post: JoblogPost | None
    fejl: list[Fejl]


async def _payload(info: Info, udfald: Udfald) -> JoblogPayload:
    return JoblogPayload(joblog_post=await skrevet(info, udfald, JoblogByIdLoader, JoblogPost), fejl=fejl_liste(udfald))


@strawberry.type
class JoblogMutation:
    @strawberry.mutation(description=(
        "Registrér en jobsøgning i borgerens joblog. Ansøgningsdato og -frist før 2015-01-01 afvises (65001/65002, R4.1-a). "
        "Der dannes aldrig advarsel 47 om manglende joblog i 30 dage (R4.2-a)."
    ))
    async def joblog_registrer(self, info: Info, input: JoblogRegistrerInput) -> JoblogPayload:
        udfald = await resolvers.joblog_registrer(
            info.context, cpr=input.cpr,
            felter={felt: getattr(input, felt) for felt in resolvers.JOBLOG_FELTER},
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        return await _payload(info, udfald)

    @strawberry.mutation(description="Ret en joblogpost (R4.1-a gælder de datoer, der sættes).")
    async def joblog_opdater(self, info: Info, id: strawberry.ID, input: JoblogOpdaterInput) -> JoblogPayload:
        aendringer = {
            felt: getattr(input, felt) for felt in resolvers.JOBLOG_FELTER if getattr(input, felt) is not strawberry.UNSET
        }
        udfald = await resolvers.joblog_opdater(
            info.context, joblog_id=pk_fra_id(id, "JoblogPost"), aendringer=aendringer,
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        return await _payload(info, udfald)
