"""The per-run source report: one row per nightly run and source."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb

from warehouse.db import fetch_dicts, sql, to_utc, transaction


def record_source_run(con: duckdb.DuckDBPyConnection, run_id: str, row: dict, started_at: datetime,
                      finished_at: datetime) -> None:
    """Store (or replace) what one source did in run `run_id`; `row` holds the report fields of the flow."""
    record_source_runs(con, run_id, [(row, started_at, finished_at)])


def record_source_runs(con: duckdb.DuckDBPyConnection, run_id: str,
                       done: list[tuple[dict, datetime, datetime]]) -> None:
    """Store (or replace) what some sources did in run `run_id`, in one transaction: (report row, started, finished)
    per source, as `record_source_run` takes them."""
    if not done:
        return
    values = []
    for row, started_at, finished_at in done:
        dropped = {str(k): int(v) for k, v in (row.get("dropped") or {}).items()}
        values.append({
            "run_id": run_id, "source_key": row["source"], "kind": row["kind"], "board": row.get("board") or "",
            "started_at": to_utc(started_at), "finished_at": to_utc(finished_at),
            "is_complete": bool(row["complete"]), "fetched": int(row.get("fetched") or 0),
            "new": int(row.get("new") or 0), "updated": int(row.get("updated") or 0),
            "closed": int(row.get("closed") or 0), "dropped": sum(dropped.values()), "reasons": json.dumps(dropped),
            "errors": json.dumps(row.get("errors") or []),
        })
    with transaction(con):
        con.executemany("delete from source_runs where run_id = $run_id and source_key = $source_key",
                        [{"run_id": v["run_id"], "source_key": v["source_key"]} for v in values])
        con.executemany(
            """
            insert into source_runs values (
                $run_id, $source_key, $kind, $board, $started_at, $finished_at, $is_complete, $fetched, $new,
                $updated, $closed, $dropped, $reasons, $errors
            )
            """,
            values,
        )


def run_report(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    """The rows of one run's source report, by source key."""
    result = con.execute("select * from source_runs where run_id = $run_id order by source_key", {"run_id": run_id})
    return fetch_dicts(result)


def latest_source_status(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Per source key: last crawl time and outcome, last complete crawl, runs and failed runs."""
    return {row["source_key"]: row for row in fetch_dicts(con.execute(sql("marts/source_latest")))}
