"""Relay global object identification: opaque ids and ``node(id:)``."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import strawberry

from dfdg.db import forsegling
from dfdg.regler.identer import BIGINT_MAX, UgyldigtArgument


@strawberry.interface(description="Et objekt med et globalt id (Relay), som kan hentes med `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="Globalt, uigennemsigtigt id.")


# Types whose key is personal data (a CPR number): sealed in the id (dfdg.db.forsegling).
PERSONNOEGLER = frozenset({"Borger"})


def to_global_id(typename: str, key: Any) -> strawberry.ID:
    key = forsegling.forsegl(str(key).encode()) if typename in PERSONNOEGLER else key
    return strawberry.ID(base64.urlsafe_b64encode(f"{typename}:{key}".encode()).decode().rstrip("="))


def from_global_id(global_id: str, argument: str = "id") -> tuple[str, str]:
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        typename, _, key = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        if typename in PERSONNOEGLER:
            key = forsegling.aabn(key).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        typename, key = "", ""
    if not typename or not key:
        raise UgyldigtArgument(argument, f"Argumentet '{argument}' er ikke et gyldigt globalt id")
    return typename, key


def int_key(key: str) -> int | None:
    """A row id (a PostgreSQL bigint), or None: a key that cannot be an id finds nothing."""
    if not (key.isascii() and key.isdigit()):
        return None
    value = int(key)
    return value if value <= BIGINT_MAX else None
