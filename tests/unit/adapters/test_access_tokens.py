"""JWT access tokens: the round trip, the classic attacks (each refused), and key rotation.

Attack tokens are crafted by hand (base64url JSON, hmac) so nothing in PyJWT can quietly "fix" them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from agentry.adapters.jwt.access_tokens import JwtAccessTokens
from agentry.adapters.jwt.keys import KeySet, SigningKey, generate_signing_key
from agentry.application.identity.ports.credentials import AccessClaims, InvalidToken

NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
KEY_CREATED = NOW - timedelta(days=30)
ISSUER = "https://agentry.example"
AUDIENCE = "agentry-api"
TTL_S = 900
LEEWAY_S = 5
DELAY_S = 300
CLAIMS = AccessClaims(
    user_id=UUID("0197a0f4-1c2d-7e3f-8a4b-5c6d7e8f9a0b"), session_id=UUID("0197a0f4-2222-7333-8444-555566667777")
)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64_json(value: dict[str, Any]) -> str:
    return b64(json.dumps(value, separators=(",", ":")).encode())


def unb64_json(part: str) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def tokens_for(*keys: SigningKey, issuer: str = ISSUER, audience: str = AUDIENCE) -> JwtAccessTokens:
    return JwtAccessTokens(KeySet(keys), issuer, audience, TTL_S, leeway_s=LEEWAY_S, activation_delay_s=DELAY_S)


def payload(**overrides: Any) -> dict[str, Any]:
    iat = int(NOW.timestamp())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(CLAIMS.user_id),
        "sid": str(CLAIMS.session_id),
        "iat": iat,
        "nbf": iat,
        "exp": iat + TTL_S,
        "jti": "a-random-id",
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def sign(key: SigningKey, claims: dict[str, Any], **headers: Any) -> str:
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid, **headers})


@pytest.fixture
def key() -> SigningKey:
    return generate_signing_key("k-2025-05", KEY_CREATED)


@pytest.fixture
def tokens(key: SigningKey) -> JwtAccessTokens:
    return tokens_for(key)


def refusal(tokens: JwtAccessTokens, token: str, now: datetime = NOW) -> str:
    with pytest.raises(InvalidToken) as caught:
        tokens.verify(token, now)
    reason = caught.value.reason
    assert token not in reason and len(reason) < 60
    return reason


# The round trip


def test_an_issued_token_verifies_to_the_same_claims(tokens: JwtAccessTokens) -> None:
    issued = tokens.issue(CLAIMS, NOW)

    assert issued.expires_in == TTL_S
    assert tokens.verify(issued.token, NOW) == CLAIMS
    assert tokens.verify(issued.token, NOW + timedelta(seconds=TTL_S - 1)) == CLAIMS


def test_an_issued_token_carries_the_header_and_claims_we_promise(tokens: JwtAccessTokens, key: SigningKey) -> None:
    token = tokens.issue(CLAIMS, NOW).token
    header, body, _ = token.split(".")

    assert unb64_json(header) == {"alg": "EdDSA", "kid": key.kid, "typ": "JWT"}
    claims = unb64_json(body)
    iat = int(NOW.timestamp())
    assert {name: claims[name] for name in ("iss", "aud", "sub", "sid", "iat", "nbf", "exp")} == {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(CLAIMS.user_id),
        "sid": str(CLAIMS.session_id),
        "iat": iat,
        "nbf": iat,
        "exp": iat + TTL_S,
    }
    assert isinstance(claims["jti"], str) and len(claims["jti"]) >= 16


def test_every_token_gets_its_own_jti(tokens: JwtAccessTokens) -> None:
    first, second = (unb64_json(tokens.issue(CLAIMS, NOW).token.split(".")[1])["jti"] for _ in range(2))

    assert first != second


def test_the_clock_skew_leeway_is_honoured(tokens: JwtAccessTokens) -> None:
    token = tokens.issue(CLAIMS, NOW).token

    assert tokens.verify(token, NOW - timedelta(seconds=LEEWAY_S)) == CLAIMS
    assert tokens.verify(token, NOW + timedelta(seconds=TTL_S + LEEWAY_S - 1)) == CLAIMS


# Attacks: each refused with InvalidToken


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_an_unsigned_alg_none_token_is_refused(tokens: JwtAccessTokens, key: SigningKey, alg: str) -> None:
    token = f"{b64_json({'alg': alg, 'kid': key.kid, 'typ': 'JWT'})}.{b64_json(payload())}."

    assert refusal(tokens, token) == "algorithm not allowed"


def public_pem(key: SigningKey) -> bytes:
    return key.public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def public_raw(key: SigningKey) -> bytes:
    return key.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@pytest.mark.parametrize("secret_of", [public_pem, public_raw], ids=["pem", "raw"])
def test_an_hs256_token_signed_with_the_public_key_as_secret_is_refused(
    tokens: JwtAccessTokens, key: SigningKey, secret_of: Any
) -> None:
    signing_input = f"{b64_json({'alg': 'HS256', 'kid': key.kid, 'typ': 'JWT'})}.{b64_json(payload())}"
    signature = hmac.new(secret_of(key), signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{b64(signature)}"

    assert refusal(tokens, token) == "algorithm not allowed"


def test_an_rs256_token_is_refused(tokens: JwtAccessTokens, key: SigningKey) -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(payload(), rsa_key, algorithm="RS256", headers={"kid": key.kid})

    assert refusal(tokens, token) == "algorithm not allowed"


def test_a_header_alg_that_differs_from_the_keys_is_refused(key: SigningKey, monkeypatch: pytest.MonkeyPatch) -> None:
    # Were the allow-list ever widened, a key must still only verify its own algorithm.
    monkeypatch.setattr("agentry.adapters.jwt.access_tokens.ALLOWED_ALGORITHMS", frozenset({"EdDSA", "ES256"}))
    signing_input = f"{b64_json({'alg': 'ES256', 'kid': key.kid})}.{b64_json(payload())}"
    token = f"{signing_input}.{b64(b'x' * 64)}"

    assert refusal(tokens_for(key), token) == "algorithm does not match the key"


def test_an_expired_token_is_refused(tokens: JwtAccessTokens) -> None:
    token = tokens.issue(CLAIMS, NOW).token

    assert refusal(tokens, token, NOW + timedelta(seconds=TTL_S + LEEWAY_S)) == "token expired"
    assert refusal(tokens, token, NOW + timedelta(days=1)) == "token expired"


def test_a_token_used_before_its_nbf_is_refused(tokens: JwtAccessTokens, key: SigningKey) -> None:
    later = int(NOW.timestamp()) + 60
    token = sign(key, payload(nbf=later))

    assert refusal(tokens, token) == "token not yet valid"
    assert tokens.verify(token, NOW + timedelta(seconds=60)) == CLAIMS


def test_a_token_issued_in_the_future_beyond_the_leeway_is_refused(tokens: JwtAccessTokens) -> None:
    token = tokens.issue(CLAIMS, NOW + timedelta(seconds=LEEWAY_S + 1)).token

    assert refusal(tokens, token) == "token not yet valid"


def test_a_token_from_another_issuer_is_refused(key: SigningKey) -> None:
    token = tokens_for(key, issuer="https://evil.example").issue(CLAIMS, NOW).token

    assert refusal(tokens_for(key), token) == "wrong issuer"


def test_a_token_for_another_audience_is_refused(key: SigningKey) -> None:
    token = tokens_for(key, audience="another-api").issue(CLAIMS, NOW).token

    assert refusal(tokens_for(key), token) == "wrong audience"


def test_a_token_naming_an_unknown_kid_is_refused(tokens: JwtAccessTokens) -> None:
    stranger = generate_signing_key("k-unknown", KEY_CREATED)

    assert refusal(tokens, sign(stranger, payload())) == "unknown signing key"


def test_a_token_without_a_kid_is_refused(tokens: JwtAccessTokens, key: SigningKey) -> None:
    token = jwt.encode(payload(), key.private_key, algorithm="EdDSA")

    assert refusal(tokens, token) == "unknown signing key"


def test_a_tampered_payload_with_the_original_signature_is_refused(tokens: JwtAccessTokens) -> None:
    header, body, signature = tokens.issue(CLAIMS, NOW).token.split(".")
    claims = unb64_json(body)
    claims["sub"] = "00000000-0000-4000-8000-000000000001"
    tampered = f"{header}.{b64_json(claims)}.{signature}"

    assert refusal(tokens, tampered) == "bad signature"


def test_a_tampered_header_with_the_original_signature_is_refused(tokens: JwtAccessTokens) -> None:
    header, body, signature = tokens.issue(CLAIMS, NOW).token.split(".")
    tampered = f"{b64_json({**unb64_json(header), 'x': 1})}.{body}.{signature}"

    assert refusal(tokens, tampered) == "bad signature"


def test_a_signature_from_another_key_under_the_same_kid_is_refused(key: SigningKey) -> None:
    impostor = generate_signing_key(key.kid, KEY_CREATED)
    token = tokens_for(impostor).issue(CLAIMS, NOW).token

    assert refusal(tokens_for(key), token) == "bad signature"


@pytest.mark.parametrize("missing", ["iss", "aud", "sub", "sid", "iat", "nbf", "exp", "jti"])
def test_a_token_missing_a_required_claim_is_refused(tokens: JwtAccessTokens, key: SigningKey, missing: str) -> None:
    token = sign(key, payload(**{missing: None}))

    assert refusal(tokens, token) == f"missing claim: {missing}"


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("sub", "not-a-uuid"),
        ("sub", 42),
        ("sub", "{0197a0f4-1c2d-7e3f-8a4b-5c6d7e8f9a0b}"),
        ("sid", ""),
        ("sid", "0197A0F4-2222-7333-8444-555566667777"),
        ("exp", "tomorrow"),
        ("exp", True),
        ("iat", [1]),
        ("jti", ""),
        ("jti", 7),
    ],
)
def test_a_token_with_an_ill_typed_claim_is_refused(
    tokens: JwtAccessTokens, key: SigningKey, claim: str, value: Any
) -> None:
    token = sign(key, payload(**{claim: value}))

    assert refusal(tokens, token) == f"invalid claim: {claim}"


def test_an_audience_list_containing_ours_is_accepted(tokens: JwtAccessTokens, key: SigningKey) -> None:
    assert tokens.verify(sign(key, payload(aud=["other", AUDIENCE])), NOW) == CLAIMS


def test_a_token_of_another_type_is_refused(tokens: JwtAccessTokens, key: SigningKey) -> None:
    assert refusal(tokens, sign(key, payload(), typ="at+jwt+refresh")) == "unexpected token type"


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "abc",
        "a.b",
        "a.b.c",
        "....",
        "eyJhbGciOiJFZERTQSJ9.e30",
        f"{b64(b'[1,2]')}.{b64_json({})}.",
        f"{b64(b'not json')}.{b64_json({})}.",
        "x" * 10_000,
    ],
)
def test_a_malformed_token_is_refused(tokens: JwtAccessTokens, garbage: str) -> None:
    with pytest.raises(InvalidToken) as caught:
        tokens.verify(garbage, NOW)

    assert caught.value.reason in {"malformed token", "algorithm not allowed"}


def test_a_non_json_object_payload_under_a_good_signature_is_refused(tokens: JwtAccessTokens, key: SigningKey) -> None:
    token = jwt.api_jws.encode(b"[1, 2, 3]", key.private_key, algorithm="EdDSA", headers={"kid": key.kid})

    assert refusal(tokens, token) == "malformed token"


def test_a_naive_now_is_a_programming_error(tokens: JwtAccessTokens) -> None:
    naive = NOW.replace(tzinfo=None)
    token = tokens.issue(CLAIMS, NOW).token

    with pytest.raises(ValueError, match="timezone-aware"):
        tokens.issue(CLAIMS, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        tokens.verify(token, naive)


# Key rotation


def kid_of(token: str) -> str:
    kid: str = jwt.get_unverified_header(token)["kid"]
    return kid


def test_a_token_signed_with_the_old_key_still_verifies_after_a_new_key_is_added(
    tokens: JwtAccessTokens, key: SigningKey
) -> None:
    old_token = tokens.issue(CLAIMS, NOW).token
    new_key = generate_signing_key("k-2025-06", NOW)

    tokens.replace_keys(KeySet([key, new_key]))

    assert tokens.verify(old_token, NOW + timedelta(seconds=60)) == CLAIMS


def test_a_new_key_signs_only_after_the_activation_delay(tokens: JwtAccessTokens, key: SigningKey) -> None:
    new_key = generate_signing_key("k-2025-06", NOW)
    tokens.replace_keys(KeySet([new_key, key]))

    assert kid_of(tokens.issue(CLAIMS, NOW).token) == key.kid
    assert kid_of(tokens.issue(CLAIMS, NOW + timedelta(seconds=DELAY_S - 1)).token) == key.kid
    later = NOW + timedelta(seconds=DELAY_S)
    rotated = tokens.issue(CLAIMS, later).token
    assert kid_of(rotated) == new_key.kid
    assert tokens.verify(rotated, later) == CLAIMS


def test_a_token_whose_key_was_retired_is_refused(tokens: JwtAccessTokens, key: SigningKey) -> None:
    old_token = tokens.issue(CLAIMS, NOW).token
    assert tokens.verify(old_token, NOW) == CLAIMS  # its signature is remembered now
    tokens.replace_keys(KeySet([generate_signing_key("k-2025-06", NOW - timedelta(days=1))]))

    assert refusal(tokens, old_token) == "unknown signing key"


def test_a_token_used_again_has_its_signature_checked_once_and_still_expires(
    tokens: JwtAccessTokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = tokens.issue(CLAIMS, NOW).token
    decoded: list[str] = []
    decode = jwt.decode
    monkeypatch.setattr(jwt, "decode", lambda token, *a, **k: decoded.append(token) or decode(token, *a, **k))

    for second in range(0, 600, 60):
        assert tokens.verify(token, NOW + timedelta(seconds=second)) == CLAIMS
    assert decoded == [token]
    assert refusal(tokens, token, NOW + timedelta(seconds=TTL_S + LEEWAY_S)) == "token expired"
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    assert refusal(tokens, tampered) in {"bad signature", "malformed token"}


def test_with_no_key_old_enough_the_oldest_one_signs() -> None:
    oldest = generate_signing_key("a", NOW - timedelta(seconds=10))
    newer = generate_signing_key("b", NOW - timedelta(seconds=5))
    keys = KeySet([newer, oldest])

    assert keys.signing_key(NOW, timedelta(seconds=DELAY_S)) is oldest
    assert keys.signing_key(NOW, timedelta(0)) is newer


def test_a_key_set_refuses_no_keys_and_duplicate_kids(key: SigningKey) -> None:
    with pytest.raises(ValueError, match="at least one"):
        KeySet([])
    with pytest.raises(ValueError, match="duplicate"):
        KeySet([key, generate_signing_key(key.kid, NOW)])


# Keys


def test_a_key_survives_a_pem_round_trip(key: SigningKey) -> None:
    restored = SigningKey.from_pem(key.kid, "EdDSA", key.to_pem(), key.created_at)
    token = tokens_for(key).issue(CLAIMS, NOW).token

    assert public_raw(restored) == public_raw(key)
    assert tokens_for(restored).verify(token, NOW) == CLAIMS


def test_a_key_of_another_algorithm_is_refused(key: SigningKey) -> None:
    rsa_pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode()
    )

    with pytest.raises(ValueError, match="not an Ed25519"):
        SigningKey.from_pem("rsa", "EdDSA", rsa_pem, NOW)
    with pytest.raises(ValueError, match="not allowed"):
        SigningKey.from_pem("k", "HS256", key.to_pem(), NOW)


def test_a_key_never_shows_its_material(key: SigningKey) -> None:
    assert "PRIVATE" not in repr(key) and key.to_pem() not in repr(key)
