"""Sign-in through an upstream OpenID Connect provider (a fake one, fake_oidc.py, on loopback): the
"Sign in with …" link on the login page, the redirect to the provider with state, nonce and PKCE, the
code exchange with the client secret, the ID token verified against the provider's JWKS, the mapping
to local users (new viewer, same subject again, an existing account linked by email) — in headless
Chromium and over plain HTTP — and every refusal, each leaving no session and no user behind. The
provider's own tokens never open /mcp."""

from __future__ import annotations

import html.parser
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import httpx2
import pytest

from conftest import EXPECTED_TOOLS, Server, all_tools, cli
from fake_oidc import OMIT, FakeOIDC, pkce_challenge
from oauth_support import (
    PASSWORD, PKCE, SCOPES, LocalSite, OAuthEnv, User, assert_unauthorized, authorize_params, authorize_url,
    by_testid, chromium, console_errors, full_grant, initialize, is_consent_page, is_login_page, make_env,
    parse_page, redirect_query, register_ok, resource, screenshot, sdk_client, token_ok, wait_for_testid,
)

pytestmark = pytest.mark.anyio

ALLOWED_DOMAINS = "example.org,Second.Example"
IDP_NAME = "Test IdP"
CALLBACK = "http://127.0.0.1:9/callback"  # httpx flows read the Location instead of following it


@dataclass
class OIDCEnv:
    env: OAuthEnv
    provider: FakeOIDC
    site: LocalSite | None
    server: Server

    def users(self) -> dict[str, list[str]]:
        """`users list` by email: [id, email, role, active|disabled, display name]."""
        rows = {}
        for line in cli(self.env.data_dir, "users", "list").splitlines():
            fields = line.split("\t")
            if len(fields) >= 4 and "@" in fields[1]:
                rows[fields[1]] = fields
        return rows

    def grants(self) -> list[dict]:
        response = httpx2.get(self.server.base + "/api/oauth/grants",
                              headers={"Authorization": f"Bearer {self.env.tokens['admin']}"}, timeout=30)
        assert response.status_code == 200, response.text
        body = response.json()
        return body.get("grants", []) if isinstance(body, dict) else body


@pytest.fixture(scope="module")
def oidc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OIDCEnv]:
    env = make_env(tmp_path_factory.mktemp("mcpa-oidc"))
    env.api_token("admin", "admin")
    provider = FakeOIDC()
    site = LocalSite()
    try:
        server = env.serve("oidc", "--demo", "--oidc-issuer", provider.issuer, "--oidc-client-id", provider.client_id,
                           "--oidc-client-secret", provider.client_secret, "--oidc-allowed-domains", ALLOWED_DOMAINS,
                           "--oidc-name", IDP_NAME)
        provider.redirect_uri = server.base + "/oauth/oidc/callback"
        yield OIDCEnv(env, provider, site, server)
    finally:
        env.stop()
        site.close()
        provider.close()


# ---------------------------------------------------------------------------------------------
# The front channel over plain HTTP


class _TestidAttributes(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if "data-testid" in a:
            self.found.setdefault(a["data-testid"], a)


def attributes_of_testid(text: str, testid: str) -> dict[str, str]:
    parser = _TestidAttributes()
    parser.feed(text)
    assert testid in parser.found, f"no data-testid={testid!r}:\n{text[:2000]}"
    return parser.found[testid]


def set_cookies(response: httpx2.Response) -> dict[str, str]:
    """name → the whole Set-Cookie header."""
    return {h.split("=", 1)[0].strip(): h for h in response.headers.get_list("set-cookie")}


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def with_query(url: str, **changes: str | None) -> str:
    parts = urlsplit(url)
    query = query_of(url)
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode({k: v for k, v in query.items() if v is not None})))


class Agent:
    """A browser over httpx that follows every hop by hand, carrying cookies (they are per host, so
    the provider sees the server's cookies too, as a browser on 127.0.0.1 would send them)."""

    def __init__(self, oidc: OIDCEnv) -> None:
        self.oidc = oidc
        self.http = httpx2.Client(follow_redirects=False, timeout=30)
        client = register_ok(oidc.server, [CALLBACK], client_name="OIDC e2e client")
        self.client_id = client["client_id"]
        self.pkce = PKCE.new()
        self.params = authorize_params(self.client_id, CALLBACK, self.pkce, oidc.server)
        self.authorize = authorize_url(oidc.server, self.params)
        self.start_response: httpx2.Response | None = None
        self.return_to: str | None = None  # the login-oidc link's return_to (the server's canonical form)
        self.code: str | None = None  # the provider's code

    def close(self) -> None:
        self.http.close()

    def to_provider(self) -> str:
        """authorize → login page → its login-oidc link → /oauth/oidc/start → the provider's
        /authorize → its redirect; returns the callback URL the provider sent the browser to."""
        server, provider = self.oidc.server, self.oidc.provider
        login = self.http.get(self.authorize)
        page = parse_page(login)
        assert login.status_code == 200 and is_login_page(page), f"expected the login page: {login.status_code}"
        link = attributes_of_testid(login.text, "login-oidc")
        assert page.one("login-oidc") == f"Sign in with {IDP_NAME}", page.one("login-oidc")
        href = urljoin(server.base + "/", link["href"])
        return_to = query_of(href).get("return_to", "")
        assert urlsplit(href).path == "/oauth/oidc/start" and set(query_of(href)) == {"return_to"}, href
        assert urlsplit(return_to).path == "/oauth/authorize" and not urlsplit(return_to).netloc, return_to
        assert query_of(return_to) == self.params, f"return_to is not this authorization request: {return_to}"
        self.return_to = return_to
        start = self.http.get(href)
        self.start_response = start
        assert start.status_code == 303, f"GET /oauth/oidc/start (issuer {provider.issuer}) → {start.status_code}: " \
                                         f"{parse_page(start).testids.get('oauth-error') or start.text[:1500]}"
        location = start.headers["location"]
        assert location.startswith(provider.base + "/authorize?"), f"/oauth/oidc/start redirected to {location}"
        assert "mcpa_oidc" in set_cookies(start), f"no mcpa_oidc cookie: {start.headers.get_list('set-cookie')}"
        answer = self.http.get(location)
        assert answer.status_code == 302, f"the fake provider refused /authorize: {answer.status_code} {answer.text}"
        callback = answer.headers["location"]
        assert callback.startswith(server.base + "/oauth/oidc/callback?"), callback
        self.code = query_of(callback)["code"]
        return callback

    def sign_in(self, **claims) -> httpx2.Response:
        """The whole upstream sign-in with these ID token overrides; returns the callback's response."""
        self.oidc.provider.next_login(**claims)
        return self.http.get(self.to_provider())

    def consent_and_token(self) -> dict:
        """After a successful callback: back to authorize → consent page → approve → code → token."""
        page = parse_page(self.http.get(self.authorize))
        assert page.status == 200 and is_consent_page(page), f"expected consent:\n{page.text[:2000]}"
        form = page.form("/oauth/consent")
        response = self.http.post(urljoin(self.oidc.server.base + "/", form.action), data={**form.fields, "decision": "approve"})
        query = redirect_query(response, CALLBACK)
        assert query.get("code") and query.get("state") == self.params["state"], query
        return token_ok(self.oidc.server, grant_type="authorization_code", code=query["code"], redirect_uri=CALLBACK,
                        client_id=self.client_id, code_verifier=self.pkce.verifier, resource=resource(self.oidc.server))


@pytest.fixture
def agent(oidc: OIDCEnv) -> Iterator[Agent]:
    a = Agent(oidc)
    yield a
    a.close()


def assert_signed_in(response: httpx2.Response, agent: Agent) -> None:
    assert response.status_code == 303, f"callback → {response.status_code}: {response.text[:2000]}"
    assert response.headers["location"] == agent.return_to, \
        f"the callback must return to the authorization request, not {response.headers['location']}"
    cookies = set_cookies(response)
    session = cookies.get("mcpa_session", "")
    assert session.split(";")[0] != "mcpa_session=" and "HttpOnly" in session and "SameSite=Lax" in session, cookies
    assert "Max-Age=0" in cookies.get("mcpa_oidc", ""), f"the mcpa_oidc cookie must be cleared: {cookies}"


# ---------------------------------------------------------------------------------------------
# (a) A new user in a real browser


async def test_new_user_signs_in_upstream_in_a_real_browser(oidc: OIDCEnv) -> None:
    server, provider, site = oidc.server, oidc.provider, oidc.site
    before = oidc.users()
    problems = len(provider.problems)
    email = f"newbie-{secrets.token_hex(3)}@example.org"
    sub = "sub-new-" + secrets.token_hex(4)
    provider.next_login(sub=sub, email=email, name="New Bie")
    client = register_ok(server, [site.callback], client_name="OIDC browser client")
    pkce = PKCE.new()
    params = authorize_params(client["client_id"], site.callback, pkce, server)
    callbacks = len(site.hits_for("/callback"))
    with chromium() as driver:
        driver.get(authorize_url(server, params))
        link = wait_for_testid(driver, "login-oidc")
        assert link.text.strip() == f"Sign in with {IDP_NAME}"
        screenshot(driver, "oidc-login")
        link.click()  # → /oauth/oidc/start → the provider → /oauth/oidc/callback → /oauth/authorize
        wait_for_testid(driver, "consent-approve")
        screenshot(driver, "oidc-consent")
        body = driver.find_element("tag name", "body").text
        assert email in body and "New Bie" in body, f"the consent page must name the signed-in user:\n{body}"
        assert "viewer" in body, body
        session = driver.get_cookie("mcpa_session")
        assert session is not None and session.get("httpOnly") is True and session.get("sameSite") == "Lax", driver.get_cookies()
        assert driver.get_cookie("mcpa_oidc") is None, "the in-flight login cookie must be cleared"
        by_testid(driver, "consent-approve").click()
        hit = site.wait_for_callback(callbacks)
        errors = console_errors(driver)
        assert not errors, f"browser console errors: {errors}"
    assert not provider.problems[problems:], f"the fake provider refused requests: {provider.problems[problems:]}"
    assert hit.query.get("state") == params["state"] and hit.query.get("code"), hit.query

    # What the server sent the provider.
    authorize = provider.requests_to("/authorize")[-1].query
    assert set(authorize) == {"response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                              "code_challenge", "code_challenge_method"}, authorize
    assert authorize["redirect_uri"] == server.base + "/oauth/oidc/callback"
    assert authorize["scope"] == "openid email profile" and authorize["code_challenge_method"] == "S256"
    exchange = provider.requests_to("/token")[-1]
    assert exchange.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert set(exchange.form) == {"grant_type", "code", "redirect_uri", "client_id", "code_verifier", "client_secret"}, exchange.form
    assert pkce_challenge(exchange.form["code_verifier"]) == authorize["code_challenge"]
    assert provider.requests_to("/jwks"), "the ID token was never checked against the JWKS"

    tokens = token_ok(server, grant_type="authorization_code", code=hit.query["code"], redirect_uri=site.callback,
                      client_id=client["client_id"], code_verifier=pkce.verifier, resource=resource(server))
    assert tokens["access_token"].startswith("mcpat_"), tokens
    assert set(tokens["scope"].split()) == set(SCOPES)

    after = oidc.users()
    assert len(after) == len(before) + 1, f"exactly one user must be created: {set(after) - set(before)}"
    row = after.get(email)
    assert row is not None, f"{email} not in `users list`: {list(after)}"
    assert row[2] == "viewer" and row[3] == "active", row
    grant = [g for g in oidc.grants() if g["client_id"] == client["client_id"]]
    assert len(grant) == 1 and grant[0]["user_id"] == row[0], grant

    async with sdk_client(server, tokens["access_token"]) as mcp:
        names = {tool.name for tool in await all_tools(mcp)}
        assert EXPECTED_TOOLS <= names, EXPECTED_TOOLS - names
        listed = await mcp.call_tool("list_datasets", {})
        assert not listed.is_error, listed.content[0].text
        refused = await mcp.call_tool("execute_sql", {"dataset_id": "demo", "sql": "SELECT 1"})
        assert refused.is_error, "a viewer must not run SQL"
        assert refused.structured_content["error"]["code"] == "ACCESS_DENIED", refused.structured_content

    # The provider's tokens prove nothing to /mcp (or to the REST API): only the server's own.
    upstream = provider.last_issued()
    assert upstream.claims["sub"] == sub
    for name, value in (("upstream access_token", upstream.access_token), ("upstream ID token", upstream.id_token)):
        assert_unauthorized(server, initialize(server, value), name)
        api = httpx2.get(server.base + "/api/datasets", headers={"Authorization": f"Bearer {value}"}, timeout=30)
        assert api.status_code == 401, f"{name} on /api/datasets → {api.status_code}: {api.text[:300]}"


# ---------------------------------------------------------------------------------------------
# (b) The same subject again is the same user


async def test_same_subject_maps_to_the_same_user(oidc: OIDCEnv) -> None:
    sub = "sub-again-" + secrets.token_hex(4)
    email = f"again-{secrets.token_hex(3)}@second.example"
    before = oidc.users()
    problems = len(oidc.provider.problems)
    first = Agent(oidc)
    try:
        assert_signed_in(first.sign_in(sub=sub, email=email), first)
        first.consent_and_token()
    finally:
        first.close()
    middle = oidc.users()
    assert len(middle) == len(before) + 1 and email in middle, "the first sign-in creates the user"
    user_id = middle[email][0]

    # Again with the same subject, in a fresh browser: no new user, even though the provider now
    # reports another (allowed) email — the link is (issuer, subject).
    second = Agent(oidc)
    try:
        response = second.sign_in(sub=sub, email=f"renamed-{secrets.token_hex(3)}@example.org")
        assert_signed_in(response, second)
        page = parse_page(second.http.get(second.authorize))
        assert is_consent_page(page) and email in page.text, "the consent page must show the linked user"
        tokens = second.consent_and_token()
        assert tokens["access_token"].startswith("mcpat_")
        grants = [g for g in oidc.grants() if g["client_id"] == second.client_id]
        assert len(grants) == 1 and grants[0]["user_id"] == user_id, grants
    finally:
        second.close()
    after = oidc.users()
    assert len(after) == len(middle) and after[email][0] == user_id, "a second sign-in must not create a user"
    assert not oidc.provider.problems[problems:], oidc.provider.problems[problems:]


async def test_start_redirect_and_cookie(oidc: OIDCEnv, agent: Agent) -> None:
    """The start hop in detail: a sealed, HttpOnly, Lax cookie and every parameter the contract names;
    a second start gets fresh state, nonce and challenge."""
    callback = agent.to_provider()
    start = agent.start_response
    assert start is not None
    cookie = set_cookies(start)["mcpa_oidc"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie, cookie
    value = cookie.split(";")[0].split("=", 1)[1]
    query = query_of(start.headers["location"])
    assert query["client_id"] == oidc.provider.client_id and query["response_type"] == "code", query
    for secret in ("state", "nonce", "code_challenge"):
        assert len(query[secret]) >= 22 and query[secret] not in value, f"{secret} must not be readable in the cookie"
    assert query_of(callback)["state"] == query["state"]
    again = Agent(oidc)
    try:
        again.to_provider()
        other = query_of(again.start_response.headers["location"])
        assert all(other[k] != query[k] for k in ("state", "nonce", "code_challenge")), "per-login secrets repeat"
    finally:
        again.close()


# ---------------------------------------------------------------------------------------------
# (c) Refusals


def assert_refused(oidc: OIDCEnv, agent: Agent, response: httpx2.Response, users_before: int, what: str) -> str:
    """A 401 error page, no session (no cookie, authorize shows the login page again), no new user;
    returns the page's message."""
    assert response.status_code == 401, f"{what}: expected the 401 error page, got {response.status_code} " \
                                        f"{response.headers.get('location', '')}:\n{response.text[:1500]}"
    message = parse_page(response).one("oauth-error")
    assert message.strip(), f"{what}: the error page must say why"
    session = set_cookies(response).get("mcpa_session", "")
    assert not session or session.split(";")[0] == "mcpa_session=", f"{what}: a session cookie was set: {session}"
    assert not agent.http.cookies.get("mcpa_session"), f"{what}: the agent holds a session"
    page = parse_page(agent.http.get(agent.authorize))
    assert is_login_page(page) and not is_consent_page(page), f"{what}: authorize must show the login page again"
    assert len(oidc.users()) == users_before, f"{what}: a user was created"
    return message


MAY_NOT = "may not sign in here"
DID_NOT_VERIFY = "did not verify"
# case → (ID token overrides, a word of the reason the error page must give)
REFUSED_CLAIMS = {
    "email domain not allowed": ({"email": "someone@elsewhere.test"}, MAY_NOT),
    "look-alike domain": ({"email": "someone@example.org.evil.test"}, MAY_NOT),
    "subdomain of an allowed domain": ({"email": "someone@mail.example.org"}, MAY_NOT),
    "email not verified": ({"email_verified": False}, MAY_NOT),
    "email_verified missing": ({"email_verified": OMIT}, MAY_NOT),
    "no email": ({"email": OMIT}, MAY_NOT),
    "signed with a foreign key": ({"foreign_key": True}, DID_NOT_VERIFY),
    "foreign key under an unknown kid": ({"foreign_key": True, "kid": "no-such-key"}, DID_NOT_VERIFY),
    "published key under an unknown kid": ({"kid": "no-such-key"}, DID_NOT_VERIFY),
    "ES256 header under the RSA kid": ({"alg": "ES256", "kid": "rsa-1"}, DID_NOT_VERIFY),
    "HS256 keyed with the RSA public key": ({"alg": "HS256"}, DID_NOT_VERIFY),
    "unsigned (alg none)": ({"alg": "none"}, DID_NOT_VERIFY),
    "wrong aud": ({"aud": "another-client"}, "another client"),
    "aud list without us": ({"aud": ["another-client", "a-third-client"]}, "another client"),
    "wrong iss": ({"iss": "http://127.0.0.1:9"}, "another issuer"),
    "expired": ({"exp": int(time.time()) - 3600}, DID_NOT_VERIFY),
    "wrong nonce": ({"nonce": "not-the-nonce-" + secrets.token_hex(8)}, "nonce"),
    "no nonce": ({"nonce": OMIT}, "nonce"),
}


@pytest.mark.parametrize("case", list(REFUSED_CLAIMS))
async def test_refused_id_tokens(oidc: OIDCEnv, agent: Agent, case: str) -> None:
    claims, reason = REFUSED_CLAIMS[case]
    before = len(oidc.users())
    problems = len(oidc.provider.problems)
    response = agent.sign_in(**{"email": f"refused-{secrets.token_hex(3)}@example.org", **claims})
    message = assert_refused(oidc, agent, response, before, case)
    assert reason in message, f"{case}: refused for another reason: {message}"
    assert oidc.provider.logins[agent.code].redeemed, f"{case}: the code should have been exchanged"
    assert len(oidc.provider.problems) == problems, oidc.provider.problems[problems:]


async def test_existing_user_of_another_domain_is_not_linked(oidc: OIDCEnv, agent: Agent) -> None:
    """Linking by email needs an allowed domain too: a local account outside them stays local."""
    email = f"outside-{secrets.token_hex(3)}@elsewhere.test"
    cli(oidc.env.data_dir, "users", "create", "--email", email, "--role", "analyst", input=PASSWORD + "\n")
    before = len(oidc.users())
    message = assert_refused(oidc, agent, agent.sign_in(email=email), before, "existing user, domain not allowed")
    assert MAY_NOT in message, message


async def test_disabled_linked_user_is_refused(oidc: OIDCEnv) -> None:
    sub, email = "sub-dis-" + secrets.token_hex(4), f"dis-{secrets.token_hex(3)}@example.org"
    first = Agent(oidc)
    try:
        assert_signed_in(first.sign_in(sub=sub, email=email), first)
    finally:
        first.close()
    cli(oidc.env.data_dir, "users", "disable", email)
    try:
        before = len(oidc.users())
        for claims in ({"sub": sub, "email": email}, {"sub": "sub-other-" + secrets.token_hex(4), "email": email}):
            agent = Agent(oidc)  # by the linked subject, then by email from another subject
            try:
                message = assert_refused(oidc, agent, agent.sign_in(**claims), before, f"disabled user {claims}")
                assert "disabled" in message, message
            finally:
                agent.close()
    finally:
        cli(oidc.env.data_dir, "users", "enable", email)


async def test_es256_id_token_is_accepted(oidc: OIDCEnv, agent: Agent) -> None:
    email = f"ec-{secrets.token_hex(3)}@example.org"
    before = len(oidc.users())
    assert_signed_in(agent.sign_in(alg="ES256", email=email), agent)
    assert oidc.provider.last_issued().id_token.count(".") == 2
    assert agent.consent_and_token()["access_token"].startswith("mcpat_")
    users = oidc.users()
    assert len(users) == before + 1 and users[email][2] == "viewer", users.get(email)


@pytest.mark.parametrize("case, faults, reason", [
    ("discovery names another issuer", {"discovery": {"issuer": "http://127.0.0.1:9"}}, "another issuer"),
    ("discovery without jwks_uri", {"discovery": {"jwks_uri": OMIT}}, "not usable"),
])
async def test_unusable_discovery_stops_at_start(oidc: OIDCEnv, agent: Agent, case: str, faults: dict, reason: str) -> None:
    login = agent.http.get(agent.authorize)
    href = urljoin(oidc.server.base + "/", attributes_of_testid(login.text, "login-oidc")["href"])
    authorizations = len(oidc.provider.requests_to("/authorize"))
    with oidc.provider.faulty(**faults):
        start = agent.http.get(href)
    assert start.status_code >= 400 and "location" not in start.headers, f"{case}: {start.status_code} {start.headers}"
    message = parse_page(start).one("oauth-error")
    assert reason in message, f"{case}: {message}"
    assert "mcpa_oidc" not in set_cookies(start), f"{case}: no login may start"
    assert len(oidc.provider.requests_to("/authorize")) == authorizations


@pytest.mark.parametrize("case, faults, reason", [
    ("provider refuses our client secret", {"client_secret": "rotated-" + secrets.token_hex(4)}, "refused to complete"),
    ("token response without id_token", {"token_body": {"access_token": "x", "token_type": "Bearer"}}, "refused to complete"),
    ("JWKS unavailable", {"jwks_status": 503}, "HTTP 503"),
])
async def test_provider_failures_at_the_callback(oidc: OIDCEnv, agent: Agent, case: str, faults: dict, reason: str) -> None:
    before = len(oidc.users())
    oidc.provider.next_login()
    callback = agent.to_provider()
    with oidc.provider.faulty(**faults):
        response = agent.http.get(callback)
    message = assert_refused(oidc, agent, response, before, case)
    assert reason in message, f"{case}: {message}"


async def test_callback_with_a_tampered_state(oidc: OIDCEnv, agent: Agent) -> None:
    before = len(oidc.users())
    oidc.provider.next_login()
    callback = agent.to_provider()
    response = agent.http.get(with_query(callback, state=query_of(callback)["state"][:-2] + "xy"))
    assert_refused(oidc, agent, response, before, "tampered state")
    assert not oidc.provider.logins[agent.code].redeemed, "the code must not be exchanged when the state is wrong"


async def test_callback_without_the_login_cookie(oidc: OIDCEnv, agent: Agent) -> None:
    before = len(oidc.users())
    oidc.provider.next_login()
    callback = agent.to_provider()
    agent.http.cookies.delete("mcpa_oidc")
    response = agent.http.get(callback)
    assert_refused(oidc, agent, response, before, "no mcpa_oidc cookie")
    assert not oidc.provider.logins[agent.code].redeemed, "the code must not be exchanged without the cookie"


async def test_callback_with_a_forged_cookie(oidc: OIDCEnv, agent: Agent) -> None:
    before = len(oidc.users())
    oidc.provider.next_login()
    callback = agent.to_provider()
    sealed = agent.http.cookies.get("mcpa_oidc")
    assert sealed and "." in sealed, sealed
    key_id, body = sealed.split(".", 1)
    flipped = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
    agent.http.cookies.delete("mcpa_oidc")
    agent.http.cookies.set("mcpa_oidc", f"{key_id}.{flipped}", domain="127.0.0.1")
    response = agent.http.get(callback)
    assert_refused(oidc, agent, response, before, "forged mcpa_oidc cookie")
    assert not oidc.provider.logins[agent.code].redeemed


async def test_provider_error_on_the_callback(oidc: OIDCEnv, agent: Agent) -> None:
    before = len(oidc.users())
    callback = agent.to_provider()
    response = agent.http.get(with_query(callback, code=None, error="access_denied"))
    assert_refused(oidc, agent, response, before, "provider error")


async def test_replayed_callback(oidc: OIDCEnv, agent: Agent) -> None:
    """A captured callback replayed with the captured login cookie: the code is spent, so the
    provider refuses the exchange and no second session starts."""
    callback = agent.to_provider()
    captured = agent.http.cookies.get("mcpa_oidc")
    assert_signed_in(agent.http.get(callback), agent)
    before = len(oidc.users())
    problems = len(oidc.provider.problems)
    other = httpx2.Client(follow_redirects=False, timeout=30, cookies={"mcpa_oidc": captured})
    try:
        replay = other.get(callback)
        assert replay.status_code == 401, f"replayed callback → {replay.status_code}: {replay.text[:500]}"
        assert parse_page(replay).one("oauth-error")
        assert "mcpa_session" not in set_cookies(replay) and not other.cookies.get("mcpa_session")
    finally:
        other.close()
    assert len(oidc.users()) == before
    assert oidc.provider.problems[problems:] == ["invalid_grant: unknown or reused code"], oidc.provider.problems[problems:]


# ---------------------------------------------------------------------------------------------
# (d) An existing local user is linked by email


async def test_existing_local_user_is_linked_by_email(oidc: OIDCEnv, agent: Agent) -> None:
    email = f"linked-{secrets.token_hex(3)}@example.org"
    created = cli(oidc.env.data_dir, "users", "create", "--email", email, "--role", "analyst", "--name", "Lin Ked",
                  input=PASSWORD + "\n").strip().splitlines()[-1].strip()
    before = oidc.users()
    problems = len(oidc.provider.problems)
    assert before[email][0] == created and before[email][2] == "analyst"

    assert_signed_in(agent.sign_in(sub="sub-linked-" + secrets.token_hex(4), email=email, name="Upstream Name"), agent)
    tokens = agent.consent_and_token()
    after = oidc.users()
    assert len(after) == len(before), "linking must not create a user"
    assert after[email][0] == created and after[email][2] == "analyst", f"the linked user keeps id and role: {after[email]}"
    assert not oidc.provider.problems[problems:], oidc.provider.problems[problems:]
    grants = [g for g in oidc.grants() if g["client_id"] == agent.client_id]
    assert len(grants) == 1 and grants[0]["user_id"] == created, grants
    async with sdk_client(oidc.server, tokens["access_token"]) as mcp:
        result = await mcp.call_tool("execute_sql", {"dataset_id": "demo", "sql": "SELECT count(*) AS n FROM respondents"})
        assert not result.is_error, result.content[0].text
        assert result.structured_content["rows"][0][0] > 0

    # The local password still works, and still reaches the same account.
    local = full_grant(oidc.server, User(email, "analyst", created))
    assert local.tokens["access_token"].startswith("mcpat_")


# ---------------------------------------------------------------------------------------------
# Issuers with a path or a trailing slash (Keycloak, Auth0), each on its own server


@pytest.mark.parametrize("suffix", [
    "/realms/e2e",
    "/",
])
async def test_issuer_forms(tmp_path_factory: pytest.TempPathFactory, suffix: str) -> None:
    env = make_env(tmp_path_factory.mktemp("mcpa-oidc-issuer"))
    provider = FakeOIDC(issuer_suffix=suffix)
    try:
        server = env.serve("oidc-issuer", "--oidc-issuer", provider.issuer, "--oidc-client-id", provider.client_id,
                           "--oidc-client-secret", provider.client_secret, "--oidc-allowed-domains", "example.org",
                           "--oidc-name", IDP_NAME)
        provider.redirect_uri = server.base + "/oauth/oidc/callback"
        agent = Agent(OIDCEnv(env, provider, None, server))
        try:
            response = agent.sign_in()
            assert response.status_code == 303, f"issuer {provider.issuer}: callback → {response.status_code}: " \
                                                f"{parse_page(response).testids.get('oauth-error')}"
            assert agent.consent_and_token()["access_token"].startswith("mcpat_")
        finally:
            agent.close()
    finally:
        env.stop()
        provider.close()
