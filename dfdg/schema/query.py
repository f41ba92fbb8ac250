"""The root Query: entry points, each asking for a caller and checking its arguments."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from dfdg.db.borger import borgere_statement
from dfdg.db.indkaldelse import moedetilbud_statement
from dfdg.db.jobordre import jobordrer_statement
from dfdg.db.virksomhed import virksomhedskonti_statement
from dfdg.db.webservicebesked import beskeder_statement
from dfdg.loaders.borger import BorgerByCprLoader
from dfdg.loaders.indkaldelse import IndkaldelseByIdLoader
from dfdg.loaders.jobordre import JobordreByIdLoader
from dfdg.regler import identer
from dfdg.regler.tid import dansk_tid
from dfdg.regler.webservicebesked import modtager
from dfdg.schema.borger import Borger
from dfdg.schema.erklaering import forbindelse, node_opslag, objekt, opslag
from dfdg.schema.indkaldelse import Indkaldelse, Moedetilbud
from dfdg.schema.jobordre import Jobordre
from dfdg.schema.kodeliste import Kodelister
from dfdg.schema.node import Node, from_global_id, int_key
from dfdg.schema.pagination import Connection
from dfdg.schema.virksomhed import Virksomhedskonto
from dfdg.schema.webservicebesked import Webservicebesked


@strawberry.input(description="Filter på borgere. Alle angivne betingelser skal være opfyldt.")
class BorgerFilter:
    jobcenter: str | None = strawberry.field(default=None, description="Ansvarligt jobcenter (5 cifre).")
    myndighed: str | None = strawberry.field(default=None, description="Myndighed: jobcenternummerets første 3 cifre.")
    kontaktgruppe: int | None = None
    akasse: str | None = None
    moedeform_maalgruppe: bool | None = None


@strawberry.input(description="Filter i CV-søgning (R5.1-a).")
class CvSoegningFilter:
    jobcenter: str | None = None
    myndighed: str | None = None
    kontaktgruppe: int | None = None
    mindre_intensiv_indsats: bool | None = strawberry.field(
        default=None, description="Kun borgere, der er (true) eller ikke er (false) omfattet af mindre intensiv indsats."
    )
    dato: date | None = strawberry.field(default=None, description="Dato for vurderingen (standard: i dag).")


@strawberry.input(description="Filter på jobordrer.")
class JobordreFilter:
    status: list[int] | None = strawberry.field(default=None, description="Jobordrestatus-id'er (1 Åben, 2 Midlertidig inaktiv, 3 Lukket).")
    ansvarligt_jobcenter: str | None = None
    myndighed: str | None = None
    cvr_nummer: str | None = None


def _tjek_jobcenter(argument: str, nummer: str | None) -> None:
    if nummer is not None:
        identer.kraev(argument, identer.jobcenter_fejl(nummer))


def _tjek_myndighed(argument: str, myndighed: str | None) -> None:
    if myndighed is not None:
        identer.kraev(argument, identer.myndighed_fejl(myndighed))


def _borgere(ctx, f: BorgerFilter | CvSoegningFilter, **filtre):
    _tjek_jobcenter("filter.jobcenter", f.jobcenter)
    _tjek_myndighed("filter.myndighed", f.myndighed)
    return borgere_statement(
        ctx.actor, jobcenter=f.jobcenter, myndighed=f.myndighed, kontaktgruppe=f.kontaktgruppe, **filtre,
    )


@strawberry.type
class Query:
    @opslag(BorgerByCprLoader, description="Én borger ved CPR-nummer; null hvis borgeren ikke findes (eller ikke må ses).")
    def borger(ctx, cpr: str) -> Borger | None:
        identer.kraev("cpr", identer.cpr_fejl(cpr))
        return cpr

    @forbindelse((str,), description="Borgere, sorteret efter CPR-nummer.")
    def borgere(ctx, filter: BorgerFilter | None = None) -> Connection[Borger]:
        f = filter or BorgerFilter()
        return _borgere(ctx, f, akasse=f.akasse, moedeform_maalgruppe=f.moedeform_maalgruppe)

    @forbindelse((str,), ressource="cvSoegning",
                 description="CV-søgning blandt borgere, med filter på mindre intensiv indsats (R5.1-a).")
    def cv_soegning(ctx, filter: CvSoegningFilter | None = None) -> Connection[Borger]:
        f = filter or CvSoegningFilter()
        return _borgere(ctx, f, mindre_intensiv_indsats=f.mindre_intensiv_indsats, dato=f.dato or ctx.idag)

    @opslag(IndkaldelseByIdLoader, description="Én indkaldelse ved globalt id (eller løbenummer).")
    def indkaldelse(ctx, id: strawberry.ID) -> Indkaldelse | None:
        return _pk(id, "Indkaldelse")

    @forbindelse((datetime.fromisoformat, int),
                 description="Et jobcenters mødetilbud i en periode (starttid i [fra, til)), til selvbooking.")
    def moedetilbud(ctx, jobcenter: str, fra: datetime | None = None, til: datetime | None = None) -> Connection[Moedetilbud]:
        identer.kraev("jobcenter", identer.jobcenter_fejl(jobcenter))
        # A time without an offset is Danish time, as the jobcentre's planner means it.
        fra, til = (None if t is None else dansk_tid(t) for t in (fra, til))
        if fra is not None and til is not None and til <= fra:
            raise identer.UgyldigtArgument("til", "Argumentet 'til' skal ligge efter 'fra'")
        return moedetilbud_statement(jobcenter=jobcenter, fra=fra, til=til)

    @opslag(JobordreByIdLoader, description="Én jobordre ved globalt id (eller jobordrenummer).")
    def jobordre(ctx, id: strawberry.ID) -> Jobordre | None:
        return _pk(id, "Jobordre")

    @forbindelse((int,), description="Jobordrer, sorteret efter jobordrenummer.")
    def jobordrer(ctx, filter: JobordreFilter | None = None) -> Connection[Jobordre]:
        f = filter or JobordreFilter()
        _tjek_jobcenter("filter.ansvarligtJobcenter", f.ansvarligt_jobcenter)
        _tjek_myndighed("filter.myndighed", f.myndighed)
        if f.cvr_nummer is not None:
            identer.kraev("filter.cvrNummer", identer.cvr_fejl(f.cvr_nummer))
        return jobordrer_statement(  # only the job orders the caller may see
            ctx.actor, status=f.status, ansvarligt_jobcenter=f.ansvarligt_jobcenter, myndighed=f.myndighed,
            cvr_nummer=f.cvr_nummer,
        )

    @forbindelse((str, str), description=(
        "GetVirksomhedskonto (R7.1-a): CVR og P-nummer giver den P-enhed; CVR alene alle virksomhedens "
        "P-enheder (med harProfil for hver); ingen af dem alle P-enheder med profil på JobAG; P-nummer alene "
        "eller en ikke-eksisterende kombination giver et tomt resultat. "
        "Spærrede virksomheder er med (R7.1-c)."
    ))
    def virksomhedskonti(ctx, cvr_nummer: str | None = None, p_nummer: str | None = None) -> Connection[Virksomhedskonto]:
        if cvr_nummer is not None:
            identer.kraev("cvrNummer", identer.cvr_fejl(cvr_nummer))
        if p_nummer is not None:
            identer.kraev("pNummer", identer.p_nummer_fejl(p_nummer))
        return virksomhedskonti_statement(cvr_nummer=cvr_nummer, p_nummer=p_nummer)

    @objekt(description="Alle kodelister, med udgåede koder.")
    def kodelister(ctx) -> Kodelister:
        return Kodelister()

    @forbindelse((int,), description="Kalderens egen kø af webservicebeskeder (WSRM), ældste først.")
    def webservicebeskeder(ctx) -> Connection[Webservicebesked]:
        koe = modtager(ctx.actor)
        return None if koe is None else beskeder_statement(ctx.actor, koe)

    @node_opslag(description="Et hvilket som helst objekt ved dets globale id (Relay).")
    def node(ctx, id: strawberry.ID) -> Node | None:
        return from_global_id(id)


def _pk(id: str, typename: str) -> int | None:
    """A global id of ``typename``, or the plain number integrators already store."""
    if id.isdigit():
        return int_key(id)
    found, key = from_global_id(id)
    return int_key(key) if found == typename else None
