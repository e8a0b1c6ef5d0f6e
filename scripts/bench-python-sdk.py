"""SELECT 1 through the official Python MCP SDK, as ChatGPT-style clients see the server.

    .venv/bin/python scripts/bench-python-sdk.py URL TOKEN DATASET [CALLS]

Opens one session (initialize handshake) and calls execute_sql CALLS times (default 500) with a
fresh constant each time, so the result cache never answers; prints p50/p99 in milliseconds.
The client's own time is included: this is the latency a Python SDK user gets.
"""
import asyncio
import statistics
import sys
import time

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client


async def main(url: str, token: str, dataset: str, calls: int) -> None:
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(30)) as http:
        async with Client(streamable_http_client(url.rstrip("/") + "/mcp", http_client=http), mode="legacy") as client:
            for warm in range(20):
                await client.call_tool("execute_sql", {"dataset_id": dataset, "sql": f"SELECT 1 AS one WHERE {10**6 + warm} > 0"})
            samples = []
            for n in range(calls):
                sql = f"SELECT 1 AS one WHERE {2 * 10**6 + n} > 0"
                started = time.perf_counter()
                result = await client.call_tool("execute_sql", {"dataset_id": dataset, "sql": sql})
                samples.append((time.perf_counter() - started) * 1000)
                if result.is_error:
                    raise SystemExit(f"call {n} failed: {result.structured_content}")
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(0.99 * (len(samples) - 1) + 0.5))]
    print(f"python-sdk execute_sql SELECT 1: {calls} calls, p50 {statistics.median(samples):.2f} ms, p99 {p99:.2f} ms")


if __name__ == "__main__":
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 500))
