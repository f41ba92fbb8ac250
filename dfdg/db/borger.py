"""The citizens' statements: the citizen a write concerns."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlalchemy import bindparam

from dfdg.db import tables as t
from dfdg.db.adgang import borger_med_adgangsfakta
from dfdg.db.engine import Transaction
from dfdg.db.oversaet import Forberedt

Row = Mapping[str, Any]


@cache
def _med_adgangsfakta() -> Forberedt:
    return Forberedt(borger_med_adgangsfakta().where(t.Borger.__table__.c.cpr == bindparam("cpr")))


async def borger_med_adgangsfakta_i(tx: Transaction, cpr: str) -> Row | None:
    """The citizen's row with the facts visibility needs (dfdg.db.adgang), as the reads have it."""
    return await tx.first(_med_adgangsfakta(), {"cpr": cpr})


def uden_adgangsfakta(borger: Row) -> dict[str, Any]:
    """The citizen's row of ``borger_med_adgangsfakta_i``, without the visibility facts."""
    return {kolonne: borger[kolonne] for kolonne in t.Borger.__table__.c.keys()}
