"""Turn the raw records of one load into postings: upsert, close, reopen, and rebuild companies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from warehouse.db import first_row, sql


@dataclass(frozen=True)
class LoadReport:
    """What one load did. new + updated + unchanged = distinct postings in the load; reopened is a subset of
    updated + unchanged; `stale` counts postings a newer crawl had already seen (left as they were)."""

    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    reopened: int = 0
    skipped: int = 0
    stale: int = 0
    load_id: int | None = None
    already_loaded: bool = False
    repeated: bool = False  # the same bytes as the board's last load, nothing changed since: only marked seen


def new_load(
    con: duckdb.DuckDBPyConnection,
    *,
    kind: str,
    source: str,
    board: str,
    complete: bool,
    crawled_at: datetime,
    loaded_at: datetime,
    feed_path: str | None = None,
    feed_hash: str | None = None,
) -> int:
    """Record a load in `feed_loads` and return its load_id (counts are filled by `finish_load`)."""
    row = first_row(con.execute(
        """
        insert into feed_loads (kind, source, board, feed_path, feed_hash, is_complete, crawled_at, loaded_at)
        values ($kind, $source, $board, $feed_path, $feed_hash, $complete, $crawled_at, $loaded_at)
        returning load_id
        """,
        {
            "kind": kind,
            "source": source,
            "board": board,
            "feed_path": feed_path,
            "feed_hash": feed_hash,
            "complete": complete,
            "crawled_at": crawled_at,
            "loaded_at": loaded_at,
        },
    ))
    return int(row[0])


def first_invalid_record(
    con: duckdb.DuckDBPyConnection, load_id: int, *, source: str, board: str, check_scope: bool
) -> list[tuple[int, str]]:
    """Return (record_no, reason) of every raw record of the load that cannot become a posting."""
    params = {"load_id": load_id, "source": source, "board": board, "check_scope": check_scope}
    return [(int(no), reason) for no, reason in con.execute(sql("raw/invalid_records"), params).fetchall()]


def apply_load(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    *,
    source: str,
    board: str,
    complete: bool,
    crawled_at: datetime,
    skipped: int = 0,
    companies: bool = True,
) -> LoadReport:
    """Merge the raw records of `load_id` into postings (call inside the load's transaction).

    When `complete`, open postings of (source, board) the load did not list are closed. `companies=False` leaves
    the `companies` table to the caller (`refresh_companies` once after many loads, not once per board).
    """
    params = {"load_id": load_id, "crawled_at": crawled_at}
    con.execute("drop table if exists load_batch")
    con.execute(sql("marts/load_batch"), params)
    fetched_query = "select count(*) from raw_postings where load_id = $load_id"
    fetched = first_row(con.execute(fetched_query, {"load_id": load_id}))[0]
    counts = dict(con.execute("select change, count(*) from load_batch group by change").fetchall())
    reopened = first_row(con.execute("select count(*) from load_batch where is_reopened"))[0]
    con.execute(sql("marts/postings_update_seen"), params)
    con.execute(sql("marts/postings_insert_new"), params)
    closed = 0
    if complete:
        closed = len(
            con.execute(
                sql("marts/postings_close_unlisted"), {"source": source, "board": board, "crawled_at": crawled_at}
            ).fetchall()
        )
    con.execute("drop table load_batch")
    if companies:
        refresh_companies(con)
    report = LoadReport(
        fetched=int(fetched),
        new=int(counts.get("new", 0)),
        updated=int(counts.get("updated", 0)),
        unchanged=int(counts.get("unchanged", 0)),
        closed=closed,
        reopened=int(reopened),
        skipped=skipped,
        stale=int(counts.get("stale", 0)),
        load_id=load_id,
    )
    con.execute(
        """
        update feed_loads
        set count_fetched = $fetched, count_new = $new, count_updated = $updated, count_unchanged = $unchanged,
            count_closed = $closed, count_reopened = $reopened, count_skipped = $skipped
        where load_id = $load_id
        """,
        {
            "fetched": report.fetched,
            "new": report.new,
            "updated": report.updated,
            "unchanged": report.unchanged + report.stale,
            "closed": report.closed,
            "reopened": report.reopened,
            "skipped": report.skipped,
            "load_id": load_id,
        },
    )
    return report


def refresh_companies(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild `companies` (one row per company) from postings."""
    con.execute("delete from companies")
    con.execute(sql("marts/companies_rebuild"))


def prune_raw(con: duckdb.DuckDBPyConnection, *, source: str, board: str, keep: int) -> None:
    """Keep the raw records of only the `keep` latest loads of (source, board); feed_loads keeps every load."""
    con.execute(
        """
        delete from raw_postings
        where load_id in (
            select load_id from feed_loads
            where source = $source and board = $board and kind = 'feed'
            qualify row_number() over (order by crawled_at desc, load_id desc) > $keep
        )
        """,
        {"source": source, "board": board, "keep": keep},
    )
