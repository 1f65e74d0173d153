"""How each source is doing: the sources file's own (last crawl, postings seen and open, failed runs, errors) and
the directory's boards beside them (the directory's count, plenty's last check of the board)."""

from __future__ import annotations

import json
from pathlib import Path

from sources.errors import SourcesError
from sources.sources_file import all_sources, read_file_options


def source_rows(con, path: Path) -> list[dict]:
    """One row per source of the sources file at `path` (origin ``own``): kind, board, company, last crawl,
    postings seen and open, errors; then, when the file has ``include_directory = true``, one per directory board
    (`directory_rows`). Raises `SourcesError` when the file is missing or invalid."""
    from warehouse.boards import board_counts
    from warehouse.runs import latest_source_status

    if not path.is_file():
        raise SourcesError(f"sources file {path} not found; pass --sources FILE or create it")
    configured = all_sources(path.read_text(encoding="utf-8"), path)
    status = latest_source_status(con)
    counts = board_counts(con)
    rows = []
    for source in configured:
        latest = status.get(source.key) or {}
        seen = counts.get((source.kind, source.board), {})
        errors = latest.get("last_errors")
        errors = json.loads(errors) if isinstance(errors, str) else (errors or [])
        last = latest.get("last_crawl_at")
        rows.append({
            "source": source.key, "kind": source.kind, "board": source.board, "company": source.company,
            "origin": "own", "enabled": bool(source.options.get("enabled", True)),
            "last_crawl_at": last.strftime("%Y-%m-%dT%H:%M:%SZ") if last else None,
            "last_crawl_complete": latest.get("last_crawl_complete"),
            "postings_seen": seen.get("seen", 0), "postings_open": seen.get("open", 0),
            "failed_runs": int(latest.get("count_failed_runs") or 0), "runs": int(latest.get("count_runs") or 0),
            "errors": list(errors),
        })
    if not read_file_options(path)["include_directory"]:
        return rows
    return rows + directory_rows(con, path, counts)


def directory_rows(con, path: Path, counts: dict) -> list[dict]:
    """One row per directory board the sources file does not list itself (with ``include_directory = true``:
    crawled by the nightly): kind, board, company, the directory's job count and date, plenty's last check."""
    from sources.ocean import ocean_boards

    rows = []
    for ocean in ocean_boards(con, path):
        board, check = ocean.board, ocean.check or {}
        seen = counts.get((board.kind, board.board), {})
        last = check.get("last_check_at")
        rows.append({
            "source": f"{board.kind}-{board.board}", "kind": board.kind, "board": board.board,
            "company": board.company, "origin": board.directory, "state": ocean.state,
            "directory_jobs": board.jobs, "directory_checked": board.checked.isoformat(),
            "last_check_at": last.strftime("%Y-%m-%dT%H:%M:%SZ") if last else None,
            "last_outcome": check.get("last_outcome"), "last_seen_jobs": check.get("last_seen_jobs"),
            "gone_at": check["gone_at"].strftime("%Y-%m-%dT%H:%M:%SZ") if check.get("gone_at") else None,
            "postings_seen": seen.get("seen", 0), "postings_open": seen.get("open", 0),
        })
    return rows
