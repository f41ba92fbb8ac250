"""The root Query: entry points, each asking for a caller and checking its arguments."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from dfdg.context import DANMARK, idag
from dfdg.resolvers import borger as borgerresolvers
from dfdg.resolvers import identer
from dfdg.resolvers.adgang import jobordre_predikat
from dfdg.resolvers.indkaldelse import moedetilbud_statement
from dfdg.resolvers.jobordre import jobordrer_statement
from dfdg.resolvers.virksomhed import virksomhedskonti_statement
from dfdg.resolvers.webservicebesked import beskeder_statement
from dfdg.schema.adgang import synlig_borger
from dfdg.schema.base import Info, from_row
from dfdg.schema.borger import Borger, hent_borger
from dfdg.schema.indkaldelse import Indkaldelse, Moedetilbud, hent_indkaldelse
from dfdg.schema.jobordre import Jobordre, hent_jobordre
from dfdg.schema.kodeliste import Kodelister
from dfdg.schema.node import NODE_RESOLVERS, Node, from_global_id, int_key
from dfdg.schema.pagination import Connection, paginate
from dfdg.schema.virksomhed import Virksomhedskonto
from dfdg.schema.webservicebesked import Webservicebesked
from dfdg.schema.pagination import empty_connection


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
    if myndighed is not None and not (len(myndighed) == 3 and myndighed.isdigit()):
        raise identer.UgyldigtArgument(argument, f"Argumentet '{argument}': myndighed skal være 3 cifre")


def _borgerside(info: Info, stmt, order, first, after) -> Connection[Borger]:
    def make(row):
        synlig_borger(info, row)
        return from_row(Borger, row)

    return paginate(info.context, stmt, order, first, after, make, (str,))


@strawberry.type
class Query:
    @strawberry.field(description="Én borger ved CPR-nummer; null hvis borgeren ikke findes (eller ikke må ses).")
    async def borger(self, info: Info, cpr: str) -> Borger | None:
        info.context.kraev_actor()
        identer.kraev("cpr", identer.cpr_fejl(cpr))
        return await hent_borger(info, cpr)

    @strawberry.field(description="Borgere, sorteret efter CPR-nummer.")
    async def borgere(
        self, info: Info, filter: BorgerFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Borger]:
        actor = info.context.kraev_actor()
        f = filter or BorgerFilter()
        _tjek_jobcenter("filter.jobcenter", f.jobcenter)
        _tjek_myndighed("filter.myndighed", f.myndighed)
        stmt, order = borgerresolvers.borgere_statement(
            actor, jobcenter=f.jobcenter, myndighed=f.myndighed, kontaktgruppe=f.kontaktgruppe, akasse=f.akasse,
            moedeform_maalgruppe=f.moedeform_maalgruppe,
        )
        return await _borgerside(info, stmt, order, first, after)

    @strawberry.field(description="CV-søgning blandt borgere, med filter på mindre intensiv indsats (R5.1-a).")
    async def cv_soegning(
        self, info: Info, filter: CvSoegningFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Borger]:
        actor = info.context.kraev_actor()
        f = filter or CvSoegningFilter()
        _tjek_jobcenter("filter.jobcenter", f.jobcenter)
        _tjek_myndighed("filter.myndighed", f.myndighed)
        stmt, order = borgerresolvers.borgere_statement(
            actor, jobcenter=f.jobcenter, myndighed=f.myndighed, kontaktgruppe=f.kontaktgruppe,
            mindre_intensiv_indsats=f.mindre_intensiv_indsats, dato=f.dato or idag(),
        )
        return await _borgerside(info, stmt, order, first, after)

    @strawberry.field(description="Én indkaldelse ved globalt id (eller løbenummer).")
    async def indkaldelse(self, info: Info, id: strawberry.ID) -> Indkaldelse | None:
        info.context.kraev_actor()
        return await hent_indkaldelse(info, _pk(id, "Indkaldelse"))

    @strawberry.field(description="Et jobcenters mødetilbud i en periode (starttid i [fra, til)), til selvbooking.")
    async def moedetilbud(
        self, info: Info, jobcenter: str, fra: datetime | None = None, til: datetime | None = None,
        first: int | None = None, after: str | None = None,
    ) -> Connection[Moedetilbud]:
        info.context.kraev_actor()
        identer.kraev("jobcenter", identer.jobcenter_fejl(jobcenter))
        # A time without an offset is Danish time, as the jobcentre's planner means it.
        fra, til = (t.replace(tzinfo=DANMARK) if t is not None and t.tzinfo is None else t for t in (fra, til))
        if fra is not None and til is not None and til <= fra:
            raise identer.UgyldigtArgument("til", "Argumentet 'til' skal ligge efter 'fra'")
        stmt, order = moedetilbud_statement(jobcenter=jobcenter, fra=fra, til=til)
        return await paginate(info.context, stmt, order, first, after, lambda r: from_row(Moedetilbud, r), (datetime.fromisoformat, int))

    @strawberry.field(description="Én jobordre ved globalt id (eller jobordrenummer).")
    async def jobordre(self, info: Info, id: strawberry.ID) -> Jobordre | None:
        info.context.kraev_actor()
        return await hent_jobordre(info, _pk(id, "Jobordre"))

    @strawberry.field(description="Jobordrer, sorteret efter jobordrenummer.")
    async def jobordrer(
        self, info: Info, filter: JobordreFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Jobordre]:
        actor = info.context.kraev_actor()
        f = filter or JobordreFilter()
        _tjek_jobcenter("filter.ansvarligtJobcenter", f.ansvarligt_jobcenter)
        _tjek_myndighed("filter.myndighed", f.myndighed)
        if f.cvr_nummer is not None:
            identer.kraev("filter.cvrNummer", identer.cvr_fejl(f.cvr_nummer))
        stmt, order = jobordrer_statement(
            status=f.status, ansvarligt_jobcenter=f.ansvarligt_jobcenter, myndighed=f.myndighed, cvr_nummer=f.cvr_nummer
        )
        stmt = stmt.where(jobordre_predikat(actor))  # only the job orders the caller may see
        return await paginate(info.context, stmt, order, first, after, lambda r: from_row(Jobordre, r), (int,))

    @strawberry.field(description=(
        "GetVirksomhedskonto (R7.1-a): CVR og P-nummer giver den P-enhed; CVR alene alle virksomhedens "
        "P-enheder (med harProfil for hver); ingen af dem alle P-enheder med profil på JobAG; P-nummer alene "
        "eller en ikke-eksisterende kombination giver et tomt resultat. "
        "Spærrede virksomheder er med (R7.1-c)."
    ))
    async def virksomhedskonti(
        self, info: Info, cvr_nummer: str | None = None, p_nummer: str | None = None,
        first: int | None = None, after: str | None = None,
    ) -> Connection[Virksomhedskonto]:
        info.context.kraev_actor()
        if cvr_nummer is not None:
            identer.kraev("cvrNummer", identer.cvr_fejl(cvr_nummer))
        if p_nummer is not None:
            identer.kraev("pNummer", identer.p_nummer_fejl(p_nummer))
        stmt, order = virksomhedskonti_statement(cvr_nummer=cvr_nummer, p_nummer=p_nummer)

        return await paginate(info.context, stmt, order, first, after, lambda r: from_row(Virksomhedskonto, r), (str, str))

    @strawberry.field(description="Alle kodelister, med udgåede koder.")
    def kodelister(self, info: Info) -> Kodelister:
        info.context.kraev_actor()
        return Kodelister()

    @strawberry.field(description="Kalderens egen kø af webservicebeskeder (WSRM), ældste først.")
    async def webservicebeskeder(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Webservicebesked]:
        actor = info.context.kraev_actor()
        stmt, order = beskeder_statement(actor)
        if stmt is None:
            return empty_connection()
        return await paginate(info.context, stmt, order, first, after, lambda r: from_row(Webservicebesked, r), (int,))

    @strawberry.field(description="Et hvilket som helst objekt ved dets globale id (Relay).")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        info.context.kraev_actor()
        typename, key = from_global_id(id)
        resolver = NODE_RESOLVERS.get(typename)
        return await resolver(info, key) if resolver else None


def _pk(id: str, typename: str) -> int | None:
    """A global id of ``typename``, or the plain number integrators already store."""
    if id.isdigit():
        return int_key(id)
    found, key = from_global_id(id)
    return int_key(key) if found == typename else None
