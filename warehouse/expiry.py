"""Expiry by date: an open posting whose ``valid_through`` has passed is closed, whatever its board still shows.

(Postings a complete crawl no longer lists are closed when the feed loads; pages answering 404/410 are left out of
a JSON-LD feed, so they close the same way.)
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from warehouse.db import to_utc, transaction
from warehouse.loading import refresh_companies


def close_expired(con: duckdb.DuckDBPyConnection, now: datetime,
                  run_id: str | None = None) -> dict[tuple[str, str], int]:
    """Close every open posting whose ``valid_through`` lies before ``now``; returns counts per (source, board).

    ``closed_at`` is the moment validity ended (not before the posting was first seen). With ``run_id``, the
    closures are added to that run's per-source report rows in ``source_runs``.
    """
    now = to_utc(now)
    with transaction(con):
        closed = con.execute(
            """
            update postings
            set closed_at = greatest(valid_through, first_seen_at)
            where closed_at is null and valid_through is not null and valid_through < $now
            returning source, board
            """,
            {"now": now},
        ).fetchall()
        counts: dict[tuple[str, str], int] = {}
        for source, board in closed:
            counts[(source, board)] = counts.get((source, board), 0) + 1
        if run_id is not None:
            for (source, board), count in counts.items():
                con.execute(
                    """
                    update source_runs set count_closed = count_closed + $count
                    where run_id = $run_id and kind = $source and board = $board
                    """,
                    {"count": count, "run_id": run_id, "source": source, "board": board},
                )
        if closed:
            refresh_companies(con)  # their open counts changed
    return counts
