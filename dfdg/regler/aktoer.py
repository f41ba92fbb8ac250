"""Who calls: the roles of the platform and the verified caller, as the rules read them.

A bearer token becomes an ``Actor`` in dfdg.http.tokens; everything after that reads only these fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from dfdg.regler.identer import jobcenter_myndighed


class Rolle(str, Enum):
    BORGER = "borger"
    JOBCENTER = "jobcenter"
    AKASSE = "akasse"
    ANDEN_AKTOER = "anden_aktoer"
    PLANNER = "planner"
    VITAS = "vitas"


@dataclass(frozen=True)
class Actor:
    rolle: Rolle
    subjekt: str
    # jobcentre number (5 digits) for jobcenter/planner, a-kasse number, actor number; None for borger.
    myndighed: str | None = None
    cpr: str | None = None
    # the token's exp (seconds since the epoch): what outlives one request (a subscription) ends there
    udloeber: float | None = field(default=None, compare=False)

    @cached_property  # asked per row by the matrix's conditions
    def myndighedskode(self) -> str | None:
        """The authority: a jobcentre's (R6.2-a, ``jobcenter_myndighed``); others their own number."""
        if self.myndighed and self.rolle in (Rolle.JOBCENTER, Rolle.PLANNER):
            return jobcenter_myndighed(self.myndighed)
        return self.myndighed
