"""Sealed tokens: what a client keeps and sends back — page cursors, the global id of a citizen —
carries no CPR number anyone can read, and cannot be made up.

Base64 hides nothing: a citizen's global id was ``base64("Borger:0101901234")`` and a page of
``borgere`` ended at ``base64('["0101901234"]')``, and both travel where nobody looks for personal
data (URLs, browser history, proxy and analytics logs; the request log's CPR mask sees ten digits,
not their base64). Sealed with AES-SIV they are opaque and tamper-proof, and still deterministic:
the same citizen always has the same id, as Relay's and Apollo's caches need.

The key is ``DFDG_ID_KEY`` (any string; production sets its own, the same for every worker), turned
into AES-256-SIV's 64 bytes by SHA-512. A process has one key: ``brug`` sets it when the app is made.
Changing it invalidates the ids and cursors clients hold (``node(id:)`` answers BAD_USER_INPUT).
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from dfdg.settings import Settings


class UgyldigForsegling(ValueError):
    """Not something sealed with this process's key (garbled, forged, or from another key)."""


class Forsegling:
    def __init__(self, noegle: str) -> None:
        self._siv = AESSIV(hashlib.sha512(f"dfdg-id:{noegle}".encode()).digest())

    def forsegl(self, data: bytes) -> str:
        return base64.urlsafe_b64encode(self._siv.encrypt(data, None)).decode().rstrip("=")

    def aabn(self, tekst: str) -> bytes:
        try:
            return self._siv.decrypt(base64.urlsafe_b64decode(tekst + "=" * (-len(tekst) % 4)), None)
        except (InvalidTag, ValueError, binascii.Error) as exc:
            raise UgyldigForsegling(tekst) from exc


_aktiv = Forsegling(Settings.id_key)  # until the app sets its own


def brug(noegle: str) -> None:
    """Seal and open with ``noegle`` from now on (the app's ``DFDG_ID_KEY``)."""
    global _aktiv
    _aktiv = Forsegling(noegle)


def forsegl(data: bytes) -> str:
    return _aktiv.forsegl(data)


def aabn(tekst: str) -> bytes:
    return _aktiv.aabn(tekst)
