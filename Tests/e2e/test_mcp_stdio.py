"""The official MCP Python SDK against `mcp-analytics stdio`."""

from __future__ import annotations

import sqlite3

import anyio
import httpx2
import mcp_types as types
import pytest
from mcp import Client, MCPError, StdioServerParameters

from conftest import BINARY, EXPECTED_TOOLS, Server, all_tools, server_environment

pytestmark = pytest.mark.anyio


def stdio_parameters(server: Server, *extra: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=BINARY,
        args=["stdio", "--store", f"sqlite:{server.data_dir / 'registry.sqlite'}", "--data-dir", str(server.data_dir), *extra],
        env=server_environment() | {"MCPA_LOG_LEVEL": "warning"},
    )


async def test_stdio_serves_the_same_tools(server: Server) -> None:
    async with Client(stdio_parameters(server)) as client:
        assert client.server_info is not None and client.server_info.name == "mcp-analytics"
        tools = await all_tools(client)
        assert {t.name for t in tools} >= EXPECTED_TOOLS
        listed = await client.call_tool("list_datasets", {})
        assert not listed.is_error
        assert "demo" in [d["id"] for d in listed.structured_content["datasets"]]
        described = await client.call_tool("describe_dataset", {"dataset_id": "demo", "level": 2, "tables": ["respondents"]})
        assert not described.is_error
        bad = await client.call_tool("describe_dataset", {"dataset_id": "nope"})
        assert bad.is_error and bad.structured_content["error"]["code"] == "DATASET_NOT_FOUND"
        with pytest.raises(MCPError) as raised:
            await client.call_tool("nope", {})
        assert raised.value.code == -32602


async def test_stdio_acts_as_a_token_holder(server: Server) -> None:
    async with Client(stdio_parameters(server, "--token", server.tokens["viewer"])) as client:
        refused = await client.call_tool("execute_sql", {"dataset_id": "demo", "sql": "select 1"})
        assert refused.is_error and refused.structured_content["error"]["code"] == "ACCESS_DENIED"


async def test_stdio_hears_registry_changes_from_another_process(server: Server, tmp_path) -> None:
    changed = anyio.Event()

    async def on_message(message) -> None:
        if isinstance(message, types.ToolListChangedNotification):
            changed.set()

    path = tmp_path / "stdio_extra.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("create table t(id integer primary key)")
    async with Client(stdio_parameters(server), message_handler=on_message) as client:
        await all_tools(client)
        admin = {"Authorization": f"Bearer {server.tokens['admin']}"}
        async with httpx2.AsyncClient(base_url=server.base, headers=admin) as rest:
            created = await rest.post("/api/datasets", json={"id": "stdio_extra", "name": "Stdio extra", "connection_url": f"sqlite:{path}"})
            assert created.status_code == 201, created.text
            for state in ("metadata_pending", "human_review", "approved", "active"):
                assert (await rest.post("/api/datasets/stdio_extra/transitions", json={"to": state})).status_code == 200
            with anyio.fail_after(15):
                await changed.wait()
            tools = await all_tools(client)
            assert "stdio_extra" in next(t for t in tools if t.name == "execute_sql").input_schema["properties"]["dataset_id"]["enum"]
            assert (await rest.post("/api/datasets/stdio_extra/transitions", json={"to": "inactive"})).status_code == 200
