"""The authorization matrix's decisions in SQL (dfdg.regler.adgang says them in Python): which
citizens, job orders and messages a caller may see, for the lists the database filters, and the
facts ``omfatter`` reads beyond a citizen row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, false, func, or_, select, true

from dfdg.db import tables as t
from dfdg.db.regler import myndighed_sql, periode_daekker_sql
from dfdg.regler.adgang import TIL_TIDLIGERE_PART, Omfang, adgang, laeser
from dfdg.regler.aktoer import Actor, Rolle
from dfdg.regler.koder import JOBORDRE_AABEN


def _aktiv_i_dag(fra, til) -> ColumnElement[bool]:
    # CURRENT_DATE in the session's time zone, Danish (dfdg.db.engine).
    return periode_daekker_sql(fra, til, func.current_date())


def adgangsfakta_kolonner(b) -> list[ColumnElement[Any]]:
    """The facts ``omfatter`` needs beyond the citizen row, as columns of the same statement:
    the a-kasser with a membership active today, the other actors with an assignment active today."""
    m, a = t.Medlemskab.__table__, t.AndenAktoerTildeling.__table__
    return [
        select(func.array_agg(m.c.akasse_nummer))
        .where(m.c.cpr == b.c.cpr, _aktiv_i_dag(m.c.indmeldt, m.c.udmeldt))
        .scalar_subquery().label("adgang_akasser"),
        select(func.array_agg(a.c.aktoer))
        .where(a.c.cpr == b.c.cpr, _aktiv_i_dag(a.c.fra, a.c.til))
        .scalar_subquery().label("adgang_aktoerer"),
    ]


def borger_med_adgangsfakta():
    """``SELECT borger.*, <facts>`` — how a citizen row is read wherever visibility is decided."""
    b = t.Borger.__table__
    return select(b, *adgangsfakta_kolonner(b))


def borger_predikat(actor: Actor | None, b=None) -> ColumnElement[bool]:
    """``kan_se_borger`` in SQL, for ``borgere`` and ``cvSoegning``."""
    b = t.Borger.__table__ if b is None else b
    a = adgang(actor)
    if a is None:
        return false()
    kode = actor.myndighedskode
    match a.borgere:
        case Omfang.EGEN:
            return b.c.cpr == actor.cpr if actor.cpr else false()
        case Omfang.MYNDIGHED:
            return myndighed_sql(b.c.jobcenter_nummer) == kode if kode else false()
        case Omfang.JOBCENTER:
            return b.c.jobcenter_nummer == actor.myndighed if actor.myndighed else false()
        case Omfang.MEDLEM:
            if not kode:
                return false()
            m = t.Medlemskab.__table__
            return or_(
                b.c.akasse_nummer == kode,
                exists().where(m.c.cpr == b.c.cpr, m.c.akasse_nummer == kode, _aktiv_i_dag(m.c.indmeldt, m.c.udmeldt)),
            )
        case Omfang.TILDELT:
            if not kode:
                return false()
            ta = t.AndenAktoerTildeling.__table__
            return exists().where(ta.c.cpr == b.c.cpr, ta.c.aktoer == kode, _aktiv_i_dag(ta.c.fra, ta.c.til))
        case Omfang.ALLE:
            return true()
    return false()


def jobordre_predikat(actor: Actor | None, j=None) -> ColumnElement[bool]:
    """``kan_se_jobordre`` in SQL, for ``jobordrer``."""
    j = t.Jobordre.__table__ if j is None else j
    if not laeser(actor, "jobordrer"):
        return false()
    match actor.rolle:
        case Rolle.JOBCENTER:
            return or_(j.c.status_id == JOBORDRE_AABEN, myndighed_sql(j.c.ansvarligt_jobcenter) == actor.myndighedskode)
        case Rolle.ANDEN_AKTOER:
            return j.c.status_id == JOBORDRE_AABEN
        case Rolle.BORGER:
            f = t.Formidling.__table__
            return exists().where(f.c.jobordre_id == j.c.id, f.c.cpr == actor.cpr) if actor.cpr else false()
    return false()


def besked_predikat(actor: Actor | None, w=None) -> ColumnElement[bool]:
    """``kan_modtage_besked`` in SQL, against the citizen's current row (queue, push, kvittering)."""
    w = t.Webservicebesked.__table__ if w is None else w
    b = t.Borger.__table__
    return or_(
        w.c.cpr.is_(None), w.c.beskedtype.in_(sorted(TIL_TIDLIGERE_PART)),
        exists().where(b.c.cpr == w.c.cpr, borger_predikat(actor, b)),
    )
