"""Bearer tokens: HS256 for development, RS256/ES256 from a JWKS file in production; exp, iss and aud
checked; a token that is expired, forged, for someone else, unsigned or missing the role's claims
is refused with 401 before GraphQL runs."""

from __future__ import annotations

import json
import os
import time
from dataclasses import replace

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

QUERY = '{ borger(cpr: "0101901234") { cpr } }'


def claims(settings, **kw) -> dict:
    now = int(time.time())
    value = {"sub": "sagsbehandler-1", "rolle": "jobcenter", "myndighed": "10100", "iss": settings.jwt_issuer,
             "aud": settings.jwt_audience, "iat": now, "exp": now + 600}
    value.update(kw)
    return {k: v for k, v in value.items() if v is not None}


async def _post(http, token: str) -> httpx.Response:
    return await http.post("/graphql", json={"query": QUERY}, headers={"Authorization": f"Bearer {token}"})


def _refused(response: httpx.Response, besked: str | None = None) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    if besked:
        assert besked in error["message"]


async def test_a_valid_development_token_is_accepted(http, settings):
    response = await _post(http, jwt.encode(claims(settings), settings.jwt_secret, algorithm="HS256"))
    assert response.status_code == 200 and response.json()["data"] == {"borger": None}


async def test_expired_token_is_refused(http, settings):
    token = jwt.encode(claims(settings, iat=int(time.time()) - 7200, exp=int(time.time()) - 60), settings.jwt_secret, algorithm="HS256")
    _refused(await _post(http, token), "udløbet")


async def test_forged_signature_is_refused(http, settings):
    forged = jwt.encode(claims(settings), "another-secret-that-is-at-least-32-bytes!", algorithm="HS256")
    _refused(await _post(http, forged))
    # the right header and claims, the signature of another token
    header, payload, _ = jwt.encode(claims(settings, rolle="akasse", myndighed="42"), settings.jwt_secret, algorithm="HS256").split(".")
    _, _, signature = forged.split(".")
    _refused(await _post(http, f"{header}.{payload}.{signature}"))


@pytest.mark.parametrize("felt", ["iss", "aud"])
async def test_wrong_issuer_or_audience_is_refused(http, settings, felt):
    _refused(await _post(http, jwt.encode(claims(settings, **{felt: "someone-else"}), settings.jwt_secret, algorithm="HS256")))


@pytest.mark.parametrize("felt", ["exp", "iss", "aud", "sub", "rolle"])
async def test_a_missing_required_claim_is_refused(http, settings, felt):
    _refused(await _post(http, jwt.encode(claims(settings, **{felt: None}), settings.jwt_secret, algorithm="HS256")))


async def test_alg_none_is_refused(http, settings):
    unsigned = jwt.encode(claims(settings), None, algorithm="none")
    _refused(await _post(http, unsigned))
    _refused(await _post(http, unsigned.rstrip(".") + "."))


@pytest.mark.parametrize("rolle", ["jobcenter", "akasse", "anden_aktoer", "planner"])
async def test_a_role_without_its_authority_is_refused(http, settings, rolle):
    _refused(await _post(http, jwt.encode(claims(settings, rolle=rolle, myndighed=None), settings.jwt_secret, algorithm="HS256")),
             "myndighed")


async def test_a_citizen_without_cpr_and_an_unknown_role_are_refused(http, settings):
    _refused(await _post(http, jwt.encode(claims(settings, rolle="borger", myndighed=None), settings.jwt_secret, algorithm="HS256")), "cpr")
    _refused(await _post(http, jwt.encode(claims(settings, rolle="admin"), settings.jwt_secret, algorithm="HS256")), "rolle")


async def test_a_malformed_authorization_header_is_refused(http):
    for header in ("Basic dXNlcjpwdw==", "Bearer", "Bearer    ", "Bearer not.a.jwt"):
        response = await http.post("/graphql", json={"query": QUERY}, headers={"Authorization": header})
        assert response.status_code == 401, header


async def test_no_token_on_a_data_field_is_unauthenticated_but_introspection_works(http):
    body = (await http.post("/graphql", json={"query": QUERY})).json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await http.post("/graphql", json={"query": "{ __schema { queryType { name } } }"})).json()["data"]


# --- production: RS256 and ES256 with the identity provider's keys in a JWKS file -----------------------

@pytest.fixture(scope="module")
async def produktion(settings, database_url, tmp_path_factory):
    from dfdg.http.app import create_app

    rsa_noegle = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_noegle = ec.generate_private_key(ec.SECP256R1())
    jwks = {"keys": [
        {**json.loads(RSAAlgorithm.to_jwk(rsa_noegle.public_key())), "kid": "rsa-1", "alg": "RS256", "use": "sig"},
        {**json.loads(ECAlgorithm.to_jwk(ec_noegle.public_key())), "kid": "ec-1", "alg": "ES256", "use": "sig"},
    ]}
    sti = tmp_path_factory.mktemp("jwks") / "jwks.json"
    sti.write_text(json.dumps(jwks))
    app = create_app(replace(settings, jwt_jwks_file=sti), database_url)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            yield client, rsa_noegle, ec_noegle


async def test_rs256_and_es256_tokens_verified_with_the_jwks_file(produktion, settings):
    client, rsa_noegle, ec_noegle = produktion
    for noegle, alg, kid in ((rsa_noegle, "RS256", "rsa-1"), (ec_noegle, "ES256", "ec-1")):
        token = jwt.encode(claims(settings), noegle, algorithm=alg, headers={"kid": kid})
        response = await _post(client, token)
        assert response.status_code == 200, (alg, response.text)
        assert response.json() == {"data": {"borger": None}, "extensions": response.json()["extensions"]}


async def test_a_rotated_jwks_file_takes_effect_at_once(settings, database_url, tmp_path):
    """The keys are parsed once per version of the file: a new file (the identity provider rotated
    its key) is read at the next verification, and a key taken out no longer verifies."""
    from dfdg.http.app import create_app

    gammel, ny = (rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2))

    def jwks(noegle, kid):
        return json.dumps({"keys": [{**json.loads(RSAAlgorithm.to_jwk(noegle.public_key())), "kid": kid, "alg": "RS256"}]})

    sti = tmp_path / "jwks.json"
    sti.write_text(jwks(gammel, "k1"))
    app = create_app(replace(settings, jwt_jwks_file=sti, token_cache_seconds=0), database_url)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            med_gammel = jwt.encode(claims(settings), gammel, algorithm="RS256", headers={"kid": "k1"})
            med_ny = jwt.encode(claims(settings), ny, algorithm="RS256", headers={"kid": "k2"})
            assert (await _post(client, med_gammel)).status_code == 200
            _refused(await _post(client, med_ny))
            sti.write_text(jwks(ny, "k2"))
            os.utime(sti, ns=(time.time_ns(), time.time_ns() + 1_000_000))  # a new version even within the clock's tick
            assert (await _post(client, med_ny)).status_code == 200
            _refused(await _post(client, med_gammel))


async def test_production_refuses_development_tokens_unknown_keys_and_key_confusion(produktion, settings):
    client, rsa_noegle, _ = produktion
    # the development secret means nothing in production
    _refused(await _post(client, jwt.encode(claims(settings), settings.jwt_secret, algorithm="HS256")))
    # a key the identity provider does not have
    fremmed = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _refused(await _post(client, jwt.encode(claims(settings), fremmed, algorithm="RS256", headers={"kid": "rsa-1"})))
    _refused(await _post(client, jwt.encode(claims(settings), rsa_noegle, algorithm="RS256", headers={"kid": "ukendt"})))
    # HS256 "signed" with the public key, the classic algorithm confusion
    offentlig = rsa_noegle.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = jwt.utils.base64url_encode(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}).encode())
    payload = jwt.utils.base64url_encode(json.dumps(claims(settings)).encode())
    import hashlib
    import hmac

    signatur = jwt.utils.base64url_encode(hmac.new(offentlig, header + b"." + payload, hashlib.sha256).digest())
    _refused(await _post(client, (header + b"." + payload + b"." + signatur).decode()))
    # expiry, issuer and audience are checked in production as well
    for kw in ({"exp": int(time.time()) - 60}, {"iss": "x"}, {"aud": "x"}):
        _refused(await _post(client, jwt.encode(claims(settings, **kw), rsa_noegle, algorithm="RS256", headers={"kid": "rsa-1"})))
