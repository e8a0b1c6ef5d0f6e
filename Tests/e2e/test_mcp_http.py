"""The official MCP Python SDK against `mcp-analytics serve` over Streamable HTTP."""

from __future__ import annotations

import json
import subprocess
import time

import anyio
import httpx2
import mcp_types as types
import pytest
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client

from conftest import BINARY, EXPECTED_TOOLS, Server, all_tools, cli, connect

pytestmark = pytest.mark.anyio


async def test_handshake_probes_discover_then_falls_back_to_initialize(server: Server) -> None:
    async with connect(server) as client:  # mode "auto": server/discover first, then initialize
        assert client.protocol_version == "2025-11-25"
        assert client.server_info is not None and client.server_info.name == "mcp-analytics"
        assert client.server_capabilities.tools is not None and client.server_capabilities.tools.list_changed
        assert "analytics://rules" in (client.instructions or "")
    async with connect(server, mode="legacy") as client:
        assert client.protocol_version == "2025-11-25"


async def test_tools_list_is_paginated_and_every_tool_is_complete(server: Server) -> None:
    async with connect(server) as client:
        first = await client.list_tools(cache_mode="refresh")
        assert len(first.tools) == 4 and first.next_cursor is not None
        tools = await all_tools(client)
    names = [tool.name for tool in tools]
    assert len(names) == len(set(names))
    assert set(names) >= EXPECTED_TOOLS
    for tool in tools:
        assert tool.title, tool.name
        assert tool.input_schema["type"] == "object", tool.name
        assert tool.output_schema and tool.output_schema["type"] == "object", tool.name
        assert tool.annotations.read_only_hint is True
        assert tool.annotations.destructive_hint is False
        assert tool.annotations.open_world_hint is False
    describe = next(t for t in tools if t.name == "describe_dataset")
    assert "demo" in describe.input_schema["properties"]["dataset_id"]["enum"]
    listing = json.dumps([t.model_dump(by_alias=True, exclude_none=True, mode="json") for t in tools])
    assert len(listing) <= 6000, f"tools/list is {len(listing)} characters"


async def test_registry_tools(server: Server) -> None:
    async with connect(server) as client:
        listed = await client.call_tool("list_datasets", {})
        assert not listed.is_error
        demo = next(d for d in listed.structured_content["datasets"] if d["id"] == "demo")
        assert demo["weighted"] is True
        assert listed.content[0].type == "text" and "demo" in listed.content[0].text

        found = await client.call_tool("search_datasets", {"query": "tv viewing minutes by genre"})
        assert found.structured_content["results"][0]["dataset_id"] == "demo"

        for level in (1, 2, 3):
            described = await client.call_tool("describe_dataset", {"dataset_id": "demo", "level": level, "tables": ["respondents"]})
            assert not described.is_error, described.content[0].text
            assert described.structured_content["level"] == level
            assert len(json.dumps(described.structured_content)) <= 24_000

        tools = await client.call_tool("list_available_tools", {})
        assert {t["name"] for t in tools.structured_content["tools"]} >= EXPECTED_TOOLS

        searched = await client.call_tool("search", {"query": "respondents"})
        assert json.loads(searched.content[0].text) == searched.structured_content
        assert all(set(r) == {"id", "title", "url"} for r in searched.structured_content["results"])
        first = searched.structured_content["results"][0]["id"]
        fetched = await client.call_tool("fetch", {"id": first})
        assert json.loads(fetched.content[0].text) == fetched.structured_content
        assert fetched.structured_content["id"] == first and fetched.structured_content["text"]

        resources = await client.list_resources()
        assert {"analytics://rules", "analytics://datasets/demo"} <= {str(r.uri) for r in resources.resources}
        rules = await client.read_resource("analytics://rules")
        assert "weight" in rules.contents[0].text
        prompt = await client.get_prompt("analyze_question", {"question": "Share of women watching sports?"})
        assert "Share of women watching sports?" in prompt.messages[0].content.text


async def test_unknown_tool_is_a_protocol_error_listing_valid_tools(server: Server) -> None:
    async with connect(server) as client:
        with pytest.raises(MCPError) as raised:
            await client.call_tool("drop_all_tables", {})
        assert raised.value.code == -32602
        assert "list_datasets" in str(raised.value) and "execute_sql" in str(raised.value)


@pytest.mark.parametrize(
    ("tool", "arguments", "code"),
    [
        ("describe_dataset", {"dataset_id": "no_such_dataset"}, "DATASET_NOT_FOUND"),
        ("describe_dataset", {"dataset_id": "demo", "level": 9}, "INVALID_REQUEST"),
        ("execute_sql", {"dataset_id": "demo"}, "INVALID_REQUEST"),
        ("search_datasets", {"query": 42}, "INVALID_REQUEST"),
        ("run_query_plan", {"plan": {"queries": "select 1"}}, "INVALID_REQUEST"),
        ("fetch", {"id": "nothing/here"}, "NOT_FOUND"),
    ],
)
async def test_bad_arguments_are_error_results(server: Server, tool: str, arguments: dict, code: str) -> None:
    async with connect(server) as client:
        result = await client.call_tool(tool, arguments)
    assert result.is_error
    assert result.structured_content["error"]["code"] == code
    assert result.structured_content["error"]["hint"]
    assert json.loads(result.content[0].text) == result.structured_content


async def test_auth_refusal(server: Server) -> None:
    async with httpx2.AsyncClient() as http:
        body = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "x", "version": "1"}}}
        headers = {"Accept": "application/json, text/event-stream"}
        refused = await http.post(server.url, json=body, headers=headers)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")
        wrong = await http.post(server.url, json=body, headers=headers | {"Authorization": "Bearer mcpa_wrong"})
        assert wrong.status_code == 401
        foreign = await http.post(server.url, json=body, headers=headers | {"Origin": "https://evil.example",
                                                                             "Authorization": f"Bearer {server.tokens['admin']}"})
        assert foreign.status_code == 403
    with pytest.raises(Exception):
        async with httpx2.AsyncClient(headers={"Authorization": "Bearer mcpa_wrong"}) as http:
            async with Client(streamable_http_client(server.url, http_client=http), mode="legacy") as client:
                await client.list_tools()


async def test_list_changed_reaches_connected_sessions_after_activation(server: Server, tmp_path) -> None:
    changed = anyio.Event()

    async def on_message(message) -> None:
        if isinstance(message, types.ToolListChangedNotification):
            changed.set()

    import sqlite3
    path = tmp_path / "extra.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("create table answers(id integer primary key, q1 text)")
        db.executemany("insert into answers values (?, ?)", [(i, "yes" if i % 3 else "no") for i in range(1, 40)])

    async with connect(server, message_handler=on_message) as client:
        before = await all_tools(client)
        enum = next(t for t in before if t.name == "execute_sql").input_schema["properties"]["dataset_id"]["enum"]
        assert "extra_survey" not in enum
        admin = {"Authorization": f"Bearer {server.tokens['admin']}"}
        async with httpx2.AsyncClient(base_url=server.base, headers=admin) as rest:
            created = await rest.post("/api/datasets", json={"id": "extra_survey", "name": "Extra survey",
                                                             "connection_url": f"sqlite:{path}"})
            assert created.status_code == 201, created.text
            for state in ("metadata_pending", "human_review", "approved", "active"):
                moved = await rest.post("/api/datasets/extra_survey/transitions", json={"to": state})
                assert moved.status_code == 200, moved.text
        with anyio.fail_after(15):
            await changed.wait()
        after = await all_tools(client)
        enum = next(t for t in after if t.name == "execute_sql").input_schema["properties"]["dataset_id"]["enum"]
        assert "extra_survey" in enum

        # Another process (the CLI) changes the registry: the session hears of it too.
        changed = anyio.Event()
        await anyio.to_thread.run_sync(lambda: cli(server.data_dir, "datasets", "deactivate", "extra_survey"))
        with anyio.fail_after(15):
            await changed.wait()
        final = await all_tools(client)
        enum = next(t for t in final if t.name == "execute_sql").input_schema["properties"]["dataset_id"]["enum"]
        assert "extra_survey" not in enum

    async with connect(server) as fresh:  # a new session sees the current enum without a restart
        tools = await all_tools(fresh)
        assert "extra_survey" not in next(t for t in tools if t.name == "describe_dataset").input_schema["properties"]["dataset_id"]["enum"]


async def test_many_concurrent_sessions(server: Server) -> None:
    failures: list[str] = []

    async def session(index: int) -> None:
        try:
            async with connect(server, role="analyst" if index % 2 else "admin", mode="legacy") as client:
                tools = await all_tools(client)
                assert set(t.name for t in tools) >= EXPECTED_TOOLS
                listed = await client.call_tool("list_datasets", {})
                assert not listed.is_error
                described = await client.call_tool("describe_dataset", {"dataset_id": "demo"})
                assert not described.is_error
        except Exception as error:  # collected so one failure does not hide the others
            failures.append(f"session {index}: {error!r}")

    async with anyio.create_task_group() as group:
        for index in range(24):
            group.start_soon(session, index)
    assert failures == []


async def test_sigterm_with_open_sessions_stops_promptly(server: Server) -> None:
    """Open GET streams must not hold up a graceful shutdown."""
    from conftest import start_server
    other = start_server(server.data_dir, "shutdown", server.tokens)
    try:
        async with connect(other, mode="legacy") as client:
            await client.list_tools()
            await anyio.sleep(0.5)  # the client opens its GET stream after initialized
            started = anyio.current_time()
            other.process.terminate()
            code = await anyio.to_thread.run_sync(lambda: other.process.wait(timeout=15))
            assert code == 0
            assert anyio.current_time() - started < 10
    finally:
        other.stop()


async def test_context_levels_use_the_stored_profile(server: Server) -> None:
    admin = {"Authorization": f"Bearer {server.tokens['admin']}"}
    async with httpx2.AsyncClient(base_url=server.base, headers=admin, timeout=300) as rest:
        # Profiling is a durable job: 202 with the job, then poll it to the end.
        queued = await rest.post("/api/datasets/demo/profile")
        assert queued.status_code == 202, queued.text
        job = queued.json()
        deadline = time.monotonic() + 180
        while job["state"] not in ("succeeded", "failed", "cancelled") and time.monotonic() < deadline:
            await anyio.sleep(0.5)
            job = (await rest.get(f"/api/jobs/{job['id']}")).json()
        assert job["state"] == "succeeded", job
    async with connect(server) as client:
        level1 = await client.call_tool("describe_dataset", {"dataset_id": "demo"})
        tables = {t["name"]: t for t in level1.structured_content["tables"]}
        assert {"respondents", "tv_viewing", "purchases"} <= set(tables)
        assert tables["respondents"]["rows"] > 0
        assert len(json.dumps(level1.structured_content)) <= 8_000
        level3 = await client.call_tool("describe_dataset", {"dataset_id": "demo", "level": 3, "tables": ["respondents"]})
        described = level3.structured_content["tables"]
        assert [t["name"] for t in described] == ["respondents"]
        assert 0 < len(described[0]["sample_rows"]) <= 5
        assert {c["name"] for c in described[0]["columns"]} >= {"gender", "weight", "nccs"}
        found = await client.call_tool("search", {"query": "genre of the channel"})
        assert "demo/tv_viewing" in [r["id"] for r in found.structured_content["results"]]
