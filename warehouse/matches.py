"""Match runs and the top matching postings they store per rejection."""

from __future__ import annotations

import uuid
from contextlib import nullcontext
from typing import Sequence

import duckdb

from warehouse.db import fetch_dicts, first_row, registered, transaction, utcnow
from warehouse.errors import InvalidInput, UnknownMatchRun
from warehouse.postings import posting_details
from warehouse.rejections import get_rejection

__all__ = ["finish_match_run", "latest_matches", "posting_details", "record_matches", "start_match_run"]


def start_match_run(con: duckdb.DuckDBPyConnection, model: str, run_id: str | None = None) -> str:
    """Record the start of a matching run with `model` and return its id (generated unless given)."""
    started_at = utcnow()
    run_id = run_id or f"{started_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    con.execute(
        "insert into match_runs (run_id, model, started_at) values ($run_id, $model, $at)",
        {"run_id": run_id, "model": model, "at": started_at},
    )
    return run_id


def finish_match_run(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Mark a matching run finished: only finished runs are read by `latest_matches`."""
    done = con.execute(
        "update match_runs set finished_at = $at where run_id = $run_id returning run_id",
        {"at": utcnow(), "run_id": run_id},
    ).fetchall()
    if not done:
        raise UnknownMatchRun(run_id)


def record_matches(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    rejection_id: int,
    rows: Sequence[tuple[int, float, int]],
    *,
    atomic: bool = True,
) -> int:
    """Replace the matches of (run, rejection) by `rows` of (posting_id, score, rank) atomically; return the count.
    `atomic=False` when the caller holds a transaction already."""
    if first_row(con.execute("select 1 from match_runs where run_id = $run_id", {"run_id": run_id})) is None:
        raise UnknownMatchRun(run_id)
    get_rejection(con, rejection_id)
    import pandas as pd  # here, not at module level: commands that only read skip it
    frame = pd.DataFrame(
        {
            "posting_id": pd.array([int(row[0]) for row in rows], dtype="int64"),
            "score": pd.array([float(row[1]) for row in rows], dtype="float64"),
            "rank": pd.array([int(row[2]) for row in rows], dtype="int32"),
        }
    )
    if frame["posting_id"].duplicated().any():
        raise InvalidInput("a posting is matched twice in one run for one rejection")
    params = {"run_id": run_id, "rejection_id": int(rejection_id)}
    with (transaction(con) if atomic else nullcontext()):
        con.execute("delete from matches where run_id = $run_id and rejection_id = $rejection_id", params)
        with registered(con, "new_matches", frame):
            con.execute(
                """
                insert into matches (run_id, rejection_id, posting_id, score, rank)
                select $run_id, $rejection_id, posting_id, score, rank from new_matches
                """,
                params,
            )
    return len(frame)


def latest_matches(con: duckdb.DuckDBPyConnection, rejection_id: int, *, include_closed: bool = False) -> list[dict]:
    """Return the matches of the latest finished run that matched this rejection, best rank first, with the
    posting's details; closed postings are left out unless `include_closed`."""
    get_rejection(con, rejection_id)
    return fetch_dicts(
        con.execute(
            """
            with latest_run as (
                select match_runs.run_id
                from match_runs
                where match_runs.finished_at is not null
                    and exists (
                        select 1 from matches
                        where matches.run_id = match_runs.run_id and matches.rejection_id = $rejection_id
                    )
                order by match_runs.started_at desc, match_runs.run_id desc
                limit 1
            ),

            final as (
                select
                    matches.run_id,
                    matches.rejection_id,
                    matches.posting_id,
                    matches.score,
                    matches.rank,
                    postings.title,
                    postings.company_name as company,
                    postings.company_id,
                    array_to_string(postings.locations, '; ') as location,
                    postings.url,
                    postings.source,
                    postings.source_id,
                    postings.closed_at,
                from matches
                inner join latest_run on latest_run.run_id = matches.run_id
                inner join postings on postings.posting_id = matches.posting_id
                where matches.rejection_id = $rejection_id
                    and ($include_closed or postings.closed_at is null)
            )

            select * from final
            order by rank, posting_id
            """,
            {"rejection_id": int(rejection_id), "include_closed": include_closed},
        )
    )
