"""A fake upstream OpenID Connect provider for the end-to-end tests: a threaded `http.server` on
127.0.0.1 with discovery, an authorization endpoint that signs everyone in at once (it records the
nonce and PKCE challenge of a new code and 302s straight back to the redirect URI), a token endpoint
that checks the client secret, the redirect URI and the PKCE verifier and answers a signed ID token,
and a JWKS with an RSA (RS256) and an EC (ES256) key generated per run.

What the next ID token says and how it is signed is set per test with `next_login(...)`: the
overrides are bound to the code at /authorize, so a test controls exactly the sign-in it starts."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

OMIT = object()  # an override value that leaves the claim out of the ID token


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def b64url_uint(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def pkce_challenge(verifier: str) -> str:
    return b64url(hashlib.sha256(verifier.encode()).digest())


@dataclass
class Login:
    """One sign-in the provider granted at /authorize, waiting for its code to be redeemed."""
    code: str
    query: dict[str, str]            # the authorization request as received
    overrides: dict[str, Any]        # the ID token's claim overrides and signing options
    redeemed: bool = False


@dataclass
class Issued:
    access_token: str
    id_token: str
    claims: dict[str, Any]


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]


@dataclass
class FakeOIDC:
    client_id: str = "mcpa-e2e-client"
    client_secret: str = field(default_factory=lambda: "secret-" + secrets.token_urlsafe(16))
    redirect_uri: str | None = None  # the only redirect URI registered (set once the server's URL is known)
    issuer_suffix: str = ""  # "/" (Auth0-style issuer) or "/realms/e2e" (Keycloak-style)

    def __post_init__(self) -> None:
        self.rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec_key = ec.generate_private_key(ec.SECP256R1())
        self.foreign_rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # never published
        self.rsa_kid = "rsa-1"
        self.ec_kid = "ec-1"
        self.logins: dict[str, Login] = {}
        self.issued: list[Issued] = []
        self.requests: list[Request] = []
        self.problems: list[str] = []   # every request this provider refused, and why
        self._next: dict[str, Any] = {}
        self.faults: dict[str, Any] = {}  # see `faulty`
        self._lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                provider._handle(self, "GET", b"")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                provider._handle(self, "POST", self.rfile.read(length))

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.prefix = self.issuer_suffix.rstrip("/")
        self.base = f"http://127.0.0.1:{self.port}" + self.prefix  # where the endpoints live
        self.issuer = f"http://127.0.0.1:{self.port}" + self.issuer_suffix
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    # -- control ---------------------------------------------------------------------------------

    def next_login(self, **overrides: Any) -> None:
        """Claims and signing of the ID token for the next /authorize. Claims: sub, email,
        email_verified, name, aud, iss, exp, iat, nonce (a value, or OMIT to leave it out). Signing:
        alg ("RS256" default, "ES256", "none", "HS256" keyed with the published RSA key's PEM),
        foreign_key=True (signed with an unpublished RSA key, under the published kid unless `kid`
        says otherwise), kid (another kid in the header)."""
        with self._lock:
            self._next = dict(overrides)

    @contextlib.contextmanager
    def faulty(self, **faults: Any) -> Iterator[None]:
        """Misbehaves while inside: discovery={claim: value or OMIT} changes the discovery document,
        jwks_status=N answers the JWKS with that status, token_body={...} replaces the token
        response's JSON, client_secret="…" expects another secret."""
        saved = self.client_secret
        self.faults = dict(faults)
        self.client_secret = faults.get("client_secret", saved)
        try:
            yield
        finally:
            self.faults = {}
            self.client_secret = saved

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def last_issued(self) -> Issued:
        with self._lock:
            assert self.issued, "the provider never issued a token"
            return self.issued[-1]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- documents -------------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        document = {
            "issuer": self.issuer,
            "authorization_endpoint": self.base + "/authorize",
            "token_endpoint": self.base + "/token",
            "jwks_uri": self.base + "/jwks",
            "userinfo_endpoint": self.base + "/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code"],
        }
        document.update(self.faults.get("discovery", {}))
        return {k: v for k, v in document.items() if v is not OMIT}

    def jwks(self) -> dict[str, Any]:
        rsa_public = self.rsa_key.public_key().public_numbers()
        ec_public = self.ec_key.public_key().public_numbers()
        return {"keys": [
            {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.rsa_kid,
             "n": b64url_uint(rsa_public.n), "e": b64url_uint(rsa_public.e)},
            {"kty": "EC", "use": "sig", "alg": "ES256", "kid": self.ec_kid, "crv": "P-256",
             "x": b64url(ec_public.x.to_bytes(32, "big")), "y": b64url(ec_public.y.to_bytes(32, "big"))},
        ]}

    def id_token(self, login: Login) -> tuple[str, dict[str, Any]]:
        now = int(time.time())
        options = dict(login.overrides)
        alg = options.pop("alg", "RS256")
        foreign = options.pop("foreign_key", False)
        kid = options.pop("kid", None)
        claims: dict[str, Any] = {
            "iss": self.issuer, "sub": "sub-" + secrets.token_hex(6), "aud": self.client_id,
            "iat": now, "exp": now + 300, "nonce": login.query.get("nonce"),
            "email": f"user-{secrets.token_hex(3)}@example.org", "email_verified": True, "name": "Upstream Person",
        }
        claims.update(options)
        claims = {k: v for k, v in claims.items() if v is not OMIT}
        if alg == "none":
            header = b64url(json.dumps({"alg": "none", "typ": "JWT", "kid": kid or self.rsa_kid}).encode())
            return header + "." + b64url(json.dumps(claims).encode()) + ".", claims
        if alg == "HS256":  # algorithm confusion: HMAC keyed with the published RSA key's PEM
            header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid or self.rsa_kid}).encode())
            signing_input = header + "." + b64url(json.dumps(claims).encode())
            pem = self.rsa_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                         serialization.PublicFormat.SubjectPublicKeyInfo)
            return signing_input + "." + b64url(hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()), claims
        if alg == "ES256":
            key, default_kid = self.ec_key, self.ec_kid
        else:
            key, default_kid = (self.foreign_rsa_key if foreign else self.rsa_key), self.rsa_kid
        token = jwt.encode(claims, key, algorithm=alg, headers={"kid": kid or default_kid, "typ": "JWT"})
        return token, claims

    # -- HTTP ------------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str, body: bytes) -> None:
        parts = urlsplit(handler.path)
        if self.prefix:  # endpoints (and discovery) live under the issuer's path only
            inside = parts.path.startswith(self.prefix + "/")
            parts = parts._replace(path=parts.path[len(self.prefix):] if inside else "/not-under-the-issuer")
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        headers = {k.lower(): v for k, v in handler.headers.items()}
        form: dict[str, str] = {}
        if method == "POST":
            form = {k: v[0] for k, v in parse_qs(body.decode(errors="replace"), keep_blank_values=True).items()}
        with self._lock:
            self.requests.append(Request(method, parts.path, query, form, headers))
        route = (method, parts.path)
        if route == ("GET", "/.well-known/openid-configuration"):
            self._json(handler, 200, self.discovery())
        elif route == ("GET", "/jwks"):
            status = self.faults.get("jwks_status", 200)
            self._json(handler, status, self.jwks() if status == 200 else {"error": "unavailable"})
        elif route == ("GET", "/authorize"):
            self._authorize(handler, query)
        elif route == ("POST", "/token"):
            self._token(handler, headers, form)
        else:
            self._json(handler, 404, {"error": "not_found"})

    def _refuse(self, handler: BaseHTTPRequestHandler, status: int, error: str, why: str) -> None:
        with self._lock:
            self.problems.append(f"{error}: {why}")
        self._json(handler, status, {"error": error, "error_description": why})

    def _authorize(self, handler: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        expected = {"response_type": "code", "client_id": self.client_id, "code_challenge_method": "S256"}
        for name, value in expected.items():
            if query.get(name) != value:
                return self._refuse(handler, 400, "invalid_request", f"{name}={query.get(name)!r}, expected {value!r}")
        if self.redirect_uri is not None and query.get("redirect_uri") != self.redirect_uri:
            return self._refuse(handler, 400, "invalid_request", f"redirect_uri={query.get('redirect_uri')!r} is not registered")
        if "openid" not in query.get("scope", "").split():
            return self._refuse(handler, 400, "invalid_scope", f"scope={query.get('scope')!r} lacks openid")
        for name in ("state", "nonce", "code_challenge"):
            if not query.get(name):
                return self._refuse(handler, 400, "invalid_request", f"no {name}")
        code = "code-" + secrets.token_urlsafe(24)
        with self._lock:
            self.logins[code] = Login(code, dict(query), self._next)
            self._next = {}
        location = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def _token(self, handler: BaseHTTPRequestHandler, headers: dict[str, str], form: dict[str, str]) -> None:
        if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return self._refuse(handler, 400, "invalid_request", f"content-type {headers.get('content-type')!r}")
        if form.get("grant_type") != "authorization_code":
            return self._refuse(handler, 400, "unsupported_grant_type", f"grant_type={form.get('grant_type')!r}")
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return self._refuse(handler, 401, "invalid_client", "client_id or client_secret wrong or missing")
        with self._lock:
            login = self.logins.get(form.get("code", ""))
            if login is not None and not login.redeemed:
                login.redeemed = True
            else:
                login = None
        if login is None:
            return self._refuse(handler, 400, "invalid_grant", "unknown or reused code")
        if form.get("redirect_uri") != login.query.get("redirect_uri"):
            return self._refuse(handler, 400, "invalid_grant", f"redirect_uri={form.get('redirect_uri')!r} differs from the authorization request's")
        verifier = form.get("code_verifier", "")
        if not verifier or pkce_challenge(verifier) != login.query.get("code_challenge"):
            return self._refuse(handler, 400, "invalid_grant", "PKCE verifier does not match the challenge")
        id_token, claims = self.id_token(login)
        access_token = "upstream-at-" + secrets.token_urlsafe(24)
        with self._lock:
            self.issued.append(Issued(access_token, id_token, claims))
        body = {"access_token": access_token, "token_type": "Bearer", "expires_in": 3600,
                "id_token": id_token, "scope": "openid email profile"}
        self._json(handler, 200, self.faults.get("token_body", body))

    @staticmethod
    def _json(handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Cache-Control", "no-store")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
