"""DNS-rebinding and cross-site request defences on every route, with and without --no-auth: a
loopback-bound server answers only to loopback Host names, and JSON routes refuse bodies a web page
could send without a CORS preflight (text/plain, form encodings) with 415."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import httpx2
import pytest

from conftest import Server, cli, free_port, start_server
from oauth_support import PKCE, authorize_params, register_ok

pytestmark = pytest.mark.anyio

BAD_HOSTS = ["rebind.attacker.example", "127.attacker.example", "127.0.0.1.attacker.example",
             "localhost.attacker.example", "rebind.attacker.example:{port}"]


class Pair:
    def __init__(self, open_server: Server, guarded: Server, admin: str) -> None:
        self.open, self.guarded, self.admin = open_server, guarded, admin


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    data_dir = tmp_path_factory.mktemp("mcpa-hardening")
    cli(data_dir, "migrate")
    admin = cli(data_dir, "tokens", "create", "--name", "hardening-admin", "--role", "admin").strip()
    open_server = start_server(data_dir, "no-auth", {}, "--no-auth")
    port = free_port()
    guarded = start_server(data_dir, "guarded", {"admin": admin}, "--public-url", f"http://127.0.0.1:{port}", port=port)
    try:
        yield Pair(open_server, guarded, admin)
    finally:
        open_server.stop()
        guarded.stop()


def port_of(server: Server) -> int:
    return int(server.base.rsplit(":", 1)[1])


ROUTES = [
    ("GET", "/health", None),
    ("GET", "/mcp/health", None),
    ("GET", "/api/datasets", None),
    ("GET", "/openapi.json", None),
    ("POST", "/api/tokens", {"name": "x", "role": "admin"}),
    ("POST", "/mcp", {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "x", "version": "1"}}}),
    ("GET", "/.well-known/oauth-protected-resource/mcp", None),
    ("GET", "/.well-known/oauth-authorization-server", None),
    ("GET", "/oauth/authorize", None),
    ("POST", "/oauth/register", {"redirect_uris": ["http://127.0.0.1:9/cb"]}),
    ("POST", "/oauth/token", None),
]


def send(server: Server, method: str, path: str, body, host: str, bearer: str | None = None) -> httpx2.Response:
    headers = {"Host": host, "Accept": "application/json, text/event-stream"}
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    if path == "/oauth/token":
        return httpx2.request(method, server.base + path, data={"grant_type": "refresh_token", "refresh_token": "x"},
                              headers=headers, timeout=30)
    return httpx2.request(method, server.base + path, json=body, headers=headers, timeout=30)


@pytest.mark.parametrize("which", ["open", "guarded"])
async def test_foreign_host_names_are_refused_on_every_route(pair: Pair, which: str) -> None:
    server = getattr(pair, which)
    port = port_of(server)
    bearer = pair.admin if which == "guarded" else None
    for method, path, body in ROUTES:
        for host in BAD_HOSTS:
            host = host.format(port=port)
            response = send(server, method, path, body, host, bearer)
            assert response.status_code == 403, f"{which}: {method} {path} with Host: {host} → {response.status_code}: {response.text[:300]}"
            assert "mcpa_" not in response.text, f"{which}: {method} {path} leaked a token to Host: {host}"
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        assert send(server, "GET", "/health", None, host).status_code == 200, f"{which}: Host {host} must pass"
    # The exact request from the brief must never create a token.
    assert_no_token_created(server, port)


def assert_no_token_created(server: Server, port: int) -> None:
    response = httpx2.post(server.base + "/api/tokens", content=b'{"name":"x","role":"admin"}',
                           headers={"Host": "rebind.attacker.example", "Content-Type": "text/plain"}, timeout=30)
    assert response.status_code != 201 and "mcpa_" not in response.text, f"rebinding POST /api/tokens → {response.status_code}: {response.text}"
    if shutil.which("curl"):
        done = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: rebind.attacker.example",
                               "-H", "Content-Type: text/plain", "-d", '{"name":"x","role":"admin"}',
                               f"http://127.0.0.1:{port}/api/tokens"], capture_output=True, text=True, timeout=30)
        assert done.stdout.strip() not in ("201", "200"), f"curl rebinding POST /api/tokens → {done.stdout}"


@pytest.mark.parametrize("which", ["open", "guarded"])
async def test_json_routes_refuse_simple_request_content_types(pair: Pair, which: str) -> None:
    server = getattr(pair, which)
    auth = {"Authorization": f"Bearer {pair.admin}"} if which == "guarded" else {}
    body = b'{"name": "hardening", "role": "viewer"}'
    for kind in ("text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None):
        headers = dict(auth)
        if kind:
            headers["Content-Type"] = kind
        response = httpx2.post(server.base + "/api/tokens", content=body, headers=headers, timeout=30)
        assert response.status_code == 415, f"{which}: POST /api/tokens as {kind} → {response.status_code}: {response.text}"
        assert response.json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE", response.text
    for path, payload in (("/api/datasets", b'{"name": "x", "connection_url": "sqlite:/tmp/x.db"}'),
                          ("/api/query", b'{"dataset_id": "demo", "sql": "SELECT 1"}')):
        response = httpx2.post(server.base + path, content=payload, headers={**auth, "Content-Type": "text/plain"}, timeout=30)
        assert response.status_code == 415, f"{which}: POST {path} as text/plain → {response.status_code}: {response.text}"
    for kind in ("application/json", "application/json; charset=utf-8"):
        response = httpx2.post(server.base + "/api/tokens", content=body, headers={**auth, "Content-Type": kind}, timeout=30)
        assert response.status_code == 201, f"{which}: POST /api/tokens as {kind} → {response.status_code}: {response.text}"


@pytest.mark.parametrize("which", ["open", "guarded"])
async def test_cross_site_origins(pair: Pair, which: str) -> None:
    server = getattr(pair, which)
    auth = {"Authorization": f"Bearer {pair.admin}"} if which == "guarded" else {}
    message = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "x", "version": "1"}}}
    headers = {**auth, "Accept": "application/json, text/event-stream"}
    evil = httpx2.post(server.url, json=message, headers={**headers, "Origin": "https://evil.example"}, timeout=30)
    assert evil.status_code == 403, f"{which}: /mcp from a foreign Origin → {evil.status_code}"
    same = httpx2.post(server.url, json=message, headers={**headers, "Origin": server.base}, timeout=30)
    assert same.status_code == 200, f"{which}: /mcp from its own origin → {same.status_code}: {same.text[:300]}"
    # The API grants no cross-origin access: a foreign page cannot preflight its way to JSON posts.
    preflight = httpx2.request("OPTIONS", server.base + "/api/tokens", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,authorization"}, timeout=30)
    allowed = preflight.headers.get("access-control-allow-origin")
    assert allowed not in ("*", "https://evil.example"), f"{which}: /api preflight allows {allowed}"


async def test_behind_a_proxy_the_public_host_passes_and_forwarded_headers_do_not_count(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """The README's proxy set-up: loopback bind, --public-url https://…, the proxy passes Host."""
    data_dir = tmp_path_factory.mktemp("mcpa-proxy")
    cli(data_dir, "migrate")
    server = start_server(data_dir, "proxied", {}, "--public-url", "https://analytics.e2e.example")
    try:
        public = {"Host": "analytics.e2e.example"}
        assert httpx2.get(server.base + "/health", headers=public, timeout=30).status_code == 200
        metadata = httpx2.get(server.base + "/.well-known/oauth-protected-resource/mcp", timeout=30,
                              headers={**public, "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http",
                                       "Forwarded": "host=evil.example;proto=http"})
        assert metadata.status_code == 200, metadata.text
        assert metadata.json()["resource"] == "https://analytics.e2e.example/mcp", metadata.json()
        assert metadata.json()["authorization_servers"] == ["https://analytics.e2e.example"]
        challenge = httpx2.post(server.url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                                headers={**public, "X-Forwarded-Host": "evil.example",
                                         "Accept": "application/json, text/event-stream"}, timeout=30)
        assert challenge.status_code == 401
        assert 'resource_metadata="https://analytics.e2e.example/.well-known/oauth-protected-resource/mcp"' in \
            challenge.headers.get("www-authenticate", ""), challenge.headers.get("www-authenticate")
        for host in ("evil.example", "analytics.e2e.example.evil.example"):
            response = httpx2.get(server.base + "/health", headers={"Host": host}, timeout=30)
            assert response.status_code == 403, f"Host {host} → {response.status_code}"
    finally:
        server.stop()


async def test_consent_and_login_pages_cannot_be_framed(pair: Pair) -> None:
    """Clickjacking (RFC 6819 §4.4.1.9): the login page must forbid framing."""
    server = pair.guarded
    client = register_ok(server, ["http://127.0.0.1:9/callback"])
    page = httpx2.get(server.base + "/oauth/authorize",
                      params=authorize_params(client["client_id"], "http://127.0.0.1:9/callback", PKCE.new(), server),
                      timeout=30)
    assert page.status_code == 200, page.text[:300]
    frame_options = page.headers.get("x-frame-options", "").upper()
    policy = page.headers.get("content-security-policy", "")
    assert frame_options in ("DENY", "SAMEORIGIN") or "frame-ancestors 'none'" in policy or "frame-ancestors 'self'" in policy, \
        f"login page can be framed: X-Frame-Options={frame_options!r} CSP={policy!r}"
    assert "no-store" in page.headers.get("cache-control", ""), "the login page (with its CSRF token) must not be cached"
