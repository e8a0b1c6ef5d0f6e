"""SQL through MCP: execute_sql, run_query_plan with progress and cancellation, recent queries."""

from __future__ import annotations

import time

import anyio
import mcp_types as types
import pytest

from conftest import Server, connect

pytestmark = pytest.mark.anyio

# Counts to two billion in SQLite: minutes of work unless it is stopped.
SLOW_SQL = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT count(*) AS n FROM c"


def plan(steps: int) -> dict:
    return {"queries": [
        {"id": f"q{i}", "dataset_id": "demo",
         "sql": f"SELECT gender, SUM(weight) AS w FROM respondents WHERE household_size > {i} GROUP BY gender"}
        for i in range(steps)
    ]}


async def test_execute_sql(server: Server) -> None:
    async with connect(server, role="analyst") as client:
        result = await client.call_tool("execute_sql", {
            "dataset_id": "demo",
            "sql": "SELECT gender, SUM(weight) AS weighted FROM respondents GROUP BY gender ORDER BY gender",
        })
        assert not result.is_error, result.content[0].text
        body = result.structured_content
        assert [c["name"] for c in body["columns"]] == ["gender", "weighted"]
        assert body["row_count"] == 2 and [row[0] for row in body["rows"]] == ["Female", "Male"]
        assert body["truncated"] is False and body["query_id"]
        assert "gender\tweighted" in result.content[0].text

        raw = await client.call_tool("execute_sql", {"dataset_id": "demo", "sql": "SELECT * FROM respondents"})
        assert not raw.is_error and raw.structured_content["row_count"] <= 5

        refused = await client.call_tool("execute_sql", {"dataset_id": "demo", "sql": "DELETE FROM respondents"})
        assert refused.is_error and refused.structured_content["error"]["code"] == "SQL_NOT_READ_ONLY"
        broken = await client.call_tool("execute_sql", {"dataset_id": "demo", "sql": "SELEC 1"})
        assert broken.is_error and broken.structured_content["error"]["code"] == "SQL_PARSE_ERROR"


async def test_plan_progress_arrives_without_a_get_stream(stateless_server: Server) -> None:
    """The stateless server has no GET stream at all: progress can only come on the request's own stream."""
    seen: list[tuple[float, float | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total))

    async with connect(stateless_server, role="analyst", mode="legacy") as client:
        result = await client.call_tool("run_query_plan", {"plan": plan(6)}, progress_callback=on_progress)
    assert not result.is_error, result.content[0].text
    assert result.structured_content["succeeded"] == 6
    assert [p for p, _ in seen] == [1, 2, 3, 4, 5, 6]
    assert all(total == 6 for _, total in seen)


async def test_plan_progress_on_a_stateful_session(server: Server) -> None:
    seen: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append(progress)

    async with connect(server, role="analyst") as client:
        steps = plan(3)["queries"] + [{"id": "bad", "dataset_id": "demo", "sql": "SELECT nope FROM nowhere"}]
        result = await client.call_tool("run_query_plan", {"plan": {"queries": steps}}, progress_callback=on_progress)
    assert not result.is_error
    assert result.structured_content["succeeded"] == 3 and result.structured_content["failed"] == 1
    assert sorted(seen) == [1, 2, 3, 4]


async def test_cancelling_a_plan_stops_the_work(server: Server) -> None:
    async with connect(server, role="analyst") as client:
        started = time.monotonic()
        with anyio.move_on_after(2):
            await client.call_tool("run_query_plan", {"plan": {"queries": [{"id": "slow", "dataset_id": "demo", "sql": SLOW_SQL}]}})
        assert time.monotonic() - started < 10
        # The engine logs the step as cancelled — long before the statement timeout would have ended it.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            recent = await client.call_tool("get_recent_queries", {"dataset_id": "demo", "limit": 20})
            entry = next((q for q in recent.structured_content["queries"] if "RECURSIVE" in (q["sql"] or "").upper()), None)
            if entry is not None:
                assert entry["status"] == "error"
                assert entry["error_code"] == "QUERY_CANCELLED"
                assert entry["duration_ms"] < 10_000
                return
            await anyio.sleep(0.5)
        pytest.fail("the cancelled query never reached the query log")


async def test_recent_queries_and_tool_calls_are_logged_with_the_client(server: Server) -> None:
    identity = types.Implementation(name="e2e-suite", version="4.5.6")
    async with connect(server, role="analyst", mode="legacy", client_info=identity) as client:
        await client.call_tool("execute_sql", {"dataset_id": "demo", "sql": "SELECT COUNT(*) FROM purchases"})
        await client.call_tool("list_datasets", {})
    import httpx2
    async with httpx2.AsyncClient(base_url=server.base, headers={"Authorization": f"Bearer {server.tokens['admin']}"}) as rest:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            entries = (await rest.get("/api/queries", params={"limit": 200})).json()["queries"]
            tools = {(e["tool"], e.get("client_name"), e.get("client_version")) for e in entries if e["principal_name"] == "e2e-analyst"}
            if {("execute_sql", "e2e-suite", "4.5.6"), ("list_datasets", "e2e-suite", "4.5.6")} <= tools:
                return
            await anyio.sleep(0.5)
    pytest.fail(f"tool calls missing from the query log: {tools}")


async def test_many_concurrent_sessions_query(server: Server) -> None:
    failures: list[str] = []

    async def session(index: int) -> None:
        try:
            async with connect(server, role="analyst", mode="legacy") as client:
                result = await client.call_tool("execute_sql", {
                    "dataset_id": "demo", "sql": f"SELECT region, SUM(weight) FROM respondents WHERE household_size >= {index % 5} GROUP BY region",
                })
                assert not result.is_error, result.content[0].text
        except Exception as error:
            failures.append(f"session {index}: {error!r}")

    async with anyio.create_task_group() as group:
        for index in range(24):
            group.start_soon(session, index)
    assert failures == []
