"""What every mutation payload shares: the error type, the idempotency key, and ids."""

from __future__ import annotations

import strawberry

from dfdg.resolvers.fejlkoder import Fejl as FejlData
from dfdg.resolvers.mutation import Udfald
from dfdg.schema.base import Info, from_row
from dfdg.schema.node import from_global_id, int_key

IDEMPOTENS_HEADER = "idempotency-key"


@strawberry.type(description="En afvisning, som kalderen kan rette: stabil kode, dansk besked og feltets sti i input.")
class Fejl:
    kode: int = strawberry.field(description="Stabil fejlkode (se kodelister.fejlkoder).")
    besked: str = strawberry.field(description="Beskrivelse på dansk.")
    felt: str | None = strawberry.field(description="Stien til feltet i input, fx 'input.fravaerstypeId'; null når afvisningen gælder hele handlingen.")


def fejl_liste(udfald: Udfald) -> list[Fejl]:
    return [Fejl(kode=f.kode, besked=f.besked, felt=_sti(f.felt)) for f in udfald.fejl]


def _sti(felt: str | None) -> str | None:
    if felt is None or felt == "id" or felt.startswith("input"):
        return felt
    return f"input.{felt}"


def idempotensnoegle(info: Info, fra_input: str | None) -> str | None:
    """The key from the input, else from the Idempotency-Key header (per mutation field, so a
    document with several mutations gives each its own key)."""
    if fra_input:
        return fra_input
    request = info.context.request
    header = request.headers.get(IDEMPOTENS_HEADER) if request is not None else None
    return f"{header}:{info.path.key}" if header else None


def pk_fra_id(id: str, typename: str) -> int | None:
    """A global id of ``typename`` or the plain number; None when it is neither."""
    if id.isdigit():
        return int(id)
    try:
        found, key = from_global_id(id)
    except ValueError:
        return None
    return int_key(key) if found == typename else None


IDEMPOTENS_BESKRIVELSE = (
    "Valgfri idempotensnøgle: gentages kaldet med samme nøgle, returneres det første resultat, og intet skrives igen. "
    "Kan også sendes som HTTP-headeren Idempotency-Key."
)


def fejl_fra_data(f: FejlData) -> Fejl:
    return Fejl(kode=f.kode, besked=f.besked, felt=_sti(f.felt))


async def skrevet_row(info: Info, udfald: Udfald, loader: type):
    """The row the mutation wrote (or, on an idempotent repeat, its current state); None on errors."""
    if udfald.fejl or udfald.noegle is None:
        return None
    return udfald.row or await info.context.loaders[loader].load(udfald.noegle)


async def skrevet(info: Info, udfald: Udfald, loader: type, cls: type):
    """``skrevet_row`` as its GraphQL type."""
    row = await skrevet_row(info, udfald, loader)
    return from_row(cls, row) if row else None
