"""Who is calling: bearer tokens (JWT) and the verified actor.

Development uses HS256 with a configured secret; production configures a JWKS file with the
identity provider's public keys (RS256/ES256). ``exp``, ``iss`` and ``aud`` are always checked,
and the claims the API stores (``sub``, ``rolle``, ``myndighed``, ``cpr``) for their type and form.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import jwt

from dfdg.regler.aktoer import Actor, Rolle
from dfdg.settings import Settings


class AuthError(Exception):
    """The token is missing a claim, expired, forged or for another audience."""


def mint_token(
    settings: Settings,
    *,
    rolle: Rolle,
    myndighed: str | None = None,
    cpr: str | None = None,
    subjekt: str | None = None,
    ttl_seconds: int = 8 * 3600,
) -> str:
    now = int(time.time())
    claims = {
        "sub": subjekt or cpr or f"{rolle.value}:{myndighed}",
        "rolle": rolle.value,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if myndighed:
        claims["myndighed"] = myndighed
    if cpr:
        claims["cpr"] = cpr
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


# JWKS file -> ((mtime, size), [(kid, public key)]): parsed once per version of the file, so a
# rotation (a new file) takes effect at the next verification.
_JWKS: dict[Path, tuple[tuple[int, int], list[tuple[str | None, object]]]] = {}


def _jwks_noegler(sti: Path) -> list[tuple[str | None, object]]:
    st = sti.stat()
    fundet = _JWKS.get(sti)
    if fundet is None or fundet[0] != (st.st_mtime_ns, st.st_size):
        noegler = [(key.get("kid"), jwt.PyJWK(key).key) for key in json.loads(sti.read_text())["keys"]]
        fundet = _JWKS[sti] = ((st.st_mtime_ns, st.st_size), noegler)
    return fundet[1]


def _verification_key(settings: Settings, token: str) -> tuple[object, list[str]]:
    if settings.jwt_jwks_file is None:
        return settings.jwt_secret, ["HS256"]
    kid = jwt.get_unverified_header(token).get("kid")
    for noegle_kid, noegle in _jwks_noegler(settings.jwt_jwks_file):
        if kid is None or noegle_kid == kid:
            return noegle, ["RS256", "ES256"]
    raise AuthError("Ukendt nøgle (kid) i token")


def verify_token(settings: Settings, token: str) -> Actor:
    try:
        key, algorithms = _verification_key(settings, token)
        claims = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "iss", "aud", "sub", "rolle"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthError("Token er udløbet") from exc
    except jwt.PyJWTError as exc:
        raise AuthError(f"Ugyldigt token: {exc}") from exc
    subjekt = _tekst(claims, "sub", MAKS_SUB)
    rolle_navn = _tekst(claims, "rolle", 32)
    myndighed = _tekst(claims, "myndighed", MAKS_MYNDIGHED)
    cpr = claims.get("cpr")
    if cpr == "":
        cpr = None
    if cpr is not None and not (isinstance(cpr, str) and _CPR.fullmatch(cpr)):
        raise AuthError("Ugyldigt token: claim 'cpr' skal være et CPR-nummer, en tekst med 10 cifre")
    if subjekt is None:
        raise AuthError("Ugyldigt token: claim 'sub' mangler")
    try:
        rolle = Rolle(rolle_navn)
    except ValueError as exc:
        raise AuthError(f"Ukendt rolle i token: {rolle_navn!r}") from exc
    if rolle is Rolle.BORGER and cpr is None:
        raise AuthError("Et borger-token skal have claim 'cpr'")
    if rolle not in (Rolle.BORGER, Rolle.VITAS) and myndighed is None:
        raise AuthError(f"Et {rolle.value}-token skal have claim 'myndighed'")
    return Actor(rolle=rolle, subjekt=subjekt, myndighed=myndighed, cpr=cpr, udloeber=float(claims["exp"]))


# The claims become text in the database (access log, idempotency keys, history): a claim of another
# JSON type, too long for an index entry, or with a character PostgreSQL text cannot hold (NUL, an
# unpaired surrogate; control characters neither) is refused with the token, not failed on later.
MAKS_SUB = 255
MAKS_MYNDIGHED = 64
_CPR = re.compile(r"[0-9]{10}")


def _tekst(claims: dict, navn: str, maks: int) -> str | None:
    """The claim as text; None when absent or empty; AuthError when it is no printable text of at
    most ``maks`` characters."""
    vaerdi = claims.get(navn)
    if vaerdi is None or vaerdi == "":
        return None
    if not isinstance(vaerdi, str) or len(vaerdi) > maks or not vaerdi.isprintable():
        raise AuthError(f"Ugyldigt token: claim '{navn}' skal være en tekst på højst {maks} tegn uden kontroltegn")
    return vaerdi
