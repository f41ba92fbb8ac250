"""formidlingOpret (R6.1-a) and jobordreOpdater (R6.2-a)."""

from __future__ import annotations

import strawberry

from dfdg.loaders.jobordre import FormidlingByIdLoader, JobordreByIdLoader
from dfdg.resolvers import jobordre as resolvers
from dfdg.schema.base import Info
from dfdg.schema.erklaering import from_row
from dfdg.schema.jobordre import Formidling, Jobordre
from dfdg.schema.mutation.faelles import (
    IDEMPOTENS_BESKRIVELSE,
    Fejl,
    fejl_liste,
    idempotensnoegle,
    pk_fra_id,
    skrevet_row,
)


@strawberry.input(description="Formidling af en borger til en jobordre; kun når jobordren har status 'Åben' (R6.1-a).")
class FormidlingOpretInput:
    jobordre_id: strawberry.ID = strawberry.field(description="Jobordrens globale id eller jobordrenummer.")
    cpr: str
    formidlingsstatustype_id: int = strawberry.field(description="FormidlingsstatusType, fx 2 'Formidling tilgængelig for virksomhed'.")
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.input(description="Ændring af en jobordre; kun de angivne felter ændres.")
class JobordreOpdaterInput:
    titel: str | None = strawberry.UNSET
    antal_stillinger: int | None = strawberry.UNSET
    status_id: int | None = strawberry.field(default=strawberry.UNSET, description="1 Åben, 2 Midlertidig inaktiv, 3 Lukket.")
    ansvarligt_jobcenter: str | None = strawberry.field(
        default=strawberry.UNSET, description="Ansvarligt (sub)jobcenter, 5 cifre; inden for kalderens myndighed (R6.2-a)."
    )
    idempotensnoegle: str | None = strawberry.field(default=None, description=IDEMPOTENS_BESKRIVELSE)


@strawberry.type
class FormidlingPayload:
    formidling: Formidling | None
    fejl: list[Fejl]


@strawberry.type
class JobordrePayload:
    jobordre: Jobordre | None
    fejl: list[Fejl]


@strawberry.type
class JobordreMutation:
    @strawberry.mutation(description=(
        "Formidl en borger til en jobordre. Kun mens jobordren har status 'Åben' (1); ved 'Midlertidig inaktiv' (2) "
        "eller 'Lukket' (3) afvises formidlingen med 66001 (R6.1-a)."
    ))
    async def formidling_opret(self, info: Info, input: FormidlingOpretInput) -> FormidlingPayload:
        udfald = await resolvers.formidling_opret(
            info.context, jobordre_id=pk_fra_id(input.jobordre_id, "Jobordre"), cpr=input.cpr,
            formidlingsstatustype_id=input.formidlingsstatustype_id,
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        row = await skrevet_row(info, udfald, FormidlingByIdLoader)
        return FormidlingPayload(formidling=from_row(Formidling, row) if row else None, fejl=fejl_liste(udfald))

    @strawberry.mutation(description=(
        "Opdatér en jobordre. Et jobcenter må, når de tre første cifre i dets nummer er de samme som i jobordrens "
        "ansvarlige jobcenter (22300 og 22301 er samme myndighed); ellers 66002 (R6.2-a). En jobordre, kalderen ikke "
        "kan se (fx en lukket under en anden myndighed), findes ikke for den (61001)."
    ))
    async def jobordre_opdater(self, info: Info, id: strawberry.ID, input: JobordreOpdaterInput) -> JobordrePayload:
        aendringer = {
            felt: getattr(input, felt) for felt in resolvers.JOBORDRE_FELTER if getattr(input, felt) is not strawberry.UNSET
        }
        udfald = await resolvers.jobordre_opdater(
            info.context, jobordre_id=pk_fra_id(id, "Jobordre"), aendringer=aendringer,
            idempotensnoegle=idempotensnoegle(info, input.idempotensnoegle),
        )
        row = await skrevet_row(info, udfald, JobordreByIdLoader)
        return JobordrePayload(jobordre=from_row(Jobordre, row) if row else None, fejl=fejl_liste(udfald))
