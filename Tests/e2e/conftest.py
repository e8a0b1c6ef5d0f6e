"""Fixtures that start the real `mcp-analytics` binary on free loopback ports with a temporary data
directory, and connect the official MCP Python SDK to it."""

from __future__ import annotations

import contextlib
import os
import pathlib
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("MCPA_BINARY", str(ROOT / ".build" / "debug" / "mcp-analytics"))
# Every tool the server must offer.
EXPECTED_TOOLS = {
    "list_datasets", "search_datasets", "describe_dataset", "execute_sql", "run_query_plan", "weighted_breakdown",
    "get_recent_queries", "list_available_tools", "search", "fetch",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(data_dir: pathlib.Path, *args: str, input: str | None = None) -> str:
    """Runs an `mcp-analytics` command on the test store and returns its stdout; `input` goes to its
    stdin (for example a password for `users create`)."""
    done = subprocess.run(
        [BINARY, *args, "--store", f"sqlite:{data_dir / 'registry.sqlite'}", "--data-dir", str(data_dir)],
        capture_output=True, text=True, timeout=120, env=server_environment(),
        input=input if input is not None else "",
    )
    if done.returncode != 0:
        raise RuntimeError(f"mcp-analytics {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def server_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCPA_")}
    env["MCPA_LOG_FORMAT"] = "text"
    return env


@dataclass
class Server:
    url: str
    base: str
    process: subprocess.Popen[bytes]
    log: pathlib.Path
    data_dir: pathlib.Path
    tokens: dict[str, str]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start_server(data_dir: pathlib.Path, name: str, tokens: dict[str, str], *args: str,
                 port: int | None = None) -> Server:
    """Starts `serve` on `port` (a free one unless given: a test that passes `--public-url` needs to
    know the port first) and waits until /health answers."""
    port = port or free_port()
    log = data_dir / f"{name}.log"
    process = subprocess.Popen(
        [BINARY, "serve", "--host", "127.0.0.1", "--port", str(port),
         "--store", f"sqlite:{data_dir / 'registry.sqlite'}", "--data-dir", str(data_dir), *args],
        stdout=log.open("wb"), stderr=subprocess.STDOUT, env=server_environment(),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text(errors='replace')}")
        with contextlib.suppress(httpx2.TransportError):
            if httpx2.get(base + "/health", timeout=2).status_code == 200:
                return Server(base + "/mcp", base, process, log, data_dir, tokens)
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server did not become healthy:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return tmp_path_factory.mktemp("mcpa-e2e")


@pytest.fixture(scope="session")
def tokens(data_dir: pathlib.Path) -> dict[str, str]:
    cli(data_dir, "migrate")
    return {role: cli(data_dir, "tokens", "create", "--name", f"e2e-{role}", "--role", role).strip()
            for role in ("admin", "analyst", "viewer")}


@pytest.fixture(scope="session")
def server(data_dir: pathlib.Path, tokens: dict[str, str]) -> Iterator[Server]:
    """The stateful server with the demo panel; tools/list pages of 4 so clients must paginate."""
    process = start_server(data_dir, "stateful", tokens, "--demo", "--mcp-tools-page-size", "4")
    yield process
    process.stop()


@pytest.fixture(scope="session")
def stateless_server(server: Server, tokens: dict[str, str]) -> Iterator[Server]:
    """A second process on the same store in stateless mode: no GET stream exists at all."""
    process = start_server(server.data_dir, "stateless", tokens, "--mcp-stateless")
    yield process
    process.stop()


@contextlib.asynccontextmanager
async def connect(server: Server, role: str = "admin", **options) -> AsyncIterator[Client]:
    """The official client over Streamable HTTP with a bearer token (mode 'auto' unless told)."""
    headers = {"Authorization": f"Bearer {server.tokens[role]}"}
    async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=120)) as http:
        async with Client(streamable_http_client(server.url, http_client=http), **options) as client:
            yield client


async def all_tools(client: Client) -> list:
    """Every tool, following next_cursor page by page."""
    tools, cursor, pages = [], None, 0
    while True:
        page = await client.list_tools(cursor=cursor, cache_mode="refresh")
        tools += page.tools
        pages += 1
        cursor = page.next_cursor
        if cursor is None or pages > 20:
            return tools
