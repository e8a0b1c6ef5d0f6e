"""weighted_breakdown through the official client, every figure against this test's own arithmetic
over the raw rows of the demo panel's SQLite file (read with Python's sqlite3, not the server)."""

from __future__ import annotations

import datetime
import math
import sqlite3
from collections import defaultdict

import pytest

from conftest import Server, connect

pytestmark = pytest.mark.anyio

MIN_BASE, CAUTION_BASE = 30, 100


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def own_sports_reach(path: str) -> tuple[str, str, dict[str, dict[str, float]]]:
    """Weighted sums per region for Female 25-34 NCCS A (A1 merges into A), reach = any Sports
    session in the 90 days ending on the latest viewing day."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        latest = max(row[0][:10] for row in db.execute("SELECT start_time FROM tv_viewing"))
        first = (datetime.date.fromisoformat(latest) - datetime.timedelta(days=89)).isoformat()
        watchers = {
            rid for rid, genre, start in db.execute("SELECT respondent_id, genre, start_time FROM tv_viewing")
            if genre == "Sports" and first <= start[:10] <= latest
        }
        groups: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for rid, gender, age, nccs, region, weight in db.execute(
                "SELECT respondent_id, gender, age_band, nccs, region, weight FROM respondents"):
            if gender != "Female" or age != "25-34" or nccs not in ("A", "A1"):
                continue
            sums = groups[region]
            sums["n"] += 1
            sums["w"] += weight
            sums["w2"] += weight * weight
            if rid in watchers:
                sums["w_hit"] += weight
        return first, latest, groups
    finally:
        db.close()


def check_row(row: dict, sums: dict[str, float]) -> None:
    n = int(sums["n"])
    effective = sums["w"] ** 2 / sums["w2"]
    assert row["unweighted_n"] == n
    assert close(row["weighted_base"], sums["w"])
    assert close(row["effective_n"], effective)
    assert row["suppressed"] == (n < MIN_BASE)
    assert row["caution"] == (n < CAUTION_BASE)
    if n < MIN_BASE:
        assert row["value"] is None and "interval" not in row
        return
    share = sums["w_hit"] / sums["w"]
    margin = 1.96 * math.sqrt(share * (1 - share) / effective)
    assert close(row["value"], share)
    assert close(row["weighted_count"], sums["w_hit"])
    assert close(row["interval"]["margin"], margin)
    assert close(row["interval"]["low"], max(0.0, share - margin))
    assert close(row["interval"]["high"], min(1.0, share + margin))
    assert f"{share * 100:.1f}%" in row["narrative"], "the narrative states the row's own figure"


async def test_sports_reach_among_a_persona_by_region(server: Server) -> None:
    first, latest, groups = own_sports_reach(str(server.data_dir / "demo_panel.sqlite"))
    async with connect(server, role="analyst") as client:
        result = await client.call_tool("weighted_breakdown", {
            "dataset_id": "demo",
            "measure": {"type": "share", "reach": {"table": "tv_viewing", "filters": {"genre": ["Sports"]}, "last_days": 90}},
            "by": ["region"],
            "persona": "Female 25-34 NCCS A",
        })
    assert not result.is_error, result.content[0].text
    body = result.structured_content
    assert body["window"]["from"] == first and body["window"]["to"] == latest
    assert body["persona"]["filters"] == {"gender": ["Female"], "age_band": ["25-34"], "nccs": ["A"]}
    regions = [row["dimensions"]["region"] for row in body["rows"]]
    assert sorted(regions) == sorted(groups), "one row per region present in the segment, never two"
    for row in body["rows"]:
        check_row(row, groups[row["dimensions"]["region"]])
    total: dict[str, float] = defaultdict(float)
    for sums in groups.values():
        for key, value in sums.items():
            total[key] += value
    check_row(body["overall"], total)
    assert not body["overall"]["suppressed"], "the overall base is large enough to check a reported share"
    assert result.content[0].text.count("\n") + 1 == len(body["rows"]) + 1 + len(body["warnings"])


async def test_bad_breakdowns_are_tool_errors(server: Server) -> None:
    async with connect(server, role="analyst") as client:
        unknown = await client.call_tool("weighted_breakdown", {
            "dataset_id": "demo", "measure": {"type": "share", "condition": {"column": "gender", "value": "Female"}},
            "persona": "Martian 25-34",
        })
        assert unknown.is_error
        assert unknown.structured_content["error"]["code"] == "UNKNOWN_PERSONA"
        bad_measure = await client.call_tool("weighted_breakdown", {"dataset_id": "demo", "measure": {"type": "median"}})
        assert bad_measure.is_error
        assert bad_measure.structured_content["error"]["code"] == "INVALID_REQUEST"
        missing = await client.call_tool("weighted_breakdown", {"dataset_id": "nope", "measure": {"type": "share"}})
        assert missing.is_error
        assert missing.structured_content["error"]["code"] == "DATASET_NOT_FOUND"
