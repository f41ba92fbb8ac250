"""What every mutation payload shares: the error type, the idempotency key, and ids."""

from __future__ import annotations

import hashlib

import strawberry

from dfdg.regler.fejlkoder import Fejl as FejlData
from dfdg.regler.identer import UgyldigtArgument
from dfdg.resolvers.mutation import Udfald
from dfdg.schema.base import Info
from dfdg.schema.erklaering import from_row
from dfdg.schema.inddata import UGYLDIGT_TEGN
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


# The key is stored with the caller's ``sub`` as the primary key of ``idempotens`` (a btree entry
# holds at most ~2,700 bytes): checked here, before the database, with a message naming the field.
IDEMPOTENSNOEGLE_MAKS = 255


def idempotensnoegle(info: Info, fra_input: str | None) -> str | None:
    """The key from the input, else from the Idempotency-Key header (per mutation field, so a
    document with several mutations gives each its own key); BAD_USER_INPUT when longer than
    ``IDEMPOTENSNOEGLE_MAKS`` characters or holding a character PostgreSQL text cannot hold."""
    if fra_input:
        _kraev_noegle("input.idempotensnoegle", f"Feltet 'input.idempotensnoegle' til '{info.field_name}'", fra_input)
        return fra_input
    request = info.context.request
    header = request.headers.get(IDEMPOTENS_HEADER) if request is not None else None
    if not header:
        return None
    _kraev_noegle("Idempotency-Key", "HTTP-headeren 'Idempotency-Key'", header)
    svarnoegle = info.path.key
    if len(svarnoegle) > 64:  # an alias is any length; the stored key stays within its bound
        svarnoegle = hashlib.sha256(svarnoegle.encode()).hexdigest()
    return f"{header}:{svarnoegle}"


def _kraev_noegle(argument: str, hvad: str, noegle: str) -> None:
    if len(noegle) > IDEMPOTENSNOEGLE_MAKS:
        raise UgyldigtArgument(
            argument, f"{hvad} må højst være {IDEMPOTENSNOEGLE_MAKS} tegn (idempotensnøglen har {len(noegle)})."
        )
    if (fundet := UGYLDIGT_TEGN.search(noegle)) is not None:
        raise UgyldigtArgument(argument, f"{hvad} indeholder tegnet U+{ord(fundet.group()):04X}, som ikke kan gemmes.")


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
    f"Kan også sendes som HTTP-headeren Idempotency-Key. Højst {IDEMPOTENSNOEGLE_MAKS} tegn."
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
