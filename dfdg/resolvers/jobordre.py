"""Job orders (section 6 of the release): queries and pure rules."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from dfdg.db import tables as t


def samme_myndighed(jobcenter_a: str, jobcenter_b: str) -> bool:
    """R6.2-a: only the first three digits of a jobcentre number are compared (22300 ~ 22301)."""
    return jobcenter_a[:3] == jobcenter_b[:3]


def jobordrer_statement(
    *,
    status: Sequence[int] | None = None,
    ansvarligt_jobcenter: str | None = None,
    myndighed: str | None = None,
    cvr_nummer: str | None = None,
):
    j = t.Jobordre.__table__
    stmt = select(j)
    if status:
        stmt = stmt.where(j.c.status_id.in_(list(status)))
    if ansvarligt_jobcenter is not None:
        stmt = stmt.where(j.c.ansvarligt_jobcenter == ansvarligt_jobcenter)
    if myndighed is not None:
        stmt = stmt.where(func.left(j.c.ansvarligt_jobcenter, 3) == myndighed)
    if cvr_nummer is not None:
        stmt = stmt.where(j.c.cvr_nummer == cvr_nummer)
    return stmt, (j.c.id,)
