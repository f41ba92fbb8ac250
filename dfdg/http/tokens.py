"""Who is calling: bearer tokens (JWT) and the verified actor.

Development uses HS256 with a configured secret; production configures a JWKS file with the
identity provider's public keys (RS256/ES256). ``exp``, ``iss`` and ``aud`` are always checked,
and the claims the API stores (``sub``, ``rolle``, ``myndighed``, ``cpr``) for their type and form.
A request's ``Authorization`` header (``aktoer``) and a WebSocket's ``connection_init`` payload
(``bearer_token``) are read here; ``VerificeredeTokens`` remembers what was verified
(``DFDG_TOKEN_CACHE_SECONDS``); ``mint_token`` makes the development tokens of ``dfdg token``.
"""

from __future__ import annotations

import base64
import json
import re
import time
from pathlib import Path
from typing import Any

import jwt
import orjson
from starlette.responses import Response

from dfdg.http.media import afvist
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


class VerificeredeTokens:
    """Tokens verified within the last ``seconds`` (never past their own ``exp``), by the whole token
    string: a token is only found here if it is byte for byte one that ``verify_token`` accepted."""

    def __init__(self, seconds: int, maxsize: int = 4096) -> None:
        self.seconds = seconds
        self.maxsize = maxsize
        self._tokens: dict[str, tuple[Actor, float]] = {}

    def verify(self, settings: Settings, token: str) -> Actor:
        now = time.time()
        found = self._tokens.get(token)
        if found is not None and found[1] > now:
            return found[0]
        actor = verify_token(settings, token)
        try:
            payload = token.split(".")[1]
            exp = float(orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["exp"])
        except (IndexError, ValueError, KeyError, TypeError):
            return actor
        if len(self._tokens) >= self.maxsize:
            self._tokens.clear()
        self._tokens[token] = (actor, min(exp, now + self.seconds))
        return actor


def aktoer(settings: Settings, tokens: VerificeredeTokens | None, header: str | None) -> Actor | None:
    """The caller of a request's ``Authorization`` header: None without one; AuthError when it is
    not ``Bearer <token>`` with a valid token (verified through ``tokens`` when given)."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("Authorization-headeren skal have formen 'Bearer <token>'")
    token = token.strip()
    return tokens.verify(settings, token) if tokens is not None else verify_token(settings, token)


def unauthorized(message: str) -> Response:
    """401 for a request whose token is refused."""
    return afvist(401, message, "UNAUTHENTICATED", {"WWW-Authenticate": 'Bearer error="invalid_token"'})


def bearer_token(params: dict[str, Any] | None) -> str | None:
    """The token of a connection_init payload: ``Authorization``/``authorization`` as
    ``Bearer <token>``, or a bare ``token``. None when there is none; ValueError when malformed."""
    params = params or {}
    header = next((v for k, v in params.items() if k.lower() == "authorization"), None)
    if header is None:
        headers = params.get("headers")
        if isinstance(headers, dict):
            header = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
    if header is None:
        token = params.get("token")
        return token if isinstance(token, str) and token else None
    if not isinstance(header, str):
        raise ValueError("Authorization skal være en tekst")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ValueError("Authorization skal have formen 'Bearer <token>'")
    return token.strip()
