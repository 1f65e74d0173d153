"""The status file of one crawl: what the warehouse reads to decide whether a board was fully crawled."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any


def utc_now() -> str:
    """The current time as ISO 8601 UTC with a ``Z`` suffix."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def crawl_status(kind: str, board: str, stats: dict[str, Any], errors: list[str], pages_complete: bool,
                 started_at: str, finished_at: str) -> dict[str, Any]:
    """The status document for a finished crawl from its Scrapy stats and the spider's own accounting.

    ``complete`` needs every page parsed (``pages_complete``), a normal finish and no error of any kind.
    ``failures`` counts failed pages by reason (``failed/<reason>`` stats), ``cleared`` the absurd values blanked
    in otherwise good postings (``cleared/<reason>``), ``retries`` the requests Scrapy retried.
    """
    errors = list(errors)
    reason = stats.get("finish_reason")
    if reason != "finished":
        errors.append(f"crawl ended early: {reason or 'did not start'}")
    failed_feeds = sum(v for k, v in stats.items() if k.startswith("feedexport/failed_count/"))
    if failed_feeds:
        errors.append(f"the feed could not be written ({failed_feeds} failed)")
    logged = stats.get("log_count/ERROR", 0)
    if logged and not errors:
        errors.append(f"{logged} error(s) logged; see the crawl log")
    return {
        "kind": kind,
        "board": board,
        "complete": bool(pages_complete and not errors),
        "items": int(stats.get("item_scraped_count", 0)),
        "dropped": _by_reason(stats, "dropped/"),
        "failures": _by_reason(stats, "failed/"),
        "cleared": _by_reason(stats, "cleared/"),
        "retries": int(stats.get("retry/count", 0)),
        # A one-page board's body hash, and whether it equalled the last complete read's (nothing was parsed).
        "body_sha256": stats.get("board/body_sha256"),
        "unchanged": bool(stats.get("board/unchanged")),
        "errors": errors,
        "started_at": started_at,
        "finished_at": finished_at,
    }


def _by_reason(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {k.removeprefix(prefix): int(v) for k, v in sorted(stats.items()) if k.startswith(prefix)}


def write_json_atomic(path: Path, document: dict[str, Any]) -> None:
    """Write ``document`` as JSON to ``path`` through a temporary file and a rename, so readers never see half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
