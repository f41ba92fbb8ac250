"""Rules about the citizen (section 1.1 of the release) as pure functions."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, func, or_, select

from dfdg.db import tables as t
from dfdg.db.kodelister import RELEASE_2022_3

LEDIGHED_FOR_VALG_MAANEDER = 6


def plus_maaneder(dato: date, maaneder: int) -> date:
    aar, maaned = divmod(dato.month - 1 + maaneder, 12)
    aar, maaned = dato.year + aar, maaned + 1
    return date(aar, maaned, min(dato.day, calendar.monthrange(aar, maaned)[1]))


def har_ret_til_valg_af_moedeform(borger: Mapping[str, Any], moededato: date) -> bool:
    """R1.1-b (LAB § 33, stk. 1): unemployed for 6 months or more on the meeting date, counted
    from the unemployment start, and in the planner system's target group."""
    ledighedsdato = borger["ledighedsdato"]
    return (
        bool(borger["moedeform_maalgruppe"])
        and ledighedsdato is not None
        and moededato >= plus_maaneder(ledighedsdato, LEDIGHED_FOR_VALG_MAANEDER)
    )


if TYPE_CHECKING:
    from dfdg.auth import Actor


def borgere_statement(
    actor: Actor | None,
    *,
    jobcenter: str | None = None,
    myndighed: str | None = None,
    kontaktgruppe: int | None = None,
    akasse: str | None = None,
    moedeform_maalgruppe: bool | None = None,
    mindre_intensiv_indsats: bool | None = None,
    dato: date | None = None,
):
    """The citizens matching a filter (borgere, cvSoegning) that ``actor`` may see, and their
    unique order. Visibility is filtered here, in SQL (``borger_predikat`` mirrors
    ``kan_se_borger``), so pages are full and counts right; the rows carry the visibility facts."""
    from dfdg.resolvers.adgang import adgangsfakta_kolonner, borger_predikat

    b = t.Borger.__table__
    stmt = select(b, *adgangsfakta_kolonner(b)).where(borger_predikat(actor, b))
    if jobcenter is not None:
        stmt = stmt.where(b.c.jobcenter_nummer == jobcenter)
    if myndighed is not None:
        stmt = stmt.where(func.left(b.c.jobcenter_nummer, 3) == myndighed)
    if kontaktgruppe is not None:
        stmt = stmt.where(b.c.kontaktgruppe_id == kontaktgruppe)
    if akasse is not None:
        stmt = stmt.where(b.c.akasse_nummer == akasse)
    if moedeform_maalgruppe is not None:
        stmt = stmt.where(b.c.moedeform_maalgruppe == moedeform_maalgruppe)
    if mindre_intensiv_indsats is not None:
        # R5.1-a, as dfdg.resolvers.fravaer.mindre_intensiv_indsats, in SQL.
        f, ft = t.Fravaer.__table__, t.Fravaerstype.__table__
        daekket = exists().where(
            f.c.cpr == b.c.cpr,
            f.c.fravaerstype_id.in_(select(ft.c.id).where(ft.c.mindre_intensiv)),
            f.c.fra <= dato,
            or_(f.c.til.is_(None), f.c.til >= dato),
            f.c.opdateret >= RELEASE_2022_3,
        )
        stmt = stmt.where(daekket if mindre_intensiv_indsats else ~daekket)
    return stmt, (b.c.cpr,)


