"""The root fields the planned path knows, until their declarations live beside them in the schema.

Every field of a row type is read from its own declaration (dfdg.schema.erklaering); only the root
fields below are still listed here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dfdg.plan import mutationer as pm
from dfdg.resolvers import borger as borgerregler
from dfdg.schema import kodeliste as skodeliste
from dfdg.schema import query as squery

# --- kinds of root implementation ----------------------------------------------------------------


@dataclass(frozen=True)
class RodBorger:
    """``Query.borger(cpr)``: one citizen by CPR, through ``BorgerByCprLoader`` and ``synlig_borger``."""


@dataclass(frozen=True)
class RodForbindelse:
    """A root connection of citizens: ``statement(args, rt) -> (stmt, order)`` checks the arguments
    (raising as the resolver does) and builds the resolver's statement; ``paginate`` runs it."""

    statement: Callable[[dict, Any], Any]


@dataclass(frozen=True)
class RodObjekt:
    """A root field returning a fixed object (``kodelister``): ``lav(rt)`` makes it, raising as the
    resolver does (no caller)."""

    lav: Callable[[Any], Any]


@dataclass(frozen=True)
class RodMutation:
    """A mutation root field: ``koer(args, info)`` runs its body (dfdg.plan.mutationer) and returns
    the payload, with rows in its row-typed fields."""

    koer: Callable[..., Any]


@dataclass(frozen=True)
class Post:
    impl: Any


def _kodelister(rt) -> Any:
    rt.ctx.kraev_actor()  # no code lists without a caller (the resolver's UNAUTHENTICATED)
    return skodeliste.Kodelister()


def _borgere_statement(a: dict, rt) -> Any:
    f = a.get("filter") or {}
    squery._tjek_jobcenter("filter.jobcenter", f.get("jobcenter"))
    squery._tjek_myndighed("filter.myndighed", f.get("myndighed"))
    return borgerregler.borgere_statement(
        rt.ctx.kraev_actor(), jobcenter=f.get("jobcenter"), myndighed=f.get("myndighed"), kontaktgruppe=f.get("kontaktgruppe"),
        akasse=f.get("akasse"), moedeform_maalgruppe=f.get("moedeformMaalgruppe"),
    )


def _cv_soegning_statement(a: dict, rt) -> Any:
    f = a.get("filter") or {}
    squery._tjek_jobcenter("filter.jobcenter", f.get("jobcenter"))
    squery._tjek_myndighed("filter.myndighed", f.get("myndighed"))
    return borgerregler.borgere_statement(
        rt.ctx.kraev_actor(), jobcenter=f.get("jobcenter"), myndighed=f.get("myndighed"), kontaktgruppe=f.get("kontaktgruppe"),
        mindre_intensiv_indsats=f.get("mindreIntensivIndsats"), dato=f.get("dato") or rt.idag,
    )


FELTER: dict[tuple[str, str], Post] = {
    ("Query", "borger"): Post(RodBorger()),
    ("Query", "borgere"): Post(RodForbindelse(_borgere_statement)),
    ("Query", "cvSoegning"): Post(RodForbindelse(_cv_soegning_statement)),
    ("Query", "kodelister"): Post(RodObjekt(_kodelister)),
    ("Mutation", "fravaerOpret"): Post(RodMutation(pm.fravaer_opret)),
    ("Mutation", "fravaerOpdater"): Post(RodMutation(pm.fravaer_opdater)),
    ("Mutation", "fravaerSlet"): Post(RodMutation(pm.fravaer_slet)),
}
