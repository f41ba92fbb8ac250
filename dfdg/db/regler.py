"""Rules of dfdg.regler that a statement must also say in SQL, so the database can filter a list
(full pages, right counts) by them. Each is built from the same constant as its Python twin and
names it; tests/test_regler_sql.py checks that the two agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select

from dfdg.db import tables as t
from dfdg.regler.identer import MYNDIGHED_CIFRE
from dfdg.regler.koder import RELEASE_2022_3


def myndighed_sql(jobcenter_nummer: Any) -> ColumnElement[str]:
    """``dfdg.regler.identer.jobcenter_myndighed`` in SQL: a jobcentre number's authority (R6.2-a)."""
    return func.left(jobcenter_nummer, MYNDIGHED_CIFRE)


def periode_daekker_sql(fra: Any, til: Any, dato: Any) -> ColumnElement[bool]:
    """``dfdg.regler.tid.periode_daekker`` in SQL: the period [fra, til] (``til`` inclusive, open
    while null) covers ``dato``."""
    return and_(fra <= dato, or_(til.is_(None), til >= dato))


def mindre_intensiv_indsats_sql(cpr: Any, dato: Any) -> ColumnElement[bool]:
    """``dfdg.regler.fravaer.mindre_intensiv_indsats`` in SQL (R5.1-a): the citizen has an absence
    of a less-intensive-effort type covering ``dato``, registered or updated on or after the
    release day (the session's time zone is Danish, so that day begins at Danish midnight here too)."""
    f, ft = t.Fravaer.__table__, t.Fravaerstype.__table__
    return exists().where(
        f.c.cpr == cpr,
        f.c.fravaerstype_id.in_(select(ft.c.id).where(ft.c.mindre_intensiv)),
        periode_daekker_sql(f.c.fra, f.c.til, dato),
        f.c.opdateret >= RELEASE_2022_3,
    )
