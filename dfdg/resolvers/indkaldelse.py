"""Rules about meetings and meeting forms (section 1.1 of the release) as pure functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from dfdg.db import tables as t

from dfdg.resolvers.borger import har_ret_til_valg_af_moedeform

PERSONLIG_KONTAKT = 1
DIGITALT_MOEDE = 8
# LAB § 33: in person, by phone or as a digital meeting (R1.1-a).
BORGERENS_VALG = (1, 2, 8)


def valgbare_moedeformer(
    borger: Mapping[str, Any],
    moededato: date,
    *,
    kun_personligt: bool,
    fastsat_moedeform: int,
    tilbudte_moedeformer: Sequence[int] | None = None,
) -> list[int]:
    """The meeting forms the citizen may choose for one meeting.

    R1.1-c: a meeting the jobcentre has marked to be held in person allows only form 1.
    R1.1-b: without the right to choose, the citizen gets the form the jobcentre set.
    R1.1-a: with it, any form the offer allows (a summons without an offer: 1, 2 and 8).
    """
    if kun_personligt:
        return [PERSONLIG_KONTAKT]
    if not har_ret_til_valg_af_moedeform(borger, moededato):
        return [fastsat_moedeform]
    return sorted(tilbudte_moedeformer) if tilbudte_moedeformer else list(BORGERENS_VALG)


def moedetilbud_statement(*, jobcenter: str, fra: datetime | None, til: datetime | None):
    """The planner's offers of one jobcentre in a period, in time order."""
    m = t.Moedetilbud.__table__
    stmt = select(m).where(m.c.jobcenter_nummer == jobcenter)
    if fra is not None:
        stmt = stmt.where(m.c.starttid >= fra)
    if til is not None:
        stmt = stmt.where(m.c.starttid < til)
    return stmt, (m.c.starttid, m.c.id)
