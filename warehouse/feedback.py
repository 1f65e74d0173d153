"""What the user tells plenty: marks on postings (applied, dismissed, saved) and each rejection's cool-off."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

import duckdb

from warehouse.db import fetch_dicts, sql, to_utc, utcnow
from warehouse.errors import InvalidInput
from warehouse.rejections import get_rejection
from warehouse.text import storable

MARKS = ("applied", "dismissed", "saved")
# A posting with one of these current marks is never suggested again.
FINAL_MARKS = ("applied", "dismissed")


def mark_posting(
    con: duckdb.DuckDBPyConnection,
    posting_id: int,
    mark: str,
    note: str | None = None,
    now: datetime | None = None,
) -> dict:
    """Record `mark` on a posting and return its current mark; earlier marks stay as history.

    Raises `InvalidInput` for an unknown mark or a posting id the warehouse has never seen.
    """
    if mark not in MARKS:
        raise InvalidInput(f"unknown mark {mark!r}; use one of {', '.join(MARKS)}")
    posting_id = _as_posting_id(posting_id)
    if con.execute("select 1 from postings where posting_id = $id", {"id": posting_id}).fetchone() is None:
        raise InvalidInput(f"no posting {posting_id}; see 'plenty matches' for posting ids")
    note = storable(note or "").strip() or None
    con.execute(
        "insert into posting_marks (posting_id, mark, note, marked_at) values ($id, $mark, $note, $at)",
        {"id": posting_id, "mark": mark, "note": note, "at": to_utc(now) if now else utcnow()},
    )
    return current_marks(con, [posting_id])[posting_id]


def current_marks(con: duckdb.DuckDBPyConnection, posting_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """The current mark (mark, note, marked_at) of each marked posting, optionally only of `posting_ids`."""
    ids = None if posting_ids is None else [int(posting_id) for posting_id in posting_ids]
    rows = fetch_dicts(
        con.execute(
            "select * from current_marks where $ids is null or list_contains($ids, posting_id)",
            {"ids": ids},
        )
    )
    return {int(row["posting_id"]): row for row in rows}


def excluded_posting_ids(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Ids of the postings whose current mark is applied or dismissed: never suggested again."""
    rows = con.execute(
        "select posting_id from current_marks where list_contains($marks, mark) order by posting_id",
        {"marks": list(FINAL_MARKS)},
    ).fetchall()
    return [int(row[0]) for row in rows]


def saved_postings(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The postings currently marked saved that are still open, with their details, oldest mark first."""
    rows = con.execute(
        "select posting_id from current_marks where mark = 'saved' order by marked_at, posting_id"
    ).fetchall()
    ids = [int(row[0]) for row in rows]
    if not ids:
        return []
    details = fetch_dicts(con.execute(sql("marts/posting_details"), {"posting_ids": ids}))
    marks = current_marks(con, ids)
    return [{**row, "note": marks[row["posting_id"]]["note"]} for row in details if row["closed_at"] is None]


def set_cooloff_days(con: duckdb.DuckDBPyConnection, rejection_id: int, days: int | None) -> None:
    """Override the cool-off of one rejection (None: back to the configured default); days must be >= 0."""
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        raise InvalidInput(f"the cool-off must be a whole number of days >= 0, got {days!r}")
    get_rejection(con, rejection_id)
    con.execute(
        "update rejections set cooloff_days = $days where rejection_id = $id",
        {"days": days, "id": int(rejection_id)},
    )


def rejection_doors(con: duckdb.DuckDBPyConnection, include_archived: bool = False) -> list[dict]:
    """Per rejection: the company it records (company_id), its date, creation time and cool-off override."""
    where = "" if include_archived else "where archived_at is null"
    return fetch_dicts(
        con.execute(
            f"""
            select rejection_id, title, company_name as company, company_id, text, rejected_on, created_at,
                cooloff_days, archived_at
            from rejections {where}
            order by rejection_id
            """
        )
    )


def _as_posting_id(posting_id: object) -> int:
    try:
        return int(posting_id)
    except (TypeError, ValueError):
        raise InvalidInput(f"no posting {posting_id}; posting ids are whole numbers") from None
