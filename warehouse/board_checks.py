"""The last check of each crawled board (table `board_checks`): outcome, jobs listed, 404s in a row, gone since,
body hash. The nightly records one check per crawled board; the directory's schedule reads them back."""

from __future__ import annotations

import duckdb

from warehouse.db import fetch_dicts, registered, to_utc, transaction

OUTCOMES = ("jobs", "empty", "unchanged", "not_found", "failed")
# A board answering 404 on this many checks in a row is marked gone (one 404 can be a vendor's hiccup).
GONE_AFTER_NOT_FOUND = 3


_SET_ON_CONFLICT = """
on conflict (kind, board_key) do update set
                board = excluded.board,
                company = coalesce(excluded.company, board_checks.company),
                last_check_at = excluded.last_check_at,
                last_outcome = excluded.last_outcome,
                last_seen_jobs = case when excluded.last_outcome in ('jobs', 'empty') then excluded.last_seen_jobs
                                      else board_checks.last_seen_jobs end,
                not_found_runs = case when excluded.last_outcome = 'not_found' then board_checks.not_found_runs + 1
                                      when excluded.last_outcome = 'failed' then board_checks.not_found_runs else 0 end,
                gone_at = case when excluded.last_outcome = 'not_found'
                                    then coalesce(board_checks.gone_at, case when board_checks.not_found_runs + 1 >= $gone_after
                                                                    then excluded.last_check_at end)
                               when excluded.last_outcome = 'failed' then board_checks.gone_at end,
                body_sha256 = case when excluded.last_outcome in ('jobs', 'empty', 'unchanged')
                                   then coalesce(excluded.body_sha256, board_checks.body_sha256)
                                   when excluded.last_outcome = 'failed' then null else board_checks.body_sha256 end
"""
_UPSERT_ONE = """
            insert into board_checks
            values ($kind, $board_key, $board, $company, $checked_at, $outcome, $jobs,
                    case when $outcome = 'not_found' then 1 else 0 end,
                    case when $outcome = 'not_found' and $gone_after <= 1 then $checked_at end,
                    case when $outcome in ('jobs', 'empty', 'unchanged') then $body_sha256 end)
""" + _SET_ON_CONFLICT
_UPSERT_MANY = """
            insert into board_checks
            select kind::varchar, board_key::varchar, board::varchar, company::varchar, checked_at::timestamp,
                   outcome::varchar, jobs::integer,
                   case when outcome = 'not_found' then 1 else 0 end,
                   case when outcome = 'not_found' and $gone_after <= 1 then checked_at::timestamp end,
                   case when outcome in ('jobs', 'empty', 'unchanged') then body_sha256::varchar end
            from new_checks
""" + _SET_ON_CONFLICT


def board_checks(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict]:
    """Every board's last check, by (kind, board token case-folded)."""
    rows = fetch_dicts(con.execute("select * from board_checks"))
    return {(row["kind"], row["board_key"]): row for row in rows}


def record_checks(con: duckdb.DuckDBPyConnection, checks: list[dict]) -> None:
    """Store one check per board: dicts of kind, board, company, checked_at, outcome (one of `OUTCOMES`), jobs
    (postings listed; ignored for unchanged / not_found / failed, which keep the last count) and body_sha256
    (kept when None). 404s in a row are counted and a board is marked gone at `GONE_AFTER_NOT_FOUND`; any
    answered check clears both."""
    if not checks:
        return
    for check in checks:
        if check["outcome"] not in OUTCOMES:
            raise ValueError(f"unknown board check outcome {check['outcome']!r}")
    rows = [{"kind": c["kind"], "board_key": c["board"].casefold(), "board": c["board"], "company": c.get("company"),
             "checked_at": to_utc(c["checked_at"]), "outcome": c["outcome"],
             "jobs": int(c["jobs"]) if c.get("jobs") is not None and c["outcome"] in ("jobs", "empty") else None,
             "body_sha256": c.get("body_sha256"), "gone_after": GONE_AFTER_NOT_FOUND} for c in checks]
    keys = [(row["kind"], row["board_key"]) for row in rows]
    with transaction(con):
        if len(set(keys)) < len(keys):  # a board checked twice: one upsert after the other, in order
            con.executemany(_UPSERT_ONE, rows)
        else:  # one statement for the whole batch (per row, an upsert costs more than the rest of a board's load)
            import pandas as pd  # here, not at module level: commands that only read skip it

            columns = [name for name in rows[0] if name != "gone_after"]
            frame = pd.DataFrame({name: pd.Series([row[name] for row in rows],
                                                  dtype="datetime64[us]" if name == "checked_at" else object)
                                  for name in columns})
            with registered(con, "new_checks", frame):
                con.execute(_UPSERT_MANY, {"gone_after": GONE_AFTER_NOT_FOUND})


def forget_body_hash(con: duckdb.DuckDBPyConnection, kind: str, board: str) -> None:
    """Drop a board's body hash (its next crawl parses and loads the whole board again)."""
    con.execute("update board_checks set body_sha256 = null where kind = $kind and board_key = $key",
                {"kind": kind, "key": board.casefold()})
