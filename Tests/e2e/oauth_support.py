"""Shared pieces of the OAuth end-to-end tests: an OAuth-enabled server environment (store, users,
servers with a public URL), PKCE, HTML form parsing, the login and consent pages driven over plain
HTTP, a local HTTP site (redirect callback and client metadata documents), headless Chromium, and
raw MCP calls with a bearer token."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html.parser
import json
import os
import pathlib
import re
import secrets
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from conftest import ROOT, Server, cli, free_port, start_server

SCOPES = ["analytics:read", "analytics:query"]
DEFAULT_SCOPE = " ".join(SCOPES)
PASSWORD = "correct horse battery staple 42"
MCP_ACCEPT = "application/json, text/event-stream"
PROTOCOL = "2025-11-25"


# ---------------------------------------------------------------------------------------------
# Environment: one store, its users, servers with a public URL


@dataclass
class User:
    email: str
    role: str
    id: str
    password: str | None = PASSWORD


@dataclass
class OAuthEnv:
    data_dir: pathlib.Path
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # API tokens by name
    servers: list[Server] = field(default_factory=list)

    def add_user(self, key: str, role: str, *, password: str | None = PASSWORD, name: str | None = None) -> User:
        email = f"{key}@e2e.example.com"
        args = ["users", "create", "--email", email, "--role", role]
        if name:
            args += ["--name", name]
        if password is None:
            args.append("--no-password")
        out = cli(self.data_dir, *args, input=None if password is None else password + "\n").strip()
        assert out, f"`users create` printed no id for {email}"
        user_id = out.splitlines()[-1].strip()
        self.users[key] = User(email, role, user_id, password)
        return self.users[key]

    def api_token(self, name: str, role: str, user: str | None = None) -> str:
        args = ["tokens", "create", "--name", name, "--role", role]
        if user:
            args += ["--user", self.users[user].email]
        self.tokens[name] = cli(self.data_dir, *args).strip()
        return self.tokens[name]

    def serve(self, name: str, *args: str, public_host: str = "127.0.0.1") -> Server:
        """`serve` with `--public-url http://<public_host>:<port>` (the issuer) and any extra flags."""
        port = free_port()
        server = start_server(self.data_dir, name, self.tokens, "--public-url", f"http://{public_host}:{port}", *args,
                              port=port)
        self.servers.append(server)
        return server

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


def make_env(data_dir: pathlib.Path) -> OAuthEnv:
    cli(data_dir, "migrate")
    return OAuthEnv(data_dir)


def issuer(server: Server) -> str:
    return server.base


def resource(server: Server) -> str:
    return server.base + "/mcp"


def prm_url(server: Server) -> str:
    return server.base + "/.well-known/oauth-protected-resource/mcp"


# ---------------------------------------------------------------------------------------------
# Artifacts (screenshots, page sources)


def artifacts_dir() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("MCPA_TEST_ARTIFACTS", str(ROOT / ".build" / "test-artifacts")))
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_artifact(name: str, content: str | bytes) -> pathlib.Path:
    path = artifacts_dir() / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


# ---------------------------------------------------------------------------------------------
# PKCE, WWW-Authenticate


@dataclass
class PKCE:
    verifier: str
    challenge: str

    @classmethod
    def new(cls) -> "PKCE":
        verifier = secrets.token_urlsafe(64)[:96]
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        return cls(verifier, challenge)


def www_authenticate(response: httpx2.Response) -> dict[str, str]:
    """The parameters of a `Bearer …` challenge (quoted or bare values)."""
    header = response.headers.get("www-authenticate", "")
    assert header.lower().startswith("bearer"), f"no Bearer challenge: {header!r} ({response.status_code})"
    return {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in re.finditer(r'([A-Za-z_]+)\s*=\s*(?:"([^"]*)"|([^\s,]+))', header)}


# ---------------------------------------------------------------------------------------------
# HTML: forms and data-testid elements


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str]                      # inputs (hidden, text, password, …) and textareas
    buttons: list[dict[str, str]]               # every <button>/<input type=submit> with its attributes
    inputs: list[dict[str, str]] = field(default_factory=list)  # every <input> with its attributes


class _PageParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.testids: dict[str, list[str]] = {}
        self._open_testids: list[tuple[str, str, int]] = []  # (testid, tag, depth)
        self._texts: dict[int, list[str]] = {}
        self._depth = 0
        self._form: Form | None = None
        self._counter = 0

    VOID = {"input", "br", "img", "meta", "link", "hr", "area", "base", "col", "embed", "source", "track", "wbr"}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower(), {}, [])
            self.forms.append(self._form)
        elif self._form is not None and tag == "input":
            self._form.inputs.append(a)
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self._form.buttons.append(a)
            elif kind in ("checkbox", "radio") and "checked" not in a:
                pass
            elif "name" in a:
                self._form.fields[a["name"]] = a.get("value", "")
        elif self._form is not None and tag == "button":
            self._form.buttons.append(a)
        if "data-testid" in a:
            self._counter += 1
            self._open_testids.append((a["data-testid"], tag, self._counter))
            self._texts[self._counter] = [a.get("value", "")] if tag == "input" else []
            if tag in self.VOID:
                self._close_testid(tag)
        if tag not in self.VOID:
            self._depth += 1

    def _close_testid(self, tag: str) -> None:
        for i in range(len(self._open_testids) - 1, -1, -1):
            testid, open_tag, key = self._open_testids[i]
            if open_tag == tag:
                del self._open_testids[i]
                self.testids.setdefault(testid, []).append(" ".join("".join(self._texts.pop(key)).split()))
                return

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        if any(t == tag for _, t, _ in self._open_testids):
            self._close_testid(tag)
        if tag not in self.VOID:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        for _, _, key in self._open_testids:
            self._texts[key].append(data)


@dataclass
class Page:
    status: int
    url: str
    text: str
    forms: list[Form]
    testids: dict[str, list[str]]

    def form(self, action_suffix: str) -> Form:
        for form in self.forms:
            if urlsplit(form.action).path.endswith(action_suffix):
                return form
        raise AssertionError(f"no form posting to {action_suffix} on {self.url} ({self.status}):\n{self.text[:2000]}")

    def has(self, testid: str) -> bool:
        return testid in self.testids

    def one(self, testid: str) -> str:
        values = self.testids.get(testid)
        assert values, f"no data-testid={testid!r} on {self.url} ({self.status}):\n{self.text[:2000]}"
        return values[0]


def parse_page(response: httpx2.Response) -> Page:
    parser = _PageParser()
    parser.feed(response.text)
    parser.close()
    return Page(response.status_code, str(response.url), response.text, parser.forms, parser.testids)


def is_login_page(page: Page) -> bool:
    return any(urlsplit(f.action).path.endswith("/oauth/login") for f in page.forms)


def is_consent_page(page: Page) -> bool:
    return any(urlsplit(f.action).path.endswith("/oauth/consent") for f in page.forms)


# ---------------------------------------------------------------------------------------------
# Local HTTP site: redirect callback and client ID metadata documents


@dataclass
class Hit:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class LocalSite:
    """A tiny threaded HTTP server on 127.0.0.1: `/callback` records its query (an OAuth redirect
    target); any other path is answered from `routes` (path → (status, content type, body))."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.hits: list[Hit] = []
        self._cond = threading.Condition()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                with site._cond:
                    site.hits.append(Hit(parts.path, query, {k.lower(): v for k, v in self.headers.items()}))
                    site._cond.notify_all()
                if parts.path == "/callback":
                    status, kind, body = 200, "text/html; charset=utf-8", b"<!doctype html><title>done</title><p>You can close this window.</p>"
                elif parts.path == "/favicon.ico":
                    status, kind, body = 204, "image/x-icon", b""
                else:
                    status, kind, body = site.routes.get(parts.path, (404, "text/plain", b"not found"))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.callback = self.base + "/callback"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def serve_json(self, path: str, document: object) -> str:
        self.routes[path] = (200, "application/json", json.dumps(document).encode())
        return self.base + path

    def serve_raw(self, path: str, body: bytes, kind: str = "application/json") -> str:
        self.routes[path] = (200, kind, body)
        return self.base + path

    def hits_for(self, path: str) -> list[Hit]:
        with self._cond:
            return [h for h in self.hits if h.path == path]

    def wait_for_callback(self, after: int, timeout: float = 15) -> Hit:
        """The first `/callback` hit after the first `after` ones."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                callbacks = [h for h in self.hits if h.path == "/callback"]
                if len(callbacks) > after:
                    return callbacks[after]
                remaining = deadline - time.monotonic()
                assert remaining > 0, "the redirect never reached the callback server"
                self._cond.wait(remaining)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# ---------------------------------------------------------------------------------------------
# OAuth over plain HTTP (fast): registration, authorize + login + consent, token, revoke


def authorize_params(client_id: str, redirect_uri: str, pkce: PKCE | None, server: Server, *,
                     state: str | None = "", scope: str | None = DEFAULT_SCOPE, **extra: str) -> dict[str, str]:
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
              "resource": resource(server)}
    if state == "":
        state = secrets.token_urlsafe(16)
    if state is not None:
        params["state"] = state
    if pkce is not None:
        params["code_challenge"] = pkce.challenge
        params["code_challenge_method"] = "S256"
    if scope is not None:
        params["scope"] = scope
    params.update(extra)
    return {k: v for k, v in params.items() if v is not None}


def authorize_url(server: Server, params: dict[str, str]) -> str:
    return server.base + "/oauth/authorize?" + urlencode(params)


def register(server: Server, redirect_uris: list[str], **extra) -> httpx2.Response:
    body = {"redirect_uris": redirect_uris, "client_name": extra.pop("client_name", "e2e DCR client"), **extra}
    return httpx2.post(server.base + "/oauth/register", json=body, timeout=30)


def register_ok(server: Server, redirect_uris: list[str], **extra) -> dict:
    response = register(server, redirect_uris, **extra)
    assert response.status_code == 201, f"POST /oauth/register → {response.status_code}: {response.text}"
    return response.json()


def token(server: Server, **data: str) -> httpx2.Response:
    return httpx2.post(server.base + "/oauth/token", data=data, timeout=30)


def token_ok(server: Server, **data: str) -> dict:
    response = token(server, **data)
    assert response.status_code == 200, f"POST /oauth/token {data.get('grant_type')} → {response.status_code}: {response.text}"
    return response.json()


def oauth_error(response: httpx2.Response, status: int, error: str, what: str = "") -> dict:
    """Asserts an RFC 6749 JSON error (status, `error`, a string `error_description` if present)."""
    assert response.status_code == status, f"{what}: expected {status} {error}, got {response.status_code}: {response.text}"
    body = response.json()
    assert body.get("error") == error, f"{what}: expected error={error}, got {body}"
    assert isinstance(body.get("error_description", ""), str)
    assert "access_token" not in body
    return body


def revoke(server: Server, token_value: str, client_id: str, hint: str | None = None) -> httpx2.Response:
    data = {"token": token_value, "client_id": client_id}
    if hint:
        data["token_type_hint"] = hint
    return httpx2.post(server.base + "/oauth/revoke", data=data, timeout=30)


class Browserless:
    """A user agent over httpx that follows the login and consent pages by parsing their forms (no
    JavaScript, no redirects followed automatically: every hop is checked)."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.http = httpx2.Client(base_url=server.base, follow_redirects=False, timeout=30)
        self.last_login_response: httpx2.Response | None = None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "Browserless":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str) -> httpx2.Response:
        return self.http.get(urljoin(self.server.base + "/", url))

    def open_authorize(self, params: dict[str, str]) -> httpx2.Response:
        return self.http.get("/oauth/authorize", params=params)

    def login(self, page: Page, email: str, password: str) -> httpx2.Response:
        form = page.form("/oauth/login")
        assert form.method == "post", f"login form method {form.method}"
        assert "csrf_token" in form.fields and form.fields["csrf_token"], f"login form has no csrf_token: {form.fields}"
        assert "return_to" in form.fields, f"login form has no return_to: {form.fields}"
        data = dict(form.fields)
        data["email"], data["password"] = email, password
        response = self.http.post(urljoin(page.url, form.action), data=data)
        self.last_login_response = response
        return response

    def consent(self, page: Page, decision: str = "approve", **override: str | None) -> httpx2.Response:
        form = page.form("/oauth/consent")
        assert form.method == "post"
        data = dict(form.fields)
        data["decision"] = decision
        for key, value in override.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        return self.http.post(urljoin(page.url, form.action), data=data)

    def follow_to_consent(self, params: dict[str, str], user: User) -> Page:
        """authorize → (login →) consent page; asserts each hop."""
        response = self.open_authorize(params)
        page = parse_page(response)
        if is_login_page(page):
            assert response.status_code == 200, f"login page status {response.status_code}"
            response = self.login(page, user.email, user.password or "")
            assert response.status_code == 303, f"POST /oauth/login → {response.status_code}: {response.text[:1500]}"
            location = response.headers["location"]
            assert urlsplit(location).path.endswith("/oauth/authorize"), f"login redirected to {location}"
            response = self.get(location)
            page = parse_page(response)
        assert response.status_code == 200 and is_consent_page(page), \
            f"expected the consent page, got {response.status_code}:\n{response.text[:2000]}"
        return page

    def authorize(self, params: dict[str, str], user: User, decision: str = "approve") -> dict[str, str]:
        """The whole front channel; returns the redirect's query (code, state, iss or error)."""
        page = self.follow_to_consent(params, user)
        response = self.consent(page, decision)
        return redirect_query(response, params["redirect_uri"])


def redirect_query(response: httpx2.Response, redirect_uri: str) -> dict[str, str]:
    assert response.status_code in (302, 303), f"expected a redirect to {redirect_uri}, got {response.status_code}:\n{response.text[:2000]}"
    location = response.headers["location"]
    target = urlsplit(location)
    expected = urlsplit(redirect_uri)
    assert (target.scheme, target.netloc, target.path) == (expected.scheme, expected.netloc, expected.path), \
        f"redirected to {location}, not {redirect_uri}"
    return {k: v[0] for k, v in parse_qs(target.query, keep_blank_values=True).items()}


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    pkce: PKCE
    code: str
    tokens: dict


def full_grant(server: Server, user: User, *, client: dict | None = None, redirect_uri: str | None = None,
               scope: str = DEFAULT_SCOPE) -> Grant:
    """DCR (unless a client is given) → authorize over httpx → token; returns the token response."""
    if client is None:
        client = register_ok(server, [redirect_uri or "http://127.0.0.1:9/callback"])
    redirect_uri = redirect_uri or client["redirect_uris"][0]
    pkce = PKCE.new()
    params = authorize_params(client["client_id"], redirect_uri, pkce, server, scope=scope)
    with Browserless(server) as agent:
        query = agent.authorize(params, user)
    assert "code" in query, f"no code in the redirect: {query}"
    assert query.get("state") == params["state"] and query.get("iss") == issuer(server), query
    tokens = token_ok(server, grant_type="authorization_code", code=query["code"], redirect_uri=redirect_uri,
                      client_id=client["client_id"], code_verifier=pkce.verifier, resource=resource(server))
    return Grant(client["client_id"], redirect_uri, pkce, query["code"], tokens)


# ---------------------------------------------------------------------------------------------
# MCP with a bearer token: raw JSON-RPC (to see statuses and headers) and the official SDK


def mcp_post(server: Server, bearer: str | None, message: dict, session: str | None = None,
             **headers: str) -> httpx2.Response:
    h = {"Content-Type": "application/json", "Accept": MCP_ACCEPT, "MCP-Protocol-Version": PROTOCOL}
    if bearer:
        h["Authorization"] = f"Bearer {bearer}"
    if session:
        h["Mcp-Session-Id"] = session
    h.update(headers)
    return httpx2.post(server.url, json=message, headers=h, timeout=60)


def initialize(server: Server, bearer: str | None) -> httpx2.Response:
    return mcp_post(server, bearer, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": PROTOCOL, "capabilities": {}, "clientInfo": {"name": "e2e-oauth", "version": "1"}}})


def mcp_session(server: Server, bearer: str) -> str:
    """initialize + notifications/initialized; returns the session id."""
    response = initialize(server, bearer)
    assert response.status_code == 200, f"initialize → {response.status_code}: {response.text}"
    session = response.headers.get("mcp-session-id")
    assert session, "initialize returned no Mcp-Session-Id"
    done = mcp_post(server, bearer, {"jsonrpc": "2.0", "method": "notifications/initialized"}, session)
    assert done.status_code in (200, 202), f"notifications/initialized → {done.status_code}: {done.text}"
    return session


def rpc_result(response: httpx2.Response) -> dict:
    """The JSON-RPC message of a plain JSON or single-event SSE response."""
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        for line in response.text.splitlines():
            if line.startswith("data:"):
                message = json.loads(line[5:].strip())
                if "id" in message:
                    return message
        raise AssertionError(f"no JSON-RPC response in the stream: {response.text[:1000]}")
    return response.json()


def wait_until(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.25) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"not within {timeout} s: {what}")


def mcp_status(server: Server, bearer: str) -> int:
    """The status a fresh `initialize` with this token gets (200 when the token is accepted)."""
    return initialize(server, bearer).status_code


def assert_unauthorized(server: Server, response: httpx2.Response, what: str) -> None:
    assert response.status_code == 401, f"{what}: expected 401, got {response.status_code}: {response.text[:500]}"
    params = www_authenticate(response)
    assert params.get("resource_metadata") == prm_url(server), f"{what}: WWW-Authenticate {params}"


@contextlib.asynccontextmanager
async def sdk_client(server: Server, bearer: str) -> AsyncIterator[Client]:
    """The official MCP client over Streamable HTTP with an OAuth access token (initialize handshake)."""
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {bearer}"},
                                  timeout=httpx2.Timeout(30, read=120)) as http:
        async with Client(streamable_http_client(server.url, http_client=http), mode="legacy") as client:
            yield client


# ---------------------------------------------------------------------------------------------
# Headless Chromium (Debian's chromium + chromium-driver)

CHROMIUM = os.environ.get("MCPA_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("MCPA_CHROMEDRIVER", "/usr/bin/chromedriver")


@contextlib.contextmanager
def chromium() -> Iterator["object"]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                     "--no-first-run", "--disable-extensions", "--disable-background-networking"):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver, expected_status_urls: tuple[str, ...] = ()) -> list[dict]:
    """SEVERE browser-console entries, less a missing favicon and the expected HTTP error status of
    a page we opened on purpose (Chromium logs a 400/401/403 document as a failed resource)."""
    errors = []
    for entry in driver.get_log("browser"):
        if entry.get("level") != "SEVERE":
            continue
        message = entry.get("message", "")
        if entry.get("source") == "network" and ("favicon.ico" in message
                                                or any(message.startswith(url) for url in expected_status_urls)):
            continue
        errors.append(entry)
    return errors


def by_testid(driver, testid: str):
    from selenium.webdriver.common.by import By
    return driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def all_by_testid(driver, testid: str) -> list:
    from selenium.webdriver.common.by import By
    return driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def wait_for_testid(driver, testid: str, timeout: float = 15):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        return WebDriverWait(driver, timeout).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, f'[data-testid="{testid}"]')))
    except Exception as error:  # noqa: BLE001 — report the page we are on instead of a bare timeout
        raise AssertionError(f"no data-testid={testid!r} at {driver.current_url}:\n{driver.page_source[:2000]}") from error


def screenshot(driver, name: str) -> pathlib.Path:
    path = artifacts_dir() / f"{name}.png"
    driver.save_screenshot(str(path))
    save_artifact(f"{name}.html", driver.page_source)
    return path
