"""Rules of dfdg.regler that a statement must also say in SQL, so the database can filter a list
(full pages, right counts) by them. Each is built from the same constant as its Python twin and
names it; tests/test_regler_sql.py checks that the two agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_

from dfdg.regler.identer import MYNDIGHED_CIFRE


def myndighed_sql(jobcenter_nummer: Any) -> ColumnElement[str]:
    """``dfdg.regler.identer.jobcenter_myndighed`` in SQL: a jobcentre number's authority (R6.2-a)."""
    return func.left(jobcenter_nummer, MYNDIGHED_CIFRE)


def periode_daekker_sql(fra: Any, til: Any, dato: Any) -> ColumnElement[bool]:
    """``dfdg.regler.tid.periode_daekker`` in SQL: the period [fra, til] (``til`` inclusive, open
    while null) covers ``dato``."""
    return and_(fra <= dato, or_(til.is_(None), til >= dato))
