"""The postings a user tracks through an application: each move to a stage is a step; the latest is its stage."""

from __future__ import annotations

from datetime import datetime

import duckdb

from warehouse.db import fetch_dicts, sql, to_utc, utcnow
from warehouse.errors import InvalidInput

STAGES = ("saved", "applied", "interviewing", "offer", "rejected")


def add_application_step(con: duckdb.DuckDBPyConnection, posting_id: int, stage: str, *,
                         rejection_id: int | None = None, now: datetime | None = None) -> None:
    """Record that a posting moved to `stage`. Raises `InvalidInput` for an unknown stage or posting."""
    if stage not in STAGES:
        raise InvalidInput(f"unknown stage {stage!r}; use one of {', '.join(STAGES)}")
    posting_id = int(posting_id)
    if con.execute("select 1 from postings where posting_id = $id", {"id": posting_id}).fetchall() == []:
        raise InvalidInput(f"no posting {posting_id}")
    con.execute(
        "insert into application_steps (posting_id, stage, rejection_id, moved_at) values ($id, $stage, $r, $at)",
        {"id": posting_id, "stage": stage, "r": rejection_id, "at": to_utc(now) if now else utcnow()},
    )


def application_stage(con: duckdb.DuckDBPyConnection, posting_id: int) -> dict | None:
    """The current stage (stage, rejection_id, moved_at) of one tracked posting, or None."""
    rows = fetch_dicts(con.execute("select * from application_stages where posting_id = $id", {"id": int(posting_id)}))
    return rows[0] if rows else None


def tracked_postings(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every tracked posting with its stage and the posting's details, most recently moved first."""
    return fetch_dicts(con.execute(sql("marts/tracked_postings")))


def posting_role(con: duckdb.DuckDBPyConnection, posting_id: int) -> dict | None:
    """A posting's title, company and description (what a rejection from it records), or None."""
    rows = fetch_dicts(con.execute(
        "select posting_id, title, company_name as company, description from postings where posting_id = $id",
        {"id": int(posting_id)},
    ))
    return rows[0] if rows else None


def rejection_from_posting(con: duckdb.DuckDBPyConnection, posting_id: int) -> int | None:
    """The rejection once recorded when this posting moved to "rejected", or None."""
    row = con.execute("select max(rejection_id) from application_steps where posting_id = $id",
                      {"id": int(posting_id)}).fetchall()
    return None if not row or row[0][0] is None else int(row[0][0])
