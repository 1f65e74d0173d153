"""Finished crawls into the warehouse: each board's feed loaded in its own transaction, its report row kept."""

from __future__ import annotations

import logging
import shutil
from datetime import datetime, timezone

from datahome.settings import Settings
from sources.crawl_processes import CrawlResult

log = logging.getLogger("plenty")


def load_crawls(settings: Settings, results: list[CrawlResult], crawled_at: datetime,
                run_id: str | None = None) -> list[dict]:
    """Load some crawls' feeds through one warehouse connection, each feed in its own transaction; store and
    return their report rows, in order. (Opening the warehouse and writing it back on close cost more than
    loading an unchanged feed.) What is kept about every board of the batch (its check, its run row, the
    companies table) is written once for the batch, after its feeds: per board, those writes cost more than an
    unchanged board's load. A batch cut short keeps its loaded feeds; their boards' checks are then those of the
    night before, so the next night reads them whole."""
    from warehouse.board_checks import forget_body_hash, record_checks
    from warehouse.db import connect, transaction
    from warehouse.loading import refresh_companies
    from warehouse.runs import record_source_runs

    if not results:
        return []
    with connect(settings.db_path) as con:
        loaded = []
        try:
            repeats = _repeat_unchanged(con, results, crawled_at)
            for result in results:
                loaded.append(_load_one(con, result, crawled_at, repeats))
        finally:  # a feed that cannot be loaded stops the batch; what was loaded before it is kept about
            record_checks(con, [board_check(result, row, at) for result, (row, at, _, _) in zip(results, loaded)])
            for result, (_, _, repeated, _) in zip(results, loaded):
                if result.unchanged and repeated is None:
                    forget_body_hash(con, result.source.kind, result.source.board)  # read it whole next night
            if run_id is not None:
                record_source_runs(con, run_id, [(row, at, finished) for row, at, _, finished in loaded])
            with transaction(con):
                refresh_companies(con)  # a company's open count and last_seen_at move with its postings'
    return [row for row, _, _, _ in loaded]


def _repeat_unchanged(con, results: list[CrawlResult], crawled_at: datetime) -> dict[str, object]:
    """Repeat the last loads of the boards read unchanged, all at once: their repeated loads (None where the last
    load cannot be repeated), by source key."""
    from warehouse.feeds import repeat_last_loads

    unchanged = [r for r in results if r.ok and r.unchanged and r.complete]
    repeated = repeat_last_loads(con, [(r.feed, r.source.kind, r.source.board, r.started_at or crawled_at)
                                       for r in unchanged], companies=False)
    return {r.source.key: done for r, done in zip(unchanged, repeated)}


def _load_one(con, result: CrawlResult, crawled_at: datetime, repeats: dict[str, object]):
    """Load one crawl's feed (an unchanged board's load is in `repeats` already): (its report row, when its crawl
    started, the repeated load of an unchanged board or None, when the load finished)."""
    from warehouse.postings import load_feed

    row = {"source": result.source.key, "kind": result.source.kind, "board": result.source.board,
           "complete": result.complete, "fetched": result.items, "new": 0, "updated": 0, "closed": 0,
           "dropped": dict(result.dropped), "errors": list(result.errors), "failures": dict(result.failures),
           "cleared": dict(result.cleared)}
    if not result.ok and not row["errors"]:
        row["errors"].append("no feed was written")
    at = result.started_at or crawled_at
    repeated = None
    if result.ok and result.unchanged and result.complete:
        repeated = repeats.get(result.source.key)
        row.update(fetched=repeated.fetched if repeated else 0, unchanged=True)
    elif result.ok:
        loaded = load_feed(con, result.feed, source=result.source.kind, board=result.source.board,
                           complete=result.complete, crawled_at=at, companies=False)
        row.update(new=loaded.new, updated=loaded.updated, closed=loaded.closed)
    log.info("loaded %s: %d fetched, %d new, %d updated, %d closed", row["source"], row["fetched"], row["new"],
             row["updated"], row["closed"])
    return row, at, repeated, datetime.now(timezone.utc)


def board_check(result: CrawlResult, row: dict, checked_at: datetime) -> dict:
    """What one crawl tells about its board (for `warehouse.board_checks.record_checks`): unchanged, jobs,
    empty, not_found (the board's page answered 404 and nothing was read) or failed."""
    if result.unchanged and result.complete:
        outcome = "unchanged"
    elif result.failures.get("http_404") and not result.items:
        outcome = "not_found"
    elif result.complete and not row["errors"]:
        outcome = "jobs" if result.items else "empty"
    else:
        outcome = "failed"
    return {"kind": result.source.kind, "board": result.source.board, "company": result.source.company,
            "checked_at": checked_at, "outcome": outcome, "jobs": result.items, "body_sha256": result.body_sha256}


def remove_feeds_older_than(settings: Settings, keep_runs: int = 14) -> int:
    """Delete all but the newest ``keep_runs`` feed folders; returns how many were removed."""
    runs = sorted(p for p in settings.feeds_dir.iterdir() if p.is_dir()) if settings.feeds_dir.exists() else []
    for old in runs[:-keep_runs]:
        shutil.rmtree(old, ignore_errors=True)
    return max(0, len(runs) - keep_runs)
