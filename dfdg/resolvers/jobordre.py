"""Job orders (section 6 of the release): the writes. Their rules are dfdg.regler.jobordre's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dfdg.context import idag
from dfdg.db.borger import jobcenter_findes
from dfdg.db.jobordre import (
    eksisterende_formidling,
    er_henvist,
    laas_borger_for_formidling,
    laas_jobordre,
    opret_formidling,
)
from dfdg.db.mutation import opdater_med_historik, skriv_historik
from dfdg.regler import fejlkoder as k
from dfdg.regler.adgang import kan_se_jobordre, kan_skrive
from dfdg.regler.aktoer import Rolle
from dfdg.regler.identer import jobcenter_fejl
from dfdg.regler.jobordre import (
    formidling_findes_fejl,
    valider_formidling,
    valider_jobordre_opdatering,
)
from dfdg.regler.tekst import normaliser_tekst
from dfdg.resolvers.mutation import Afvist, Udfald, afvis_hvis, borger_til_skrivning, udfoer

# --- writes: formidlingOpret (R6.1-a), jobordreOpdater (R6.2-a) -------------------------------

JOBORDRE_FELTER = ("titel", "antal_stillinger", "status_id", "ansvarligt_jobcenter")


async def _synlig_jobordre(tx, actor, jobordre: Mapping[str, Any] | None) -> bool:
    """Whether the caller may see the job order it named (``kan_se_jobordre``; for a citizen, by
    its own referrals): one it may not is answered as one that does not exist."""
    if jobordre is None:
        return False
    egne: frozenset[int] = frozenset()
    if actor.rolle is Rolle.BORGER and actor.cpr:
        egne = frozenset({jobordre["id"]}) if await er_henvist(tx, actor.cpr, jobordre["id"]) else frozenset()
    return kan_se_jobordre(actor, jobordre, egne)


async def formidling_opret(ctx, *, jobordre_id: int | None, cpr: str, formidlingsstatustype_id: int,
                           idempotensnoegle: str | None = None) -> Udfald:
    actor = ctx.kraev_actor()

    async def krop(tx) -> Udfald:
        # FOR SHARE: a concurrent status change (to 'Lukket') waits for this referral, or this for it.
        jobordre = None if jobordre_id is None else await laas_jobordre(tx, jobordre_id, delt=True)
        if not await _synlig_jobordre(tx, actor, jobordre):
            raise Afvist([k.fejl(k.IKKE_FUNDET, "jobordreId", entitet="Jobordren")])
        await borger_til_skrivning(tx, actor, cpr, "formidlingOpret", "formidle borgeren til en jobordre")
        afvis_hvis(valider_formidling(jobordre=jobordre, formidlingsstatustype_id=formidlingsstatustype_id, koder=ctx.kodecache, idag=idag()))
        # The citizen's row is the lock: two referrals of the same citizen run one after the other, so
        # the second sees the first.
        await laas_borger_for_formidling(tx, cpr)
        findes = await eksisterende_formidling(tx, jobordre["id"], cpr)
        if findes is not None:
            raise Afvist([formidling_findes_fejl(findes["oprettet"])])
        row = await opret_formidling(
            tx, jobordre_id=jobordre["id"], cpr=cpr, formidlingsstatustype_id=formidlingsstatustype_id,
            oprettet_af=actor.myndighedskode or actor.subjekt,
        )
        await skriv_historik(tx, actor, cpr=cpr, entitet="Formidling", entitet_id=row["id"], handling="oprettet", foer=None, efter=row)
        return Udfald("Formidling", row["id"], row)

    return await udfoer(ctx, "formidlingOpret", krop, idempotensnoegle=idempotensnoegle)


async def jobordre_opdater(ctx, *, jobordre_id: int | None, aendringer: Mapping[str, Any],
                           idempotensnoegle: str | None = None) -> Udfald:
    """Update a job order (R6.2-a: 66002 on one the caller can see; one it cannot see is not found).
    Its history entry carries no CPR number: a job order is no citizen's registration, so it stays
    out of every citizen's history but remains auditable."""
    actor = ctx.kraev_actor()
    aendringer = {felt: normaliser_tekst(v) if felt == "titel" else v for felt, v in aendringer.items() if felt in JOBORDRE_FELTER}

    async def krop(tx) -> Udfald:
        foer = None if jobordre_id is None else await laas_jobordre(tx, jobordre_id)
        if not await _synlig_jobordre(tx, actor, foer):
            raise Afvist([k.fejl(k.IKKE_FUNDET, "id", entitet="Jobordren")])
        if not kan_skrive(actor, "jobordreOpdater", None, jobordre=foer):
            raise Afvist([k.fejl(k.INGEN_ADGANG, None, rolle=actor.rolle.value, handling="opdatere jobordren")])
        nyt = aendringer.get("ansvarligt_jobcenter")
        findes = nyt is not None and jobcenter_fejl(nyt) is None and await jobcenter_findes(tx, nyt)
        afvis_hvis(valider_jobordre_opdatering(
            jobordre=foer, aendringer=aendringer, kalder_jobcenter=actor.myndighed if actor.rolle is Rolle.JOBCENTER else None,
            nyt_jobcenter_findes=findes, koder=ctx.kodecache, idag=idag(),
        ))
        if not aendringer:
            return Udfald("Jobordre", foer["id"], foer)
        efter = await opdater_med_historik(
            tx, actor, foer, aendringer, entitet="Jobordre", cpr=None,
        )
        return Udfald("Jobordre", efter["id"], efter)

    return await udfoer(ctx, "jobordreOpdater", krop, idempotensnoegle=idempotensnoegle)
