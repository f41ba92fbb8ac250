"""Who may see which citizen: the single policy every entry point and edge asks.

Foundation stage: every authenticated actor may read (the security issue narrows this).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dfdg.auth import Actor


def kan_se_borger(actor: Actor, borger: Mapping[str, Any]) -> bool:
    return actor is not None


def kan_skrive(actor: Actor, handling: str, borger: Mapping[str, Any] | None = None, **fakta: Any) -> bool:
    """May ``actor`` perform the write ``handling`` (a mutation name) on this citizen's data?
    Foundation stage: every authenticated actor may (the security issue narrows this)."""
    return actor is not None
