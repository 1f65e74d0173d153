"""Load one crawl feed (JSON lines of posting items) into the warehouse, all or nothing."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

import duckdb

from warehouse.db import first_row, registered, sql, to_utc, transaction, utcnow
from warehouse.errors import FeedError
from warehouse.loading import (
    LoadReport,
    apply_load,
    first_invalid_record,
    new_load,
    prune_raw,
    refresh_companies,
)

# Raw records are kept for this many loads per (source, board); feed_loads keeps every load's counts.
RAW_LOADS_KEPT = 3

_TEXT_FIELDS = (
    "source", "board", "source_id", "url", "title", "company", "department", "employment_type",
    "salary_currency", "salary_period", "description", "posted_at", "updated_at", "valid_through", "credit",
)  # fmt: skip
_NUMBER_FIELDS = ("salary_min", "salary_max")


def load_feed(
    con: duckdb.DuckDBPyConnection,
    feed_path: Path | str,
    *,
    source: str,
    board: str,
    complete: bool,
    crawled_at: datetime,
    skip_bad: bool = False,
    companies: bool = True,
) -> LoadReport:
    """Load the JSONL feed of one crawl of (source, board) in one transaction and report what changed.

    A feed already loaded (same file bytes, source, board and crawled_at) changes nothing. Only a
    `complete` crawl closes the open postings of (source, board) it no longer lists. A malformed line
    raises `FeedError` naming the file and line and leaves the warehouse as it was, unless `skip_bad`,
    which loads the good lines and counts the bad ones in `LoadReport.skipped`. `companies=False` leaves the
    `companies` table to the caller (`warehouse.loading.refresh_companies` once after many loads).
    """
    path = Path(feed_path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FeedError(str(path), None, f"cannot read the feed: {exc.strerror or exc}") from exc
    feed_hash = hashlib.sha256(data).hexdigest()
    crawled_at = to_utc(crawled_at)
    done = first_row(con.execute(
        """
        select load_id from feed_loads
        where kind = 'feed' and source = $source and board = $board and feed_hash = $hash and crawled_at = $at
        """,
        {"source": source, "board": board, "hash": feed_hash, "at": crawled_at},
    ))
    if done:
        return LoadReport(load_id=int(done[0]), already_loaded=True)
    if complete:
        repeated = _repeat_last_load(con, path, source=source, board=board, feed_hash=feed_hash, crawled_at=crawled_at,
                                     companies=companies)
        if repeated is not None:
            return repeated

    bad = bad_lines(data, source=source, board=board) if skip_bad else []
    read_path, cleanup = path, None
    if bad:
        read_path = cleanup = _write_good_lines(data, {line for line, _ in bad})
    try:
        with transaction(con):
            load_id = new_load(
                con, kind="feed", source=source, board=board, complete=complete, crawled_at=crawled_at,
                loaded_at=utcnow(), feed_path=str(path), feed_hash=feed_hash,
            )  # fmt: skip
            params = {"feed_path": str(read_path), "load_id": load_id, "source": source, "board": board}
            try:
                con.execute(sql("raw/raw_postings_from_feed"), params)
            except duckdb.Error as exc:
                raise _diagnose(path, data, source, board, str(exc)) from exc
            invalid = first_invalid_record(con, load_id, source=source, board=board, check_scope=True)
            if invalid and not skip_bad:
                record_no, reason = invalid[0]
                raise FeedError(str(path), _line_of_record(data, record_no), reason)
            if invalid:
                con.execute(
                    "delete from raw_postings where load_id = $load_id and list_contains($nos, record_no)",
                    {"load_id": load_id, "nos": [no for no, _ in invalid]},
                )
            report = apply_load(
                con, load_id, source=source, board=board, complete=complete, crawled_at=crawled_at,
                skipped=len(bad) + len(invalid), companies=companies,
            )  # fmt: skip
            prune_raw(con, source=source, board=board, keep=RAW_LOADS_KEPT)
    finally:
        if cleanup is not None:
            os.unlink(cleanup)
    return report


def repeat_last_load(con: duckdb.DuckDBPyConnection, path: Path | str, *, source: str, board: str,
                     crawled_at: datetime, companies: bool = True) -> LoadReport | None:
    """Load a board whose crawl found the same content as its last load without writing it out again (its
    response body was unchanged; `path` is the crawl's empty feed): that load's postings are seen again, as
    `load_feed` would do for the same bytes. None when the last load cannot be repeated (see
    ``marts/repeat_load_base.sql``): then nothing changed and the board must be read in full. `companies` as for
    `load_feed`."""
    last = first_row(con.execute(
        "select feed_hash from feed_loads where kind = 'feed' and source = $source and board = $board "
        "order by load_id desc limit 1", {"source": source, "board": board}))
    if last is None:
        return None
    return _repeat_last_load(con, Path(path), source=source, board=board, feed_hash=str(last[0]),
                             crawled_at=to_utc(crawled_at), companies=companies)


def _repeat_last_load(con: duckdb.DuckDBPyConnection, path: Path, *, source: str, board: str, feed_hash: str,
                      crawled_at: datetime, companies: bool = True) -> LoadReport | None:
    """Load a feed whose bytes the last load of its board already loaded, with nothing changed since, by marking
    that load's postings seen again and copying its raw records (the same outcome as a full load, for a few
    milliseconds instead of parsing and comparing every record); None when that does not apply."""
    params = {"source": source, "board": board, "feed_hash": feed_hash, "crawled_at": crawled_at}
    with transaction(con):
        base = first_row(con.execute(sql("marts/repeat_load_base"), params))
        if base is None:
            return None
        base_load_id, records, postings = (int(value) for value in base)
        load_id = new_load(
            con, kind="feed", source=source, board=board, complete=True, crawled_at=crawled_at,
            loaded_at=utcnow(), feed_path=str(path), feed_hash=feed_hash,
        )  # fmt: skip
        ids = {"load_id": load_id, "base_load_id": base_load_id}
        con.execute(sql("raw/raw_postings_repeat"), ids)
        con.execute(sql("marts/postings_seen_again"), {**ids, "crawled_at": crawled_at})
        if companies:
            refresh_companies(con)  # a company's last_seen_at moves with its postings'
        con.execute(
            "update feed_loads set count_fetched = $records, count_unchanged = $postings where load_id = $load_id",
            {"records": records, "postings": postings, "load_id": load_id},
        )
        prune_raw(con, source=source, board=board, keep=RAW_LOADS_KEPT)
    return LoadReport(fetched=records, unchanged=postings, load_id=load_id, repeated=True)


def repeat_last_loads(con: duckdb.DuckDBPyConnection, boards: list[tuple[Path | str, str, str, datetime]], *,
                      companies: bool = True) -> list[LoadReport | None]:
    """`repeat_last_load` for many boards (path, source, board, crawled_at) in one transaction and a few set-wide
    statements instead of a few per board: the warehouse ends as after repeating them one by one in this order
    (their loads numbered in it). One result per board, None where the last load cannot be repeated."""
    import pandas as pd  # here, not at module level: commands that only read skip it

    if not boards:
        return []
    wanted = pd.DataFrame({"position": range(len(boards)), "source": [b[1] for b in boards],
                           "board": [b[2] for b in boards],
                           "crawled_at": [to_utc(b[3]).replace(tzinfo=None) for b in boards]})
    results: list[LoadReport | None] = [None] * len(boards)
    with transaction(con):
        with registered(con, "repeat_wanted", wanted):
            bases = con.execute(sql("marts/repeat_load_bases")).fetchall()
        if not bases:
            return results
        mapping = []
        for position, base_load_id, records, postings, feed_hash in sorted(bases):
            path, source, board, crawled_at = boards[int(position)]
            load_id = new_load(
                con, kind="feed", source=source, board=board, complete=True, crawled_at=to_utc(crawled_at),
                loaded_at=utcnow(), feed_path=str(path), feed_hash=str(feed_hash),
            )  # fmt: skip
            mapping.append({"load_id": load_id, "base_load_id": int(base_load_id),
                            "crawled_at": to_utc(crawled_at).replace(tzinfo=None), "records": int(records),
                            "postings": int(postings), "source": source, "board": board})
            results[int(position)] = LoadReport(fetched=int(records), unchanged=int(postings), load_id=load_id,
                                                repeated=True)
        with registered(con, "repeat_map", pd.DataFrame(mapping)):
            for statement in sql("marts/repeat_loads_apply").split(";"):
                if statement.strip():
                    con.execute(statement, {"keep": RAW_LOADS_KEPT} if "$keep" in statement else {})
        if companies:
            refresh_companies(con)
    return results


def bad_lines(data: bytes, *, source: str, board: str) -> list[tuple[int, str]]:
    """Return (line number, reason) for every non-blank line of a feed that is not a valid posting record."""
    found = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        reason = _line_problem(raw, source, board)
        if reason:
            found.append((number, reason))
    return found


def _line_problem(raw: bytes, source: str, board: str) -> str | None:
    try:
        record = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        return f"not valid JSON ({exc})"
    if not isinstance(record, dict):
        return f"expected a JSON object, got {type(record).__name__}"
    for name in _TEXT_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, (str, int, float)):
            return f"{name} must be a string, got {type(value).__name__}"
    for name in _NUMBER_FIELDS:
        value = record.get(name)
        if value is not None and not _is_number(value):
            return f"{name} must be a number, got {value!r}"
    locations = record.get("locations")
    if locations is not None and not (isinstance(locations, list) and all(isinstance(x, str) for x in locations)):
        return "locations must be a list of strings"
    if record.get("is_remote") is not None and not isinstance(record.get("is_remote"), bool):
        return "is_remote must be true, false or null"
    for name in ("source_id", "title"):
        if not str(record.get(name) or "").strip():
            return f"missing {name}"
    if record.get("source") is not None and record["source"] != source:
        return f"source {record['source']} but the feed is loaded as {source}"
    if record.get("board") is not None and record["board"] != board:
        return f"board {record['board']} but the feed is loaded as {board}"
    return None


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def _diagnose(path: Path, data: bytes, source: str, board: str, duckdb_message: str) -> FeedError:
    bad = bad_lines(data, source=source, board=board)
    if bad:
        line, reason = bad[0]
        return FeedError(str(path), line, reason)
    return FeedError(str(path), None, duckdb_message.splitlines()[0])


def _line_of_record(data: bytes, record_no: int) -> int | None:
    seen = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.strip():
            seen += 1
            if seen == record_no:
                return number
    return None


def _write_good_lines(data: bytes, bad: set[int]) -> str:
    handle, name = tempfile.mkstemp(prefix="plenty-feed-", suffix=".jsonl")
    with os.fdopen(handle, "wb") as out:
        for number, raw in enumerate(data.split(b"\n"), start=1):
            if number not in bad and raw.strip():
                out.write(raw + b"\n")
    return name
