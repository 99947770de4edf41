"""Authentication: API tokens (hashed, revocable), browser sessions with CSRF, OIDC JWTs."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from api.app import create_app
from graph.auth.tokens import COLLECTION, create_token, hash_token, revoke_token, verify_token
from graph.settings import Settings
from tests.api.conftest import ApiEnv


def test_request_without_credentials_is_401_problem_json(api: ApiEnv) -> None:
    r = api.client.get("/v1/customers")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert r.json()["status"] == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer rm_000000000000_nottherightsecretatallxxxxxxxx",
        "Bearer garbage",
        "Basic abc",
        "Bearer ",
    ],
)
def test_wrong_or_malformed_credentials_are_401(api: ApiEnv, header: str) -> None:
    r = api.client.get("/v1/customers", headers={"Authorization": header})
    assert r.status_code == 401
    assert r.json()["title"] == "Authentication required"


def test_token_is_stored_only_as_hash(api: ApiEnv) -> None:
    secret, info = create_token(api.store, name="ci", role="viewer")
    doc = api.store.get_doc(COLLECTION, info.id)
    assert doc is not None
    assert secret not in json.dumps(doc)
    assert doc["hash"] == hash_token(secret)
    assert verify_token(api.store, secret) == info


def test_revoked_token_stops_working_at_once(api: ApiEnv) -> None:
    secret, info = create_token(api.store, name="leaver", role="admin")
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.client.get("/v1/customers", headers=headers).status_code == 200
    revoke_token(api.store, info.id)
    assert api.client.get("/v1/customers", headers=headers).status_code == 401


def test_tampered_secret_with_known_id_is_rejected(api: ApiEnv) -> None:
    secret = api.tokens["admin"]
    tampered = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    r = api.client.get("/v1/customers", headers={"Authorization": f"Bearer {tampered}"})
    assert r.status_code == 401


def test_account_manager_token_needs_an_existing_employee(api: ApiEnv) -> None:
    from graph.auth.tokens import TokenError

    with pytest.raises(TokenError, match="employee"):
        create_token(api.store, name="am", role="account_manager")
    with pytest.raises(TokenError, match="no employee"):
        create_token(api.store, name="am", role="account_manager", employee_id="nobody")
    with pytest.raises(TokenError, match="role"):
        create_token(api.store, name="x", role="superuser")


def test_me_reports_role_and_visible_accounts(api: ApiEnv) -> None:
    me = api.client.get("/v1/me", headers=api.auth("account_manager")).json()
    assert me["role"] == "account_manager"
    assert me["employee_id"] == "E1"
    assert me["visible_customers"] == 2  # C1 and its branch C1a
    assert api.client.get("/v1/me", headers=api.auth("admin")).json()["visible_customers"] is None


# ------------------------------------------------------------------------ browser sessions


def _login(client: TestClient, token: str) -> str:
    """Sign in through the form; returns the CSRF cookie value."""
    page = client.get("/login")
    assert page.status_code == 200
    csrf = client.cookies["relmap_csrf"]
    assert f'value="{csrf}"' in page.text
    r = client.post(
        "/login",
        data={"token": token, "csrf_token": csrf, "next": "/v1/me"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/v1/me"
    cookie_header = " ".join(r.headers.get_list("set-cookie"))
    assert "relmap_session=" in cookie_header and "HttpOnly" in cookie_header
    assert "SameSite=strict" in cookie_header or "SameSite=Strict" in cookie_header
    return client.cookies["relmap_csrf"]


def test_login_page_has_no_inline_script_and_a_strict_csp(api: ApiEnv) -> None:
    r = api.client.get("/login")
    assert "<script" not in r.text.lower()
    csp = r.headers["content-security-policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )


def test_session_cookie_reads_and_writes_with_csrf_header(api: ApiEnv) -> None:
    csrf = _login(api.client, api.tokens["admin"])
    assert api.client.get("/v1/me").json()["role"] == "admin"
    body = {"id": "C-new", "name": "New Co"}
    r = api.client.post("/v1/customers", json=body)
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
    r = api.client.post("/v1/customers", json=body, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    r = api.client.post("/v1/customers", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201


def test_cross_site_origin_is_refused_even_with_csrf(api: ApiEnv) -> None:
    csrf = _login(api.client, api.tokens["admin"])
    r = api.client.post(
        "/v1/customers",
        json={"id": "C-x", "name": "X"},
        headers={"X-CSRF-Token": csrf, "Origin": "https://evil.example"},
    )
    assert r.status_code == 403


def test_login_with_bad_token_or_without_csrf_fails(api: ApiEnv) -> None:
    api.client.get("/login")
    csrf = api.client.cookies["relmap_csrf"]
    r = api.client.post("/login", data={"token": "rm_nope", "csrf_token": csrf})
    assert r.status_code == 401 and "relmap_session" not in api.client.cookies
    r = api.client.post("/login", data={"token": api.tokens["admin"], "csrf_token": "x"})
    assert r.status_code == 403 and "relmap_session" not in api.client.cookies


def test_login_redirect_stays_on_this_site(api: ApiEnv) -> None:
    api.client.get("/login")
    csrf = api.client.cookies["relmap_csrf"]
    r = api.client.post(
        "/login",
        data={"token": api.tokens["viewer"], "csrf_token": csrf, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/"


def test_logout_needs_csrf_and_clears_the_session(api: ApiEnv) -> None:
    csrf = _login(api.client, api.tokens["viewer"])
    assert api.client.post("/logout", data={"csrf_token": "bad"}).status_code == 403
    r = api.client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert api.client.get("/v1/me").status_code == 401


# ------------------------------------------------------------------------ OIDC / JWT


@pytest.fixture
def oidc(tmp_path: Path) -> tuple[Settings, rsa.RSAPrivateKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "test-key", "use": "sig", "alg": "RS256"})
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [jwk]}))
    settings = Settings(
        store=f"sqlite:///{tmp_path / 'oidc.db'}",
        oidc_issuer="https://idp.example",
        oidc_audience="relmap",
        oidc_jwks_url=jwks.as_uri(),
    )
    return settings, key


def _jwt(key: rsa.RSAPrivateKey, **claims: object) -> str:
    now = int(time.time())
    base = {
        "iss": "https://idp.example",
        "aud": "relmap",
        "sub": "alice",
        "iat": now,
        "exp": now + 300,
    }
    base.update(claims)
    return jwt.encode(base, key, algorithm="RS256", headers={"kid": "test-key"})


def test_oidc_jwt_gives_role_from_claim(oidc: tuple[Settings, rsa.RSAPrivateKey]) -> None:
    settings, key = oidc
    with TestClient(create_app(settings)) as client:
        token = _jwt(key, relmap_role="org_designer", name="Alice")
        me = client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
        assert me == {
            "id": "oidc:alice",
            "name": "Alice",
            "role": "org_designer",
            "employee_id": None,
            "can_apply": False,
            "visible_customers": None,
        }
        token = _jwt(key, roles=["other", "viewer"])
        assert (
            client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["role"]
            == "viewer"
        )


def test_oidc_rejects_wrong_audience_issuer_expiry_key_and_missing_role(
    oidc: tuple[Settings, rsa.RSAPrivateKey],
) -> None:
    settings, key = oidc
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    bad = {
        "audience": _jwt(key, relmap_role="admin", aud="someone-else"),
        "issuer": _jwt(key, relmap_role="admin", iss="https://evil.example"),
        "expired": _jwt(key, relmap_role="admin", exp=int(time.time()) - 3600),
        "foreign key": _jwt(other, relmap_role="admin"),
        "hs256": jwt.encode(
            {
                "iss": "https://idp.example",
                "aud": "relmap",
                "sub": "x",
                "exp": int(time.time()) + 60,
                "relmap_role": "admin",
            },
            "secret",
            algorithm="HS256",
        ),
    }
    with TestClient(create_app(settings)) as client:
        for what, token in bad.items():
            r = client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 401, what
        r = client.get("/v1/me", headers={"Authorization": f"Bearer {_jwt(key)}"})
        assert r.status_code == 403


def test_jwt_is_refused_when_oidc_is_not_configured(api: ApiEnv) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    r = api.client.get(
        "/v1/me", headers={"Authorization": f"Bearer {_jwt(key, relmap_role='admin')}"}
    )
    assert r.status_code == 401
