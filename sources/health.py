"""How each configured source is doing: its last crawl, postings seen and open, failed runs and errors."""

from __future__ import annotations

import json
from pathlib import Path

from sources.errors import SourcesError
from sources.sources_file import all_sources


def source_rows(con, path: Path) -> list[dict]:
    """One row per source of the sources file at `path`: kind, board, company, last crawl, postings seen and open,
    errors; raises `SourcesError` when the file is missing or invalid."""
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
            "enabled": bool(source.options.get("enabled", True)),
            "last_crawl_at": last.strftime("%Y-%m-%dT%H:%M:%SZ") if last else None,
            "last_crawl_complete": latest.get("last_crawl_complete"),
            "postings_seen": seen.get("seen", 0), "postings_open": seen.get("open", 0),
            "failed_runs": int(latest.get("count_failed_runs") or 0), "runs": int(latest.get("count_runs") or 0),
            "errors": list(errors),
        })
    return rows
