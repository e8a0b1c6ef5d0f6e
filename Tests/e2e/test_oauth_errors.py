"""Every bad input to the embedded authorization server gets its RFC error (or the error page, when
redirecting would be unsafe) and leaves no half-made grant; tokens stop working when they must.
Login and consent go over plain HTTP form posts here (the browser path is test_oauth_flow.py)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import httpx2
import pytest

from conftest import Server, cli
from oauth_support import (
    DEFAULT_SCOPE, PKCE, SCOPES, Browserless, LocalSite, OAuthEnv, User, assert_unauthorized, authorize_params,
    full_grant, initialize, is_consent_page, is_login_page, issuer, make_env, mcp_post, mcp_session, mcp_status,
    oauth_error, parse_page, prm_url, redirect_query, register, register_ok, resource, revoke, rpc_result,
    sdk_client, token, token_ok, wait_until, www_authenticate,
)

pytestmark = pytest.mark.anyio

CALLBACK = "http://127.0.0.1:9/callback"  # never followed: the redirect's Location is read instead


class ErrorsEnv:
    def __init__(self, env: OAuthEnv, site: LocalSite, main: Server, short: Server, session: Server) -> None:
        self.env, self.site = env, site
        self.main = main          # --demo, insecure client URLs allowed
        self.short = short        # --oauth-code-ttl 1 --oauth-access-token-ttl 1
        self.session = session    # --session-ttl 1
        self._agents: dict[tuple[str, str], Browserless] = {}

    def user(self, key: str) -> User:
        return self.env.users[key]

    def agent(self, key: str, server: Server | None = None) -> Browserless:
        """One signed-in user agent per user and server, reused (each login costs a password hash)."""
        server = server or self.main
        found = self._agents.get((key, server.base))
        if found is None:
            found = self._agents[(key, server.base)] = Browserless(server)
        return found

    def admin_get(self, path: str, server: Server | None = None) -> httpx2.Response:
        return httpx2.get((server or self.main).base + path,
                          headers={"Authorization": f"Bearer {self.env.tokens['admin']}"}, timeout=30)

    def grants(self, client_id: str, server: Server | None = None) -> list[dict]:
        response = self.admin_get("/api/oauth/grants", server)
        assert response.status_code == 200, f"GET /api/oauth/grants → {response.status_code}: {response.text}"
        return [g for g in grant_list(response.json()) if g["client_id"] == client_id]

    def assert_no_active_grant(self, client_id: str, what: str, server: Server | None = None) -> None:
        active = [g for g in self.grants(client_id, server) if g.get("revoked_at") is None]
        assert not active, f"{what}: a grant was left behind: {active}"

    def close(self) -> None:
        for agent in self._agents.values():
            agent.close()


def grant_list(body) -> list[dict]:
    return body.get("grants", []) if isinstance(body, dict) else body


@pytest.fixture(scope="module")
def errs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ErrorsEnv]:
    env = make_env(tmp_path_factory.mktemp("mcpa-oauth-errors"))
    for key, role in (("alice", "analyst"), ("vera", "viewer"), ("dora", "reviewer"), ("dis", "analyst"),
                      ("sam", "analyst")):
        env.add_user(key, role)
    env.add_user("nopw", "analyst", password=None)
    env.api_token("admin", "admin")
    env.api_token("dora", "reviewer", user="dora")
    env.api_token("dis", "analyst", user="dis")
    site = LocalSite()
    main = env.serve("oauth-errors", "--demo", "--oauth-allow-insecure-client-urls")
    short = env.serve("oauth-short-ttl", "--oauth-code-ttl", "1", "--oauth-access-token-ttl", "1")
    session = env.serve("oauth-short-session", "--session-ttl", "1")
    holder = ErrorsEnv(env, site, main, short, session)
    try:
        yield holder
    finally:
        holder.close()
        env.stop()
        site.close()


def fresh_code(errs: ErrorsEnv, client: dict | None = None, server: Server | None = None, user: str = "alice",
               scope: str = DEFAULT_SCOPE) -> tuple[dict, PKCE, str]:
    """(client, pkce, code) from a full front channel with a signed-in agent."""
    server = server or errs.main
    client = client or register_ok(server, [CALLBACK])
    pkce = PKCE.new()
    params = authorize_params(client["client_id"], CALLBACK, pkce, server, scope=scope)
    query = errs.agent(user, server).authorize(params, errs.user(user))
    assert "code" in query, query
    return client, pkce, query["code"]


def exchange(server: Server, client: dict, pkce: PKCE, code: str, **override: str | None) -> httpx2.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
            "client_id": client["client_id"], "code_verifier": pkce.verifier, "resource": resource(server)}
    data.update(override)
    return token(server, **{k: v for k, v in data.items() if v is not None})


# ---------------------------------------------------------------------------------------------
# Front channel


@pytest.mark.parametrize("case, change, error", [
    ("plain PKCE", {"code_challenge_method": "plain"}, "invalid_request"),
    ("no PKCE", {"code_challenge": None, "code_challenge_method": None}, "invalid_request"),
    ("missing state", {"state": None}, "invalid_request"),
    ("foreign resource", {"resource": "https://other.example.com/mcp"}, "invalid_target"),
    ("unknown scope", {"scope": "analytics:read analytics:admin"}, "invalid_scope"),
    ("implicit flow", {"response_type": "token"}, "unsupported_response_type"),
])
async def test_authorize_errors_redirect_with_the_rfc_code(errs: ErrorsEnv, case: str, change: dict, error: str) -> None:
    server = errs.main
    client = register_ok(server, [CALLBACK])
    params = authorize_params(client["client_id"], CALLBACK, PKCE.new(), server)
    params.update(change)
    params = {k: v for k, v in params.items() if v is not None}
    agent = errs.agent("alice")
    # Signed in, so a server that checked the request only after login is caught as well.
    errs.agent("alice").follow_to_consent(authorize_params(client["client_id"], CALLBACK, PKCE.new(), server),
                                          errs.user("alice"))
    response = agent.open_authorize(params)
    query = redirect_query(response, CALLBACK)
    assert query.get("error") == error, f"{case}: {query}"
    assert "code" not in query, f"{case}: a code was issued: {query}"
    assert query.get("iss") == issuer(server), f"{case}: iss missing or wrong: {query}"
    if "state" in params:
        assert query.get("state") == params["state"], f"{case}: state not echoed: {query}"
    else:
        assert "state" not in query or query["state"] == ""
    errs.assert_no_active_grant(client["client_id"], case)


def assert_error_page(response: httpx2.Response, what: str) -> None:
    assert response.status_code == 400, f"{what}: expected the 400 error page, got {response.status_code}: {response.text[:800]}"
    assert "location" not in response.headers, f"{what}: must never redirect, got Location {response.headers['location']}"
    assert response.headers.get("content-type", "").startswith("text/html"), response.headers.get("content-type")
    page = parse_page(response)
    assert page.one("oauth-error").strip(), f"{what}: the error page says nothing"
    assert not is_login_page(page) and not is_consent_page(page)


async def test_unknown_client_or_unregistered_redirect_gets_the_error_page(errs: ErrorsEnv) -> None:
    server = errs.main
    client = register_ok(server, [CALLBACK])
    agent = errs.agent("alice")
    cases = {
        "unknown client_id": authorize_params("no-such-client", CALLBACK, PKCE.new(), server),
        "redirect_uri not registered for the client": authorize_params(
            client["client_id"], "http://127.0.0.1:9/other", PKCE.new(), server),
        "allowed host but not the client's": authorize_params(
            client["client_id"], "https://claude.ai/api/mcp/auth_callback", PKCE.new(), server),
        "no redirect_uri, no client": {"response_type": "code", "state": "s"},
    }
    for what, params in cases.items():
        assert_error_page(agent.open_authorize(params), what)
        # Not signed in either.
        with Browserless(server) as anonymous:
            assert_error_page(anonymous.open_authorize(params), f"{what} (anonymous)")
    errs.assert_no_active_grant(client["client_id"], "error page")


@pytest.mark.parametrize("case", ["client_id differs", "oversize", "not JSON", "missing", "redirect not listed"])
async def test_bad_client_metadata_documents(errs: ErrorsEnv, case: str) -> None:
    server, site = errs.main, errs.site
    path = f"/cimd/{case.replace(' ', '-')}.json"
    url = site.base + path
    document = {"client_id": url, "client_name": f"CIMD {case}", "redirect_uris": [CALLBACK]}
    redirect_uri = CALLBACK
    if case == "client_id differs":
        document["client_id"] = site.base + "/cimd/someone-else.json"
        site.serve_json(path, document)
    elif case == "oversize":
        document["padding"] = "x" * (70 * 1024)
        site.serve_json(path, document)
    elif case == "not JSON":
        site.serve_raw(path, b"<html><body>client</body></html>", "text/html")
    elif case == "redirect not listed":
        site.serve_json(path, document)
        redirect_uri = "http://127.0.0.1:9/not-listed"
    # "missing": nothing is served at the path (404)
    params = authorize_params(url, redirect_uri, PKCE.new(), server)
    assert_error_page(errs.agent("alice").open_authorize(params), f"CIMD {case}")
    assert site.hits_for(path), f"CIMD {case}: the document was never fetched"
    errs.assert_no_active_grant(url, f"CIMD {case}")


async def test_insecure_client_urls_need_the_flag(errs: ErrorsEnv) -> None:
    """The same good http://127.0.0.1 document is refused by a server without --oauth-allow-insecure-client-urls."""
    site = errs.site
    url = site.serve_json("/cimd/good.json", {"client_id": site.base + "/cimd/good.json",
                                               "client_name": "Good CIMD", "redirect_uris": [CALLBACK]})
    params = authorize_params(url, CALLBACK, PKCE.new(), errs.short)
    with Browserless(errs.short) as agent:
        assert_error_page(agent.open_authorize(params), "http CIMD without the insecure flag")
    page = errs.agent("alice").follow_to_consent(authorize_params(url, CALLBACK, PKCE.new(), errs.main), errs.user("alice"))
    assert page.one("client-name") == "Good CIMD"
    assert "not verified" not in page.one("client-verified").lower() and "verified" in page.one("client-verified").lower()


async def test_registration_checks_redirect_uris(errs: ErrorsEnv) -> None:
    server = errs.main
    for bad in (["https://evil.example.com/callback"], ["javascript:alert(1)"], ["http://10.0.0.1:8080/cb"],
                ["https://claude.ai.evil.example/api/mcp/auth_callback"], ["https://claude.ai/api/mcp/auth_callback/../x"],
                [CALLBACK, "https://evil.example.com/callback"]):
        response = register(server, bad)
        assert response.status_code == 400, f"register {bad} → {response.status_code}: {response.text}"
        assert response.json().get("error") == "invalid_redirect_uri", f"register {bad}: {response.text}"
    missing = httpx2.post(server.base + "/oauth/register", json={"client_name": "no redirects"}, timeout=30)
    assert missing.status_code == 400, missing.text
    assert missing.json().get("error") in ("invalid_redirect_uri", "invalid_client_metadata"), missing.text
    for good in ("https://claude.ai/api/mcp/auth_callback", "https://claude.com/api/mcp/auth_callback",
                 "https://chatgpt.com/connector_platform_oauth_redirect", "https://chatgpt.com/connector/oauth/abc123",
                 "http://localhost:33418/callback", "http://127.0.0.1:5173/cb"):
        response = register(server, [good])
        assert response.status_code == 201, f"register {good} → {response.status_code}: {response.text}"
        assert response.json()["scope"] == DEFAULT_SCOPE or set(response.json()["scope"].split()) == set(SCOPES)


# ---------------------------------------------------------------------------------------------
# Login, session, consent


async def test_login_failures(errs: ErrorsEnv) -> None:
    server = errs.main
    client = register_ok(server, [CALLBACK])
    params = authorize_params(client["client_id"], CALLBACK, PKCE.new(), server)
    messages = []
    for email, password in ((errs.user("alice").email, "wrong password"), ("nobody@e2e.example.com", "whatever"),
                            (errs.user("nopw").email, ""), (errs.user("nopw").email, "anything")):
        with Browserless(server) as agent:
            page = parse_page(agent.open_authorize(params))
            assert page.status == 200 and is_login_page(page), f"expected the login page: {page.status} {page.text[:500]}"
            response = agent.login(page, email, password)
            assert response.status_code == 401, f"login {email}/{password!r} → {response.status_code}: {response.text[:500]}"
            again = parse_page(response)
            assert is_login_page(again)
            messages.append(again.one("form-error"))
            assert again.form("/oauth/login").fields.get("email") == email, "the typed email must be kept"
            assert "mcpa_session" not in response.headers.get("set-cookie", "")
            assert "mcpa_session" not in agent.http.cookies
    assert len(set(messages)) == 1, f"login errors must not reveal which accounts exist: {messages}"
    errs.assert_no_active_grant(client["client_id"], "failed logins")
    # After a failed attempt the re-rendered form still leads back to the authorization request.
    with Browserless(server) as agent:
        failed = agent.login(parse_page(agent.open_authorize(params)), errs.user("alice").email, "wrong password")
        retry = agent.login(parse_page(failed), errs.user("alice").email, errs.user("alice").password)
        assert retry.status_code == 303 and params["state"] in retry.headers.get("location", ""), \
            f"retry after a failed login → {retry.status_code} {retry.headers.get('location')}"


async def test_login_sets_a_safe_session_cookie(errs: ErrorsEnv) -> None:
    server = errs.main
    client = register_ok(server, [CALLBACK])
    params = authorize_params(client["client_id"], CALLBACK, PKCE.new(), server)
    with Browserless(server) as agent:
        page = parse_page(agent.open_authorize(params))
        response = agent.login(page, errs.user("sam").email, errs.user("sam").password)
        assert response.status_code == 303, response.text[:500]
        cookies = [c for c in response.headers.get_list("set-cookie") if c.startswith("mcpa_session=")]
        assert cookies, f"no mcpa_session cookie: {response.headers.get_list('set-cookie')}"
        attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookies[0].split(";")[1:]}
        assert "httponly" in attributes, cookies[0]
        assert attributes.get("samesite", "").lower() == "samesite=lax", cookies[0]
        assert "/oauth/authorize" in response.headers["location"]
        # Login with a return_to pointing elsewhere must not become an open redirect.
        with Browserless(server) as other:
            page = parse_page(other.open_authorize(params))
            form = page.form("/oauth/login")
            data = dict(form.fields, email=errs.user("sam").email, password=errs.user("sam").password,
                        return_to="https://evil.example.com/steal")
            hop = other.http.post("/oauth/login", data=data)
            location = hop.headers.get("location", "")
            assert not location.startswith("https://evil.example.com") and not location.startswith("//"), location


async def test_consent_needs_its_csrf_token(errs: ErrorsEnv) -> None:
    server = errs.main
    client = register_ok(server, [CALLBACK])
    pkce = PKCE.new()
    params = authorize_params(client["client_id"], CALLBACK, pkce, server)
    agent = errs.agent("alice")
    page = agent.follow_to_consent(params, errs.user("alice"))
    form = page.form("/oauth/consent")
    for field in ("client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method",
                  "resource", "csrf_token"):
        assert field in form.fields, f"consent form lacks hidden {field}: {form.fields}"
    assert {b.get("value") for b in form.buttons if b.get("name") == "decision"} == {"approve", "deny"}
    for what, override in (("without a CSRF token", {"csrf_token": None}), ("with a wrong CSRF token", {"csrf_token": "x" * 43}),
                           ("with an empty CSRF token", {"csrf_token": ""})):
        response = agent.consent(page, **override)
        assert response.status_code == 403, f"consent {what} → {response.status_code}: {response.text[:500]}"
        assert "code=" not in response.headers.get("location", ""), response.headers.get("location")
    # A CSRF token from another user agent (another session) is no good either.
    with Browserless(server) as other:
        other_page = other.follow_to_consent(authorize_params(client["client_id"], CALLBACK, PKCE.new(), server),
                                             errs.user("sam"))
        forged = agent.consent(page, csrf_token=other_page.form("/oauth/consent").fields["csrf_token"])
        assert forged.status_code == 403, f"another session's CSRF token → {forged.status_code}"
    errs.assert_no_active_grant(client["client_id"], "consent without CSRF")
    # The genuine form still works (it was never the form that was wrong).
    query = redirect_query(agent.consent(page), CALLBACK)
    assert query.get("code") and query.get("state") == params["state"], query


async def test_consent_cannot_be_widened_by_editing_hidden_fields(errs: ErrorsEnv) -> None:
    """The hidden fields are echoed back: changing the redirect or resource must not yield a code for them."""
    server = errs.main
    client = register_ok(server, [CALLBACK])
    page = errs.agent("alice").follow_to_consent(authorize_params(client["client_id"], CALLBACK, PKCE.new(), server),
                                                 errs.user("alice"))
    for field, value in (("redirect_uri", "https://evil.example.com/cb"), ("resource", "https://other.example.com/mcp"),
                         ("scope", "analytics:read analytics:admin")):
        response = errs.agent("alice").consent(page, **{field: value})
        location = response.headers.get("location", "")
        assert not location.startswith("https://evil.example.com"), f"{field} edited: redirected to {location}"
        assert "code=" not in location, f"{field} edited: a code was issued ({response.status_code} {location})"
    errs.assert_no_active_grant(client["client_id"], "edited consent")


async def test_deny_returns_access_denied(errs: ErrorsEnv) -> None:
    server = errs.main
    client = register_ok(server, [CALLBACK])
    params = authorize_params(client["client_id"], CALLBACK, PKCE.new(), server)
    query = errs.agent("alice").authorize(params, errs.user("alice"), decision="deny")
    assert query.get("error") == "access_denied" and "code" not in query, query
    assert query.get("state") == params["state"] and query.get("iss") == issuer(server), query
    errs.assert_no_active_grant(client["client_id"], "denied consent")


async def test_authorize_without_scope_uses_the_clients_scopes(errs: ErrorsEnv) -> None:
    """ChatGPT re-connects without a scope parameter: the client's registered scopes apply."""
    server = errs.main
    client = register_ok(server, [CALLBACK])
    pkce = PKCE.new()
    params = authorize_params(client["client_id"], CALLBACK, pkce, server, scope=None)
    page = errs.agent("alice").follow_to_consent(params, errs.user("alice"))
    assert sorted(page.testids.get("scope", [])) and len(page.testids["scope"]) == 2, page.testids.get("scope")
    query = redirect_query(errs.agent("alice").consent(page), CALLBACK)
    tokens = token_ok(server, grant_type="authorization_code", code=query["code"], redirect_uri=CALLBACK,
                      client_id=client["client_id"], code_verifier=pkce.verifier)  # no resource: optional
    assert set(tokens["scope"].split()) == set(SCOPES), tokens
    assert mcp_status(server, tokens["access_token"]) == 200


async def test_expired_session_goes_back_to_login(errs: ErrorsEnv) -> None:
    server = errs.session
    client = register_ok(server, [CALLBACK])
    params = authorize_params(client["client_id"], CALLBACK, PKCE.new(), server)
    with Browserless(server) as agent:
        page = agent.follow_to_consent(params, errs.user("alice"))
        time.sleep(2.5)
        again = parse_page(agent.open_authorize(params))
        assert is_login_page(again) and not is_consent_page(again), \
            f"an expired session must show the login page again: {again.status} {again.text[:500]}"
        late = agent.consent(page)
        assert "code=" not in late.headers.get("location", ""), f"consent on an expired session issued a code: {late.headers}"
    errs.assert_no_active_grant(client["client_id"], "expired session", server)


async def test_disabled_user(errs: ErrorsEnv) -> None:
    server = errs.main
    dis = errs.user("dis")
    grant = full_grant(server, dis)
    assert mcp_status(server, grant.tokens["access_token"]) == 200
    signed_in = errs.agent("dis")
    waiting = register_ok(server, [CALLBACK])
    signed_in.follow_to_consent(authorize_params(waiting["client_id"], CALLBACK, PKCE.new(), server), dis)
    cli(errs.env.data_dir, "users", "disable", dis.email)
    try:
        listed = cli(errs.env.data_dir, "users", "list")
        row = next(line.split("\t") for line in listed.splitlines() if dis.email in line)
        assert row[0] == dis.id and row[2] == "analyst" and row[3] == "disabled", row
        wait_until(lambda: mcp_status(server, grant.tokens["access_token"]) == 401, 6,
                   "a disabled user's access token is refused")
        assert_unauthorized(server, initialize(server, grant.tokens["access_token"]), "disabled user")
        refreshed = token(server, grant_type="refresh_token", refresh_token=grant.tokens["refresh_token"],
                          client_id=grant.client_id)
        oauth_error(refreshed, 400, "invalid_grant", "refresh by a disabled user")
        api = {"Authorization": f"Bearer {errs.env.tokens['dis']}"}
        wait_until(lambda: httpx2.get(server.base + "/api/datasets", headers=api, timeout=30).status_code == 401, 6,
                   "a disabled user's API token is refused on /api")
        assert mcp_status(server, errs.env.tokens["dis"]) == 401, "a disabled user's API token is refused on /mcp"
        # The login is refused, and the existing browser session no longer reaches consent.
        client = register_ok(server, [CALLBACK])
        params = authorize_params(client["client_id"], CALLBACK, PKCE.new(), server)
        with Browserless(server) as agent:
            page = parse_page(agent.open_authorize(params))
            response = agent.login(page, dis.email, dis.password)
            assert response.status_code == 401, f"a disabled user's login → {response.status_code}"
            assert parse_page(response).one("form-error")
        stale = parse_page(signed_in.open_authorize(params))
        assert not is_consent_page(stale), "a disabled user's existing session must not reach consent"
    finally:
        cli(errs.env.data_dir, "users", "enable", dis.email)
    row = next(line.split("\t") for line in cli(errs.env.data_dir, "users", "list").splitlines() if dis.email in line)
    assert row[3] == "active", row
    again = full_grant(server, dis)  # enabled again: signs in and gets tokens
    assert mcp_status(server, again.tokens["access_token"]) == 200
    wait_until(lambda: mcp_status(server, errs.env.tokens["dis"]) == 200, 6, "the API token works again once enabled")


# ---------------------------------------------------------------------------------------------
# Token endpoint


async def test_code_exchange_errors(errs: ErrorsEnv) -> None:
    server = errs.main
    client = register_ok(server, [CALLBACK])
    other_client = register_ok(server, [CALLBACK])
    cases = [
        ("wrong verifier", {"code_verifier": PKCE.new().verifier}, 400, "invalid_grant"),
        ("redirect_uri mismatch", {"redirect_uri": "http://127.0.0.1:9/other"}, 400, "invalid_grant"),
        ("another client's code", {"client_id": other_client["client_id"]}, 400, "invalid_grant"),
        ("foreign resource", {"resource": "https://other.example.com/mcp"}, 400, "invalid_target"),
        ("unknown client", {"client_id": "no-such-client"}, 401, "invalid_client"),
    ]
    for what, override, status, error in cases:
        _, pkce, code = fresh_code(errs, client)
        oauth_error(exchange(server, client, pkce, code, **override), status, error, what)
        errs.assert_no_active_grant(client["client_id"], what)
        errs.assert_no_active_grant(other_client["client_id"], what)
    _, pkce, code = fresh_code(errs, client)
    missing = exchange(server, client, pkce, code, code_verifier=None)
    assert missing.status_code == 400 and missing.json()["error"] in ("invalid_request", "invalid_grant"), missing.text
    oauth_error(exchange(server, client, pkce, "mcpac_not-a-real-code"), 400, "invalid_grant", "unknown code")
    oauth_error(token(server, grant_type="authorization_code", redirect_uri=CALLBACK, client_id=client["client_id"],
                      code_verifier=pkce.verifier), 400, "invalid_request", "no code")
    oauth_error(token(server, grant_type="password", username="a", password="b", client_id=client["client_id"]),
                400, "unsupported_grant_type", "password grant")
    oauth_error(token(server, grant_type="client_credentials", client_id=client["client_id"]),
                400, "unsupported_grant_type", "client_credentials grant")
    no_type = token(server, code=code, client_id=client["client_id"])
    assert no_type.status_code == 400 and no_type.json()["error"] in ("invalid_request", "unsupported_grant_type"), no_type.text
    as_json = httpx2.post(server.base + "/oauth/token", json={"grant_type": "authorization_code", "code": code}, timeout=30)
    assert as_json.status_code in (400, 415) and "access_token" not in as_json.text, as_json.text
    errs.assert_no_active_grant(client["client_id"], "bad exchanges")
    # A well-formed exchange for the same client still works: the errors above were the inputs' fault.
    _, pkce, code = fresh_code(errs, client)
    assert exchange(server, client, pkce, code).status_code == 200


@pytest.mark.parametrize("method", ["client_secret_post", "client_secret_basic"])
async def test_confidential_clients_must_authenticate(errs: ErrorsEnv, method: str) -> None:
    server = errs.main
    client = register_ok(server, [CALLBACK], token_endpoint_auth_method=method)

    def attempt(secret: str | None) -> httpx2.Response:
        client_, pkce, code = fresh_code(errs, client)
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
                "client_id": client["client_id"], "code_verifier": pkce.verifier}
        headers = {}
        if secret is not None and method == "client_secret_post":
            data["client_secret"] = secret
        if secret is not None and method == "client_secret_basic":
            headers["Authorization"] = "Basic " + base64.b64encode(f"{client['client_id']}:{secret}".encode()).decode()
        return httpx2.post(server.base + "/oauth/token", data=data, headers=headers, timeout=30)

    oauth_error(attempt(None), 401, "invalid_client", f"{method} without its secret")
    oauth_error(attempt("not-the-secret"), 401, "invalid_client", f"{method} with a wrong secret")
    errs.assert_no_active_grant(client["client_id"], f"{method} unauthenticated")
    ok = attempt(client["client_secret"])
    assert ok.status_code == 200 and ok.json()["access_token"].startswith("mcpat_"), ok.text


async def test_replayed_code_revokes_what_it_issued(errs: ErrorsEnv) -> None:
    server = errs.main
    client, pkce, code = fresh_code(errs)
    first = exchange(server, client, pkce, code)
    assert first.status_code == 200, first.text
    tokens = first.json()
    assert mcp_status(server, tokens["access_token"]) == 200
    oauth_error(exchange(server, client, pkce, code), 400, "invalid_grant", "replayed code")
    wait_until(lambda: mcp_status(server, tokens["access_token"]) == 401, 6,
               "the access token issued from a replayed code is revoked")
    oauth_error(token(server, grant_type="refresh_token", refresh_token=tokens["refresh_token"],
                      client_id=client["client_id"]), 400, "invalid_grant", "refresh after a code replay")
    errs.assert_no_active_grant(client["client_id"], "replayed code")


async def test_expired_code(errs: ErrorsEnv) -> None:
    server = errs.short
    client, pkce, code = fresh_code(errs, server=server)
    time.sleep(2.5)
    oauth_error(exchange(server, client, pkce, code), 400, "invalid_grant", "expired code (--oauth-code-ttl 1)")
    errs.assert_no_active_grant(client["client_id"], "expired code", server)


async def test_expired_access_token(errs: ErrorsEnv) -> None:
    server = errs.short
    grant = full_grant(server, errs.user("alice"))
    assert grant.tokens["expires_in"] <= 1, grant.tokens
    time.sleep(2.5)
    assert_unauthorized(server, initialize(server, grant.tokens["access_token"]), "expired access token")
    refreshed = token_ok(server, grant_type="refresh_token", refresh_token=grant.tokens["refresh_token"],
                         client_id=grant.client_id)
    assert refreshed["access_token"] != grant.tokens["access_token"]


async def test_token_of_another_audience(errs: ErrorsEnv) -> None:
    """Same store, another server process with another public URL: its tokens are not for us."""
    grant = full_grant(errs.main, errs.user("alice"))
    assert mcp_status(errs.main, grant.tokens["access_token"]) == 200
    assert_unauthorized(errs.session, initialize(errs.session, grant.tokens["access_token"]), "token of another audience")
    assert_unauthorized(errs.main, initialize(errs.main, "mcpat_" + "A" * 43), "made-up access token")
    assert_unauthorized(errs.main, initialize(errs.main, grant.tokens["refresh_token"]), "refresh token used as access token")


async def test_refresh_rotation_grace_and_family_revocation(errs: ErrorsEnv) -> None:
    server = errs.main
    grant = full_grant(server, errs.user("alice"))
    first = grant.tokens
    tampered = first["refresh_token"][:-2] + ("AA" if not first["refresh_token"].endswith("AA") else "BB")
    oauth_error(token(server, grant_type="refresh_token", refresh_token=tampered, client_id=grant.client_id),
                400, "invalid_grant", "tampered refresh token")
    other = register_ok(server, [CALLBACK])
    oauth_error(token(server, grant_type="refresh_token", refresh_token=first["refresh_token"],
                      client_id=other["client_id"]), 400, "invalid_grant", "another client's refresh token")
    oauth_error(token(server, grant_type="refresh_token", client_id=grant.client_id), 400, "invalid_request",
                "refresh without refresh_token")

    second = token_ok(server, grant_type="refresh_token", refresh_token=first["refresh_token"], client_id=grant.client_id)
    assert second["refresh_token"] != first["refresh_token"] and second["access_token"] != first["access_token"]
    # The old refresh token again, within the grace period: the same new pair (a retried request).
    retried = token_ok(server, grant_type="refresh_token", refresh_token=first["refresh_token"], client_id=grant.client_id)
    assert (retried["access_token"], retried["refresh_token"]) == (second["access_token"], second["refresh_token"])
    assert mcp_status(server, second["access_token"]) == 200

    # Revoke the family through its refresh token: everything of the grant stops.
    assert revoke(server, second["refresh_token"], grant.client_id, hint="refresh_token").status_code == 200
    for what, value in (("rotated refresh token", second["refresh_token"]), ("old refresh token", first["refresh_token"])):
        oauth_error(token(server, grant_type="refresh_token", refresh_token=value, client_id=grant.client_id),
                    400, "invalid_grant", f"{what} of a revoked family")
    wait_until(lambda: mcp_status(server, second["access_token"]) == 401, 6, "access token of a revoked family")
    errs.assert_no_active_grant(grant.client_id, "revoked family")


async def test_revocation_endpoint_always_answers_200(errs: ErrorsEnv) -> None:
    server = errs.main
    client = register_ok(server, [CALLBACK])
    for value in ("mcprt_unknown", "mcpat_unknown", "garbage", ""):
        response = revoke(server, value, client["client_id"])
        assert response.status_code == 200, f"revoke {value!r} → {response.status_code}: {response.text}"
    grant = full_grant(server, errs.user("alice"))
    assert revoke(server, grant.tokens["refresh_token"], grant.client_id).status_code == 200  # no hint
    wait_until(lambda: mcp_status(server, grant.tokens["access_token"]) == 401, 6, "revoked without a hint")


# ---------------------------------------------------------------------------------------------
# Scopes and roles on /mcp


async def test_read_only_token_cannot_query(errs: ErrorsEnv) -> None:
    server = errs.main
    grant = full_grant(server, errs.user("alice"), scope="analytics:read")
    assert grant.tokens["scope"].split() == ["analytics:read"], grant.tokens
    bearer = grant.tokens["access_token"]
    session = mcp_session(server, bearer)
    listed = mcp_post(server, bearer, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, session)
    assert listed.status_code == 200, listed.text
    datasets = mcp_post(server, bearer, {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                                         "params": {"name": "list_datasets", "arguments": {}}}, session)
    assert datasets.status_code == 200 and not rpc_result(datasets)["result"].get("isError"), datasets.text
    described = mcp_post(server, bearer, {"jsonrpc": "2.0", "id": 4, "method": "tools/call",
                                          "params": {"name": "describe_dataset", "arguments": {"dataset_id": "demo"}}}, session)
    assert described.status_code == 200, described.text
    calls = {
        "execute_sql": {"dataset_id": "demo", "sql": "SELECT 1"},
        "run_query_plan": {"plan": {"queries": [{"id": "a", "dataset_id": "demo", "sql": "SELECT 1"}]}},
        "weighted_breakdown": {"dataset_id": "demo", "measure": {"type": "share", "reach": {"table": "tv_viewing"}}},
    }
    for index, (name, arguments) in enumerate(calls.items()):
        response = mcp_post(server, bearer, {"jsonrpc": "2.0", "id": 10 + index, "method": "tools/call",
                                             "params": {"name": name, "arguments": arguments}}, session)
        assert response.status_code == 403, f"{name} with analytics:read only → {response.status_code}: {response.text[:500]}"
        challenge = www_authenticate(response)
        assert challenge.get("error") == "insufficient_scope", challenge
        assert "analytics:query" in challenge.get("scope", "").split(), challenge
        assert challenge.get("resource_metadata") == prm_url(server), challenge


async def test_viewer_role_still_caps_a_full_scope_token(errs: ErrorsEnv) -> None:
    grant = full_grant(errs.main, errs.user("vera"))
    async with sdk_client(errs.main, grant.tokens["access_token"]) as client:
        listed = await client.call_tool("list_datasets", {})
        assert not listed.is_error
        result = await client.call_tool("execute_sql", {"dataset_id": "demo", "sql": "SELECT 1"})
        assert result.is_error, "a viewer must not run SQL whatever the token's scopes"
        assert result.structured_content["error"]["code"] == "ACCESS_DENIED", result.structured_content


# ---------------------------------------------------------------------------------------------
# Grants over REST


async def test_grants_over_rest(errs: ErrorsEnv) -> None:
    server = errs.main
    dora_grant = full_grant(server, errs.user("dora"))
    alice_grant = full_grant(server, errs.user("alice"))
    dora = {"Authorization": f"Bearer {errs.env.tokens['dora']}"}
    admin = {"Authorization": f"Bearer {errs.env.tokens['admin']}"}

    own = httpx2.get(server.base + "/api/oauth/grants", headers=dora, timeout=30)
    assert own.status_code == 200, own.text
    own_list = grant_list(own.json())
    assert own_list and {g["user_id"] for g in own_list} == {errs.user("dora").id}, own_list
    dora_row = next(g for g in own_list if g["client_id"] == dora_grant.client_id)
    for key in ("id", "user_id", "client_id", "scopes", "resource", "created_at"):
        assert key in dora_row, f"grant lacks {key}: {dora_row}"
    assert set(dora_row["scopes"]) == set(SCOPES) and dora_row["resource"] == resource(server)
    assert dora_row.get("revoked_at") is None  # absent or null while the grant is live
    assert mcp_status(server, dora_grant.tokens["access_token"]) == 200

    def used() -> bool:
        rows = grant_list(httpx2.get(server.base + "/api/oauth/grants", headers=dora, timeout=30).json())
        return bool(next(g for g in rows if g["id"] == dora_row["id"]).get("last_used_at"))
    wait_until(used, 6, "last_used_at is set once the grant's token was used on /mcp")

    everything = grant_list(httpx2.get(server.base + "/api/oauth/grants", headers=admin, timeout=30).json())
    alice_row = next((g for g in everything if g["client_id"] == alice_grant.client_id), None)
    assert alice_row is not None and alice_row["user_id"] == errs.user("alice").id
    assert any(g["id"] == dora_row["id"] for g in everything)

    clients = httpx2.get(server.base + "/api/oauth/clients", headers=dora, timeout=30)
    assert clients.status_code == 403, f"a reviewer listing OAuth clients → {clients.status_code}"

    foreign = httpx2.delete(server.base + f"/api/oauth/grants/{alice_row['id']}", headers=dora, timeout=30)
    assert foreign.status_code == 404, f"revoking another user's grant → {foreign.status_code}: {foreign.text}"
    assert foreign.json()["error"]["code"] == "GRANT_NOT_FOUND", foreign.text
    assert mcp_status(server, alice_grant.tokens["access_token"]) == 200

    mine = httpx2.delete(server.base + f"/api/oauth/grants/{dora_row['id']}", headers=dora, timeout=30)
    assert mine.status_code == 200, mine.text
    assert mine.json()["id"] == dora_row["id"] and mine.json()["revoked_at"], mine.text
    wait_until(lambda: mcp_status(server, dora_grant.tokens["access_token"]) == 401, 6, "a grant revoked over REST")
    oauth_error(token(server, grant_type="refresh_token", refresh_token=dora_grant.tokens["refresh_token"],
                      client_id=dora_grant.client_id), 400, "invalid_grant", "refresh of a grant revoked over REST")

    by_admin = httpx2.delete(server.base + f"/api/oauth/grants/{alice_row['id']}", headers=admin, timeout=30)
    assert by_admin.status_code == 200 and by_admin.json()["revoked_at"], by_admin.text
    wait_until(lambda: mcp_status(server, alice_grant.tokens["access_token"]) == 401, 6, "a grant revoked by an admin")
    missing = httpx2.delete(server.base + "/api/oauth/grants/no-such-grant", headers=admin, timeout=30)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "GRANT_NOT_FOUND", missing.text
    save_rows = json.dumps({"own": own_list, "all": everything}, indent=2, default=str)
    assert "password" not in save_rows and "mcpat_" not in save_rows and "mcprt_" not in save_rows, \
        "grant listings must not leak tokens"
