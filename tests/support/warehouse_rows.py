"""Shared fixtures and feed builders for the warehouse tests (no tests here)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from warehouse import connect

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)
TABLES = (
    "feed_loads", "raw_postings", "postings", "companies", "rejections", "posting_vectors", "match_runs", "matches",
    "schema_migrations",
)  # fmt: skip


def night(n: int) -> datetime:
    """The crawl time of night `n` after T0."""
    return T0 + timedelta(days=n)


def posting(source_id: str, **fields) -> dict:
    """One feed record of the greenhouse board `acme`, with overridable fields."""
    record = {
        "source": "greenhouse",
        "board": "acme",
        "source_id": source_id,
        "url": f"https://boards.example/acme/jobs/{source_id}",
        "title": f"Data Engineer {source_id}",
        "company": "Acme",
        "locations": ["Berlin, Germany"],
        "is_remote": False,
        "department": "Data",
        "employment_type": "full-time",
        "salary_min": 60000,
        "salary_max": 80000,
        "salary_currency": "EUR",
        "salary_period": "year",
        "description": f"Build pipelines for team {source_id}.",
        "posted_at": "2026-02-20T09:00:00Z",
        "updated_at": "2026-02-21T09:00:00Z",
    }
    record.update(fields)
    return record


def write_feed(path: Path, records: list[dict]) -> Path:
    """Write records as a JSONL feed and return its path."""
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def snapshot(con) -> dict[str, list]:
    """Every row of every warehouse table, sorted, to compare states."""
    return {table: sorted(map(repr, con.execute(f"select * from {table}").fetchall())) for table in TABLES}


@pytest.fixture(params=["memory", "file"])
def con(request, tmp_path):
    """A fresh migrated warehouse, in memory and in a file."""
    target = ":memory:" if request.param == "memory" else tmp_path / "plenty.duckdb"
    connection = connect(target)
    yield connection
    connection.close()
