"""Danish time: what a date or a time without an offset means to the platform."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

# Every date the rules count ("today", a meeting's date, the release day) is a day in Denmark.
# The database sessions run in the same zone (dfdg.db.engine, dfdg.db.pulje: ``DANMARK.key``), so
# CURRENT_DATE and a date compared with a timestamp mean the same day there.
DANMARK = ZoneInfo("Europe/Copenhagen")


def dansk_tid(tid: datetime) -> datetime:
    """A time without offset is Danish local time (what a Danish caseworker or planner means)."""
    return tid.replace(tzinfo=DANMARK) if tid.tzinfo is None else tid


def periode_daekker(fra: date, til: date | None, dato: date) -> bool:
    """The period [fra, til] covers ``dato``: the end date is inclusive, and a period without one is
    open-ended. The SQL twin: dfdg.db.regler.periode_daekker_sql."""
    return fra <= dato and (til is None or dato <= til)


def dansk_dato(tid: datetime) -> date:
    """The day it is in Denmark at ``tid`` (a time without offset is already Danish): the date of a
    meeting (R1.1-b), of a registration (R5.1-a), of a referral."""
    return dansk_tid(tid).astimezone(DANMARK).date()
