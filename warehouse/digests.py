"""Weekly digests: which postings each week's digest showed per rejection, and which weeks were delivered."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Iterable, Sequence

import duckdb

from warehouse.db import fetch_dicts, registered, sql, to_utc, transaction, utcnow
from warehouse.errors import InvalidInput

SECTIONS = ("match", "door", "reopened")
_WEEK = re.compile(r"^\d{4}-W\d{2}$")


def shown_before(con: duckdb.DuckDBPyConnection, week: str) -> set[tuple[int, int]]:
    """The (rejection_id, posting_id) pairs already shown in the digest of any week other than `week`."""
    rows = con.execute(
        "select distinct rejection_id, posting_id from digest_items where week <> $week", {"week": _week(week)}
    ).fetchall()
    return {(int(r), int(p)) for r, p in rows}


def week_items(con: duckdb.DuckDBPyConnection, week: str) -> list[dict]:
    """The items recorded for `week`'s digest: week, rejection_id, posting_id, section, score, shown_at."""
    return fetch_dicts(
        con.execute(
            "select * from digest_items where week = $week order by rejection_id, section, score desc, posting_id",
            {"week": _week(week)},
        )
    )


def delivered_digest(con: duckdb.DuckDBPyConnection, week: str) -> dict | None:
    """The record of `week`'s delivered digest, or None when it was never delivered."""
    rows = fetch_dicts(con.execute("select * from digests where week = $week", {"week": _week(week)}))
    return rows[0] if rows else None


def record_digest(
    con: duckdb.DuckDBPyConnection,
    week: str,
    items: Sequence[tuple[int, int, str, float | None]],
    *,
    sent: bool,
    markdown_path: str | None = None,
    html_path: str | None = None,
    now: datetime | None = None,
) -> int:
    """Record `week`'s digest as delivered with its items (rejection_id, posting_id, section, score), atomically.

    Items already recorded for the week are kept as they were; returns how many items the week now holds.
    A week delivered before keeps its first delivery time; `sent` sets its sent time.
    """
    week = _week(week)
    at = to_utc(now) if now else utcnow()
    for item in items:
        if item[2] not in SECTIONS:
            raise InvalidInput(f"unknown digest section {item[2]!r}")
    import pandas as pd  # here, not at module level: commands that only read skip it
    frame = pd.DataFrame(
        {
            "rejection_id": pd.array([int(i[0]) for i in items], dtype="int32"),
            "posting_id": pd.array([int(i[1]) for i in items], dtype="int64"),
            "section": pd.array([str(i[2]) for i in items], dtype="object"),
            "score": pd.array([None if i[3] is None else float(i[3]) for i in items], dtype="Float64"),
        }
    )
    if frame.duplicated(["rejection_id", "posting_id"]).any():
        raise InvalidInput("a posting is listed twice for one rejection in one digest")
    params = {"week": week, "at": at}
    with transaction(con):
        with registered(con, "new_digest_items", frame):
            con.execute(
                """
                insert into digest_items (week, rejection_id, posting_id, section, score, shown_at)
                select $week, new_items.rejection_id, new_items.posting_id, new_items.section, new_items.score, $at
                from new_digest_items as new_items
                anti join (select * from digest_items where week = $week) as known
                    on known.rejection_id = new_items.rejection_id and known.posting_id = new_items.posting_id
                """,
                params,
            )
        count = int(
            con.execute("select count(*) from digest_items where week = $week", {"week": week}).fetchone()[0]
        )
        known = delivered_digest(con, week)
        if known is None:
            con.execute(
                """
                insert into digests (week, delivered_at, sent_at, count_items, markdown_path, html_path)
                values ($week, $at, $sent_at, $count, $md, $html)
                """,
                {**params, "sent_at": at if sent else None, "count": count, "md": markdown_path, "html": html_path},
            )
        else:
            con.execute(
                """
                update digests set
                    sent_at = coalesce($sent_at, sent_at),
                    count_items = $count,
                    markdown_path = coalesce($md, markdown_path),
                    html_path = coalesce($html, html_path)
                where week = $week
                """,
                {"week": week, "sent_at": at if sent else None, "count": count, "md": markdown_path,
                 "html": html_path},
            )
    return count


def company_openings(
    con: duckdb.DuckDBPyConnection, company_ids: Iterable[str], model: str, since: datetime
) -> list[dict]:
    """Open postings at these companies first seen on or after `since`, each with its cached `model` vector
    (a list of floats, or None when not embedded yet)."""
    ids = sorted({str(company_id) for company_id in company_ids if company_id})
    if not ids:
        return []
    return fetch_dicts(
        con.execute(sql("marts/company_openings"), {"company_ids": ids, "model": model, "since": to_utc(since)})
    )


def open_postings_at(con: duckdb.DuckDBPyConnection, company_ids: Iterable[str]) -> int:
    """How many open postings these companies have (to widen a search that will skip them)."""
    ids = sorted({str(company_id) for company_id in company_ids if company_id})
    if not ids:
        return 0
    query = "select count(*) from postings where closed_at is null and list_contains($ids, company_id)"
    return int(con.execute(query, {"ids": ids}).fetchone()[0])


def _week(week: str) -> str:
    if not isinstance(week, str) or not _WEEK.match(week):
        raise InvalidInput(f"a week is written YYYY-Www (e.g. 2026-W48), got {week!r}")
    return week
