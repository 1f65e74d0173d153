"""When the web app last showed each rejection, and which of its current matches are new since then."""

from __future__ import annotations

from datetime import datetime

import duckdb

from warehouse.db import sql, to_utc, utcnow


def last_visits(con: duckdb.DuckDBPyConnection) -> dict[int, datetime]:
    """The time each shown rejection was last shown (naive UTC)."""
    return {int(r): at for r, at in con.execute("select rejection_id, visited_at from rejection_visits").fetchall()}


def record_visit(con: duckdb.DuckDBPyConnection, rejection_id: int, now: datetime | None = None) -> None:
    """Remember that a rejection's page was shown now."""
    con.execute("delete from rejection_visits where rejection_id = $r", {"r": int(rejection_id)})
    con.execute("insert into rejection_visits values ($r, $at)",
                {"r": int(rejection_id), "at": to_utc(now) if now else utcnow()})


def matched_before(con: duckdb.DuckDBPyConnection, rejection_id: int, before: datetime) -> set[int]:
    """Postings matched to a rejection by a match run that finished before `before`: those are not new."""
    rows = con.execute(sql("marts/matched_before"),
                       {"rejection_id": int(rejection_id), "before": to_utc(before)}).fetchall()
    return {int(row[0]) for row in rows}
