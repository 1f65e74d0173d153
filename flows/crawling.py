"""Run one source's crawl as a subprocess (Scrapy's reactor cannot restart in one process)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flows.sources import Source

# A crawl that runs longer than this is killed and counted as failed; Scrapy's own timeouts end hung requests sooner.
CRAWL_TIMEOUT_SECONDS = 3600


@dataclass
class CrawlResult:
    """What one crawl produced: its feed, whether the whole board was read, and what went wrong."""

    source: Source
    feed: Path
    complete: bool
    items: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)  # failed pages by reason: {"timeout": 1, "http_503": 1}
    cleared: dict[str, int] = field(default_factory=dict)  # absurd values blanked in kept postings, by reason
    retries: int = 0
    started_at: datetime | None = None  # when the crawl began: the moment its listing describes

    @property
    def ok(self) -> bool:
        """True when the feed can be loaded (it exists), even if the crawl was partial."""
        return self.feed.is_file()


def crawl_command(source: Source, feed: Path, status: Path, *, user_agent: str,
                  http_cache: Path | None = None, scrapy_settings: dict | None = None) -> list[str]:
    """The command line that crawls ``source`` into ``feed``."""
    cmd = [sys.executable, "-m", "spiders.crawl", "--kind", source.kind, "--board", source.board,
           "--out", str(feed), "--status", str(status), "--user-agent", user_agent]
    if source.company:
        cmd += ["--company", source.company]
    if source.api_base:
        cmd += ["--api-base", source.api_base]
    for key in ("urls", "sitemap"):
        if key in source.options:
            cmd += ["-a", f"{key}={json.dumps(source.options[key])}"]
    if http_cache is not None:
        cmd += ["--http-cache", str(http_cache)]
    for key, value in (scrapy_settings or {}).items():
        cmd += ["--set", f"{key}={value}"]
    return cmd


def run_crawl(source: Source, run_dir: Path, *, user_agent: str, http_cache: Path | None = None,
              scrapy_settings: dict | None = None, log_dir: Path | None = None) -> CrawlResult:
    """Crawl one source in a child process and read its status file; never raises for a failing board."""
    run_dir.mkdir(parents=True, exist_ok=True)
    feed = run_dir / f"{source.key}.jsonl"
    status_file = run_dir / f"{source.key}.status.json"
    log_path = (log_dir or run_dir) / f"{source.key}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    cmd = crawl_command(source, feed, status_file, user_agent=user_agent, http_cache=http_cache,
                        scrapy_settings=scrapy_settings)
    try:
        with log_path.open("wb") as log:
            proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, timeout=CRAWL_TIMEOUT_SECONDS)
        returncode: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        returncode = None
    status = _read_status(status_file)
    errors = list(status.get("errors", []))
    failures = _counts(status.get("failures"))
    if returncode is None:
        errors.append(f"crawl killed after {CRAWL_TIMEOUT_SECONDS} s")
        failures["crawl_timeout"] = failures.get("crawl_timeout", 0) + 1
    elif not status:
        errors.append(f"crawler exited with code {returncode} without a status file; see {log_path}")
        failures["crawler_died"] = failures.get("crawler_died", 0) + 1
    return CrawlResult(
        source=source,
        feed=feed,
        complete=bool(status.get("complete")) and returncode == 0,
        items=int(status.get("items", 0) or 0),
        dropped=dict(status.get("dropped", {}) or {}),
        errors=errors,
        failures=failures,
        cleared=_counts(status.get("cleared")),
        retries=int(status.get("retries", 0) or 0),
        started_at=_parse_time(status.get("started_at")),
    )


def _read_status(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _counts(value) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    return {str(k): int(v) for k, v in value.items() if isinstance(v, (int, float))}


def _parse_time(value) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
