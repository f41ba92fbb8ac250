"""Company accounts on JobAG (section 7 of the release): the statement of ``virksomhedskonti``."""

from __future__ import annotations

from sqlalchemy import false, func, select

from dfdg.db import tables as t


def virksomhedskonti_statement(*, cvr_nummer: str | None, p_nummer: str | None):
    """GetVirksomhedskonto (R7.1-a), exactly four cases:
    CVR and P: that production unit; CVR alone: all the company's units; neither: every unit
    with a profile on JobAG; P alone (or a CVR/P pair that does not exist): nothing.
    A look-up by CVR tells whether each unit has a profile at all (``har_profil``), so a unit
    without one is answered, not left out. Each row says whether the account is active (an
    active user, R7.1-b) and its latest login. Blocked companies are included (R7.1-c).
    """
    k, u = t.Virksomhedskonto.__table__, t.JobagBruger.__table__
    v, p = t.Virksomhed.__table__, t.Produktionsenhed.__table__
    brugere = (
        select(
            u.c.konto_id,
            func.count().filter(u.c.aktiv).label("antal_aktive_brugere"),
            func.max(u.c.seneste_login).label("seneste_login"),
        )
        .group_by(u.c.konto_id)
        .subquery()
    )
    stmt = (
        select(
            p.c.cvr_nummer,
            p.c.p_nummer,
            v.c.navn.label("virksomhedsnavn"),
            p.c.navn.label("produktionsenhedsnavn"),
            v.c.spaerret,
            k.c.id.is_not(None).label("har_profil"),
            func.coalesce(brugere.c.antal_aktive_brugere, 0).label("antal_aktive_brugere"),
            brugere.c.seneste_login,
        )
        .join(v, v.c.cvr_nummer == p.c.cvr_nummer)
        .outerjoin(k, k.c.p_nummer == p.c.p_nummer)
        .outerjoin(brugere, brugere.c.konto_id == k.c.id)
    )
    if cvr_nummer is not None:
        stmt = stmt.where(p.c.cvr_nummer == cvr_nummer)
        if p_nummer is not None:
            stmt = stmt.where(p.c.p_nummer == p_nummer)
    elif p_nummer is not None:
        stmt = stmt.where(false())
    else:
        stmt = stmt.where(k.c.id.is_not(None))
    return stmt, (p.c.cvr_nummer, p.c.p_nummer)
