"""The connector's whole journey against the embedded OAuth 2.1 authorization server, with no
shortcuts: discovery from the 401, protected-resource and authorization-server metadata, client
registration three ways (dynamic, a client ID metadata document served from a local site, a pinned
document), the real login and consent pages in headless Chromium, PKCE, the code exchange, the
official MCP SDK with the access token, refresh, revocation — and the same through the SDK's own
OAuth client (`OAuthClientProvider`)."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

from conftest import EXPECTED_TOOLS, Server, all_tools
from oauth_support import (
    PKCE, SCOPES, Browserless, LocalSite, OAuthEnv, all_by_testid, assert_unauthorized,
    authorize_params, authorize_url, by_testid, chromium, console_errors, full_grant, initialize, issuer, make_env,
    mcp_status, prm_url, register_ok, resource, revoke, save_artifact, screenshot, sdk_client, token_ok,
    wait_for_testid, wait_until, www_authenticate,
)

pytestmark = pytest.mark.anyio

PINNED_CLIENT_ID = "https://connector.pinned.example/oauth/client-metadata.json"


class FlowEnv:
    def __init__(self, env: OAuthEnv, site: LocalSite, server: Server, cimd_client_id: str) -> None:
        self.env, self.site, self.server, self.cimd_client_id = env, site, server, cimd_client_id

    @property
    def alice(self):
        return self.env.users["alice"]


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlowEnv]:
    data_dir = tmp_path_factory.mktemp("mcpa-oauth-flow")
    env = make_env(data_dir)
    env.add_user("alice", "analyst", name="Alice Analyst")
    env.add_user("root", "admin")
    env.api_token("admin", "admin")
    site = LocalSite()
    cimd_client_id = site.serve_json("/clients/e2e-connector.json", None)  # filled below (needs its own URL)
    site.serve_json("/clients/e2e-connector.json", {
        "client_id": cimd_client_id, "client_name": "CIMD e2e Connector", "redirect_uris": [site.callback],
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
        "token_endpoint_auth_method": "none",
    })
    pinned = data_dir / "pinned-clients.json"
    pinned.write_text(json.dumps({PINNED_CLIENT_ID: {
        "client_id": PINNED_CLIENT_ID, "client_name": "Pinned Connector", "redirect_uris": [site.callback],
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
        "token_endpoint_auth_method": "none",
    }}))
    server = env.serve("oauth-flow", "--demo", "--oauth-client-documents", str(pinned),
                       "--oauth-allow-insecure-client-urls")
    try:
        yield FlowEnv(env, site, server, cimd_client_id)
    finally:
        env.stop()
        site.close()


def discover(server: Server) -> tuple[dict, dict]:
    """What a connector does first: POST /mcp without a token, follow the 401's resource_metadata to
    the protected-resource metadata, then its authorization server's RFC 8414 document."""
    challenge = httpx2.post(server.url, json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "connector", "version": "1"}}},
        headers={"Accept": "application/json, text/event-stream"}, timeout=30)
    assert challenge.status_code == 401, f"unauthenticated POST /mcp → {challenge.status_code}: {challenge.text}"
    params = www_authenticate(challenge)
    assert params.get("resource_metadata") == prm_url(server), params
    assert set(params.get("scope", "").split()) == set(SCOPES), params
    prm_response = httpx2.get(params["resource_metadata"], timeout=30)
    assert prm_response.status_code == 200, prm_response.text
    prm = prm_response.json()
    assert prm["resource"] == resource(server)
    assert prm["authorization_servers"] == [issuer(server)]
    as_base = prm["authorization_servers"][0]
    asm_response = httpx2.get(as_base + "/.well-known/oauth-authorization-server", timeout=30)
    assert asm_response.status_code == 200, asm_response.text
    asm = asm_response.json()
    assert asm["issuer"] == as_base
    return prm, asm


async def test_discovery_documents(flow: FlowEnv) -> None:
    server = flow.server
    prm, asm = discover(server)
    base = issuer(server)

    # Both protected-resource metadata URLs (path-aware and root) carry the same document.
    for url in (prm_url(server), base + "/.well-known/oauth-protected-resource"):
        response = httpx2.get(url, timeout=30)
        assert response.status_code == 200, f"GET {url} → {response.status_code}"
        assert response.headers["content-type"].startswith("application/json")
        body = response.json()
        assert body["resource"] == base + "/mcp", body
        assert body["authorization_servers"] == [base], body
        assert set(body["scopes_supported"]) == set(SCOPES), body
        assert body["bearer_methods_supported"] == ["header"], body

    # Both authorization-server metadata URLs (RFC 8414 and OpenID discovery).
    for url in (base + "/.well-known/oauth-authorization-server", base + "/.well-known/openid-configuration"):
        response = httpx2.get(url, headers={"Origin": "https://claude.ai"}, timeout=30)
        assert response.status_code == 200, f"GET {url} → {response.status_code}"
        assert response.headers.get("access-control-allow-origin") == "*", f"{url}: no CORS header"
        body = response.json()
        assert body["issuer"] == base, body["issuer"]
        assert body["authorization_endpoint"] == base + "/oauth/authorize"
        assert body["token_endpoint"] == base + "/oauth/token"
        assert body["registration_endpoint"] == base + "/oauth/register"
        assert body["revocation_endpoint"] == base + "/oauth/revoke"
        assert body["response_types_supported"] == ["code"]
        assert set(body["grant_types_supported"]) == {"authorization_code", "refresh_token"}
        assert body["code_challenge_methods_supported"] == ["S256"]
        assert set(body["token_endpoint_auth_methods_supported"]) == {"none", "client_secret_post", "client_secret_basic"}
        assert set(SCOPES) <= set(body["scopes_supported"])
        assert body["client_id_metadata_document_supported"] is True
        assert body["authorization_response_iss_parameter_supported"] is True

    # CORS on the token, registration and revocation endpoints, preflight included.
    for path in ("/oauth/token", "/oauth/register", "/oauth/revoke", "/.well-known/oauth-authorization-server"):
        preflight = httpx2.request("OPTIONS", base + path, headers={
            "Origin": "https://claude.ai", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"}, timeout=30)
        assert preflight.status_code in (200, 204), f"OPTIONS {path} → {preflight.status_code}: {preflight.text}"
        assert preflight.headers.get("access-control-allow-origin") == "*", f"OPTIONS {path}: {dict(preflight.headers)}"
    failed = httpx2.post(base + "/oauth/token", data={"grant_type": "authorization_code", "code": "nope"},
                         headers={"Origin": "https://claude.ai"}, timeout=30)
    assert failed.headers.get("access-control-allow-origin") == "*", "token endpoint errors need CORS too"


async def test_dynamic_registration_answers_rfc7591(flow: FlowEnv) -> None:
    server = flow.server
    public = register_ok(server, [flow.site.callback], client_name="Registration check")
    assert public["client_id"] and not public["client_id"].startswith("http")
    assert public["client_name"] == "Registration check"
    assert public["redirect_uris"] == [flow.site.callback]
    assert public["token_endpoint_auth_method"] == "none" and "client_secret" not in public
    assert set(public["scope"].split()) == set(SCOPES)
    assert "authorization_code" in public["grant_types"] and public["response_types"] == ["code"]
    again = register_ok(server, [flow.site.callback])
    assert again["client_id"] != public["client_id"], "client ids must be random per registration"

    confidential = register_ok(server, ["https://claude.ai/api/mcp/auth_callback"],
                               token_endpoint_auth_method="client_secret_post", scope="analytics:read")
    assert confidential["token_endpoint_auth_method"] == "client_secret_post"
    assert confidential.get("client_secret"), confidential
    assert confidential["scope"] == "analytics:read"


def browser_authorize(driver, flow: FlowEnv, url: str, *, name: str, client_name: str, verified: bool,
                      scopes: list[str], expect_login: bool = True) -> dict[str, str]:
    """Drives the real pages: login (typed), consent (checked, approved); returns the callback query."""
    from selenium.webdriver.common.by import By

    before = len(flow.site.hits_for("/callback"))
    driver.get(url)
    if expect_login:
        submit = wait_for_testid(driver, "login-submit")
        screenshot(driver, f"{name}-login")
        email = driver.find_element(By.NAME, "email")
        password = driver.find_element(By.NAME, "password")
        assert password.get_attribute("type") == "password"
        email.clear()
        email.send_keys(flow.alice.email)
        password.send_keys(flow.alice.password)
        submit.click()
    wait_for_testid(driver, "consent-approve")
    assert by_testid(driver, "client-name").text.strip() == client_name
    verified_text = by_testid(driver, "client-verified").text
    if verified:
        assert "verified" in verified_text.lower() and "not verified" not in verified_text.lower(), verified_text
    else:
        assert "not verified" in verified_text.lower(), verified_text
    assert "127.0.0.1" in by_testid(driver, "redirect-host").text
    shown = [element.text for element in all_by_testid(driver, "scope")]
    assert len(shown) == len(scopes), f"scopes shown: {shown}"
    for scope in scopes:
        assert any(scope in text for text in shown), f"{scope} not named on the consent page: {shown}"
    assert by_testid(driver, "consent-deny").get_attribute("value") == "deny"
    screenshot(driver, f"{name}-consent")
    by_testid(driver, "consent-approve").click()
    hit = flow.site.wait_for_callback(before)
    errors = console_errors(driver)
    assert not errors, f"browser console errors: {errors}"
    if expect_login:  # cookies are per host, not per port: the callback page on 127.0.0.1 sees it
        cookie = driver.get_cookie("mcpa_session")
        assert cookie is not None, f"no mcpa_session cookie after login: {driver.get_cookies()}"
        assert cookie.get("httpOnly") is True and cookie.get("sameSite") == "Lax", cookie
    return hit.query


def register_client(flow: FlowEnv, kind: str) -> tuple[str, str, bool]:
    """(client_id, the name the consent page must show, verified?) for each registration path."""
    if kind == "dcr":
        client = register_ok(flow.server, [flow.site.callback], client_name="DCR e2e Connector")
        return client["client_id"], "DCR e2e Connector", False
    if kind == "cimd":
        return flow.cimd_client_id, "CIMD e2e Connector", True
    return PINNED_CLIENT_ID, "Pinned Connector", True


@pytest.mark.parametrize("kind", ["dcr", "cimd", "pinned"])
async def test_connector_flow_in_a_real_browser(flow: FlowEnv, kind: str) -> None:
    server = flow.server
    prm, asm = discover(server)
    client_id, client_name, verified = register_client(flow, kind)

    pkce = PKCE.new()
    params = authorize_params(client_id, flow.site.callback, pkce, server, scope=" ".join(prm["scopes_supported"]))
    url = asm["authorization_endpoint"] + "?" + authorize_url(server, params).split("?", 1)[1]
    with chromium() as driver:
        query = browser_authorize(driver, flow, url, name=f"oauth-{kind}", client_name=client_name,
                                  verified=verified, scopes=SCOPES)
    assert "error" not in query, query
    assert query["state"] == params["state"], "state must come back unchanged"
    assert query["iss"] == asm["issuer"] == issuer(server), "RFC 9207 iss must be the issuer"
    assert query["code"]
    if kind == "cimd":
        assert flow.site.hits_for("/clients/e2e-connector.json"), "the client ID metadata document was never fetched"

    exchange = httpx2.post(asm["token_endpoint"], data={
        "grant_type": "authorization_code", "code": query["code"], "redirect_uri": flow.site.callback,
        "client_id": client_id, "code_verifier": pkce.verifier, "resource": prm["resource"]}, timeout=30)
    assert exchange.status_code == 200, f"code exchange → {exchange.status_code}: {exchange.text}"
    assert "no-store" in exchange.headers.get("cache-control", ""), dict(exchange.headers)
    tokens = exchange.json()
    assert tokens["token_type"].lower() == "bearer"
    assert tokens["access_token"].startswith("mcpat_") and tokens["refresh_token"].startswith("mcprt_")
    assert 0 < tokens["expires_in"] <= 3600
    assert set(tokens["scope"].split()) == set(SCOPES)

    async with sdk_client(server, tokens["access_token"]) as client:
        names = {tool.name for tool in await all_tools(client)}
        assert EXPECTED_TOOLS <= names, EXPECTED_TOOLS - names
        result = await client.call_tool("execute_sql", {"dataset_id": "demo", "sql": "SELECT count(*) AS n FROM respondents"})
        assert not result.is_error, result.content[0].text
        assert result.structured_content["rows"][0][0] > 0

    # Refresh rotates the pair; the new access token works.
    refreshed = token_ok(server, grant_type="refresh_token", refresh_token=tokens["refresh_token"], client_id=client_id)
    assert refreshed["access_token"] != tokens["access_token"]
    assert refreshed["refresh_token"] != tokens["refresh_token"]
    assert refreshed["refresh_token"].startswith("mcprt_")
    async with sdk_client(server, refreshed["access_token"]) as client:
        listed = await client.call_tool("list_datasets", {})
        assert not listed.is_error and "demo" in json.dumps(listed.structured_content)

    # Revoking the refresh token ends the grant: its access token is refused with the challenge.
    revoked = revoke(server, refreshed["refresh_token"], client_id, hint="refresh_token")
    assert revoked.status_code == 200, revoked.text
    wait_until(lambda: mcp_status(server, refreshed["access_token"]) == 401, 6,
               "the access token of a revoked grant is refused")
    assert_unauthorized(server, initialize(server, refreshed["access_token"]), "revoked grant")
    again = httpx2.post(server.base + "/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": refreshed["refresh_token"], "client_id": client_id}, timeout=30)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant", again.text


async def test_browser_pages_for_errors(flow: FlowEnv) -> None:
    """The wrong-password page (401, message, email kept) and the error page for an unknown client."""
    from selenium.webdriver.common.by import By

    server = flow.server
    client = register_ok(server, [flow.site.callback], client_name="Error page client")
    params = authorize_params(client["client_id"], flow.site.callback, PKCE.new(), server)
    with chromium() as driver:
        driver.get(authorize_url(server, params))
        submit = wait_for_testid(driver, "login-submit")
        driver.find_element(By.NAME, "email").send_keys(flow.alice.email)
        driver.find_element(By.NAME, "password").send_keys("not the password")
        submit.click()
        wait_for_testid(driver, "form-error")
        screenshot(driver, "oauth-login-wrong-password")
        assert driver.find_element(By.NAME, "email").get_attribute("value") == flow.alice.email
        assert driver.find_element(By.NAME, "password").get_attribute("value") == ""
        assert driver.get_cookie("mcpa_session") is None, "a failed login must not start a session"

        unknown = authorize_params("no-such-client", flow.site.callback, PKCE.new(), server)
        before = len(flow.site.hits_for("/callback"))
        driver.get(authorize_url(server, unknown))
        message = wait_for_testid(driver, "oauth-error").text
        assert message.strip(), "the error page must say what went wrong"
        screenshot(driver, "oauth-error-unknown-client")
        assert urlsplit(driver.current_url).netloc == urlsplit(server.base).netloc, "an unknown client is never redirected"
        assert len(flow.site.hits_for("/callback")) == before
        errors = console_errors(driver, expected_status_urls=(server.base + "/oauth/login", server.base + "/oauth/authorize"))
        assert not errors, f"browser console errors: {errors}"


async def test_oauth_calls_are_logged_as_the_user(flow: FlowEnv) -> None:
    server = flow.server
    grant = full_grant(server, flow.alice, redirect_uri=flow.site.callback)
    alias = f"marker_{secrets.token_hex(4)}"
    marker = f"SELECT 7 AS {alias}"
    async with sdk_client(server, grant.tokens["access_token"]) as client:
        result = await client.call_tool("execute_sql", {"dataset_id": "demo", "sql": marker})
        assert not result.is_error, result.content[0].text
    admin = {"Authorization": f"Bearer {flow.env.tokens['admin']}"}
    deadline = time.monotonic() + 15
    entries: list = []
    while time.monotonic() < deadline:
        entries = httpx2.get(server.base + "/api/queries", params={"limit": 200}, headers=admin, timeout=30).json()["queries"]
        mine = [e for e in entries if alias in (e.get("sql") or e.get("normalized_sql") or "")]
        if mine:
            assert mine[0]["principal_id"] == flow.alice.id, mine[0]
            break
        await anyio.sleep(0.3)
    else:
        pytest.fail(f"the OAuth call never reached the query log: {entries[:3]}")

    assert mcp_status(server, flow.env.tokens["admin"]) == 200, "static API tokens still work on /mcp"
    clients = httpx2.get(server.base + "/api/oauth/clients", headers=admin, timeout=30)
    assert clients.status_code == 200, clients.text
    listed = clients.json()
    listed = listed.get("clients", listed) if isinstance(listed, dict) else listed
    assert grant.client_id in {c["client_id"] for c in listed}


class MemoryStorage:
    """TokenStorage for OAuthClientProvider, in memory."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client_info = client_info


async def test_official_sdk_oauth_client(flow: FlowEnv) -> None:
    """mcp.client.auth.OAuthClientProvider finds everything by itself from the 401; the 'user' signs
    in and approves through the real pages (form posts), the code comes back through the callback."""
    server, site = flow.server, flow.site
    storage = MemoryStorage()
    redirects: list[str] = []
    before = len(site.hits_for("/callback"))

    async def redirect_handler(url: str) -> None:
        redirects.append(url)
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == server.base + "/oauth/authorize", url
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        assert params["code_challenge_method"] == "S256" and params["resource"] == resource(server), params

        def front_channel() -> None:
            with Browserless(server) as agent:
                page = agent.follow_to_consent(params, flow.alice)
                assert "not verified" in page.one("client-verified").lower()
                response = agent.consent(page)
                assert response.status_code == 303, response.text
                httpx2.get(response.headers["location"], timeout=30)  # the browser lands on the callback

        await anyio.to_thread.run_sync(front_channel)

    async def callback_handler() -> AuthorizationCodeResult:
        hit = await anyio.to_thread.run_sync(lambda: site.wait_for_callback(before))
        return AuthorizationCodeResult(code=hit.query["code"], state=hit.query.get("state"), iss=hit.query.get("iss"))

    provider = OAuthClientProvider(
        server_url=server.url,
        client_metadata=OAuthClientMetadata(
            redirect_uris=[site.callback], client_name="SDK e2e client", token_endpoint_auth_method="none",
            grant_types=["authorization_code", "refresh_token"], response_types=["code"]),
        storage=storage, redirect_handler=redirect_handler, callback_handler=callback_handler,
    )
    async with httpx2.AsyncClient(auth=provider, timeout=httpx2.Timeout(30, read=120)) as http:
        async with Client(streamable_http_client(server.url, http_client=http), mode="legacy") as client:
            names = {tool.name for tool in await all_tools(client)}
            assert EXPECTED_TOOLS <= names
            result = await client.call_tool("execute_sql", {"dataset_id": "demo", "sql": "SELECT count(*) FROM respondents"})
            assert not result.is_error, result.content[0].text
        assert len(redirects) == 1, redirects
        assert storage.client_info is not None and not storage.client_info.client_id.startswith("http"), \
            "the SDK should have registered dynamically (CIMD needs https)"
        first = storage.tokens
        assert first is not None and first.access_token.startswith("mcpat_")
        assert set((first.scope or "").split()) == set(SCOPES)

        # Let the SDK refresh on its own: mark the token expired and call again.
        provider.context.token_expiry_time = time.time() - 1
        async with Client(streamable_http_client(server.url, http_client=http), mode="legacy") as client:
            listed = await client.call_tool("list_datasets", {})
            assert not listed.is_error
        assert len(redirects) == 1, "a refresh must not need the user again"
        assert storage.tokens.access_token != first.access_token
        assert storage.tokens.refresh_token != first.refresh_token

    grants = httpx2.get(server.base + "/api/oauth/grants",
                        headers={"Authorization": f"Bearer {flow.env.tokens['admin']}"}, timeout=30)
    assert grants.status_code == 200, grants.text
    body = grants.json()
    body = body.get("grants", body) if isinstance(body, dict) else body
    ours = [g for g in body if g["client_id"] == storage.client_info.client_id]
    assert len(ours) == 1 and ours[0]["user_id"] == flow.alice.id and ours[0].get("revoked_at") is None, ours
    assert ours[0].get("last_used_at"), f"a used grant has last_used_at: {ours[0]}"
    assert ours[0]["resource"] == resource(server) and set(ours[0]["scopes"]) == set(SCOPES)
    save_artifact("oauth-sdk-grant.json", json.dumps(ours[0], indent=2))
