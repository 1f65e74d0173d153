"""Run sources' crawls as child processes (Scrapy's reactor cannot restart in one process): the boards of one
host one after another, different hosts at the same time, in a few processes (`pack_hosts`)."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

from flows.sources import Source

# A crawl running longer than this per board of its group is killed; boards without a status then count as
# failed. Scrapy's own timeouts end hung requests much sooner.
CRAWL_TIMEOUT_SECONDS = 3600
# How often `results_as_ready` looks for boards whose feed is in place while their crawl process still runs.
FEED_POLL_SECONDS = 0.1


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


def host_key(source: Source) -> str:
    """Which host a source's crawl talks to, as far as the flow can tell: its API origin when set, the first
    page's host for JSON-LD sites, else the kind (each kind's public API lives on its own host)."""
    if source.api_base:
        return urlsplit(source.api_base).netloc.lower() or source.api_base
    for key in ("urls", "sitemap"):
        value = source.options.get(key)
        first = value[0] if isinstance(value, list) and value else value
        if isinstance(first, str) and urlsplit(first).netloc:
            return urlsplit(first).netloc.lower()
    return source.kind


def group_by_host(sources: list[Source]) -> list[list[Source]]:
    """Sources sharing a host, in their configured order: each group is crawled one board at a time."""
    groups: dict[str, list[Source]] = {}
    for source in sources:
        groups.setdefault(host_key(source), []).append(source)
    return list(groups.values())


def pack_hosts(groups: list[list[Source]], processes: int) -> list[list[Source]]:
    """Share host groups among at most `processes` crawler processes, keeping each host's boards together and
    in order; the hosts of one process are crawled at the same time, so the processes get similar board counts."""
    packs: list[list[Source]] = [[] for _ in range(max(1, min(processes, len(groups))))]
    for group in sorted(groups, key=len, reverse=True):
        min(packs, key=len).extend(group)
    return [pack for pack in packs if pack]


def hosts_label(sources: list[Source]) -> str:
    """A short name for the hosts of some sources, for logs: ``"boards.example"`` or ``"boards.example +2"``."""
    hosts = list(dict.fromkeys(host_key(source) for source in sources))
    return hosts[0] if len(hosts) == 1 else f"{hosts[0]} +{len(hosts) - 1}"


def boards_label(results: list[CrawlResult]) -> str:
    """A short name for some crawls' boards, for logs: ``"greenhouse-acme"`` or ``"greenhouse-acme +2"``."""
    first = results[0].source.key if results else "no boards"
    return first if len(results) <= 1 else f"{first} +{len(results) - 1}"


def jobs_command(jobs_file: Path, *, user_agent: str, http_cache: Path | None = None,
                 scrapy_settings: dict | None = None) -> list[str]:
    """The command line that crawls the boards listed in ``jobs_file`` (one host's boards one after another)."""
    cmd = [sys.executable, "-m", "spiders.crawl", "--jobs", str(jobs_file), "--user-agent", user_agent]
    if http_cache is not None:
        cmd += ["--http-cache", str(http_cache)]
    for key, value in (scrapy_settings or {}).items():
        cmd += ["--set", f"{key}={value}"]
    return cmd


def crawl_job(source: Source, run_dir: Path) -> dict:
    """The spiders' job description of one source: what to crawl and where its feed and status go."""
    job = {"kind": source.kind, "board": source.board, "out": str(run_dir / f"{source.key}.jsonl"),
           "status": str(run_dir / f"{source.key}.status.json"), "chain": host_key(source)}
    if source.company:
        job["company"] = source.company
    if source.api_base:
        job["api_base"] = source.api_base
    args = {key: source.options[key] for key in ("urls", "sitemap") if key in source.options}
    if args:
        job["spider_args"] = args
    return job


def run_crawls(sources: list[Source], run_dir: Path, *, user_agent: str, http_cache: Path | None = None,
               scrapy_settings: dict | None = None, log_dir: Path | None = None) -> list[CrawlResult]:
    """Crawl the sources in one child process (Python and Scrapy start once for all of them): the boards of one
    host one after another, different hosts at the same time; one result per source, in order. Never raises for
    a failing board or a dying crawler."""
    if not sources:
        return []
    run_dir.mkdir(parents=True, exist_ok=True)
    name = sources[0].key if len(sources) == 1 else f"{sources[0].key}+{len(sources) - 1}"
    log_path = (log_dir or run_dir) / f"{name}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    jobs_file = run_dir / f"{name}.jobs.json"
    jobs_file.write_text(json.dumps([crawl_job(s, run_dir) for s in sources], indent=1), encoding="utf-8")
    cmd = jobs_command(jobs_file, user_agent=user_agent, http_cache=http_cache, scrapy_settings=scrapy_settings)
    timeout = CRAWL_TIMEOUT_SECONDS * len(sources)
    try:
        with log_path.open("wb") as log:
            proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, timeout=timeout)
        returncode: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        returncode = None
    return [_result(source, run_dir, returncode, timeout, log_path) for source in sources]


def run_crawl(source: Source, run_dir: Path, *, user_agent: str, http_cache: Path | None = None,
              scrapy_settings: dict | None = None, log_dir: Path | None = None) -> CrawlResult:
    """Crawl one source in a child process and read its status file; never raises for a failing board."""
    return run_crawls([source], run_dir, user_agent=user_agent, http_cache=http_cache,
                      scrapy_settings=scrapy_settings, log_dir=log_dir)[0]


def finished_board(source: Source, run_dir: Path) -> CrawlResult | None:
    """The result of a board whose crawl ended with a feed, while its crawl process may still run other boards;
    None until then. The crawler writes a board's status file before it puts the feed in place."""
    if not (run_dir / f"{source.key}.jsonl").is_file():
        return None
    return _result(source, run_dir, 0, 0, run_dir)


def results_as_ready(crawls: Iterable[Any], sources: Iterable[Source], run_dir: Path) -> Iterator[list[CrawlResult]]:
    """The sources' results in batches, each as soon as it is known, so the caller loads boards while others are
    still being crawled: a board with a feed as soon as the feed is in place, any other board when its crawl (a
    future of `run_crawls`, with `add_done_callback` and `result`) ends. Each batch holds every result found
    at one look; every source comes exactly once. A failed crawl's exception is raised."""
    ended: queue.Queue = queue.Queue()
    crawls = list(crawls)
    for crawl in crawls:
        crawl.add_done_callback(ended.put)
    waiting = {source.key: source for source in sources}
    running = len(crawls)
    while running:
        try:
            crawl = ended.get(timeout=FEED_POLL_SECONDS)
        except queue.Empty:
            crawl = None
        ready = []
        for key, source in list(waiting.items()):
            result = finished_board(source, run_dir)
            if result is not None:
                del waiting[key]
                ready.append(result)
        if crawl is not None:
            running -= 1
            ready += [result for result in crawl.result() if waiting.pop(result.source.key, None) is not None]
        if ready:
            yield ready


def _result(source: Source, run_dir: Path, returncode: int | None, timeout: int, log_path: Path) -> CrawlResult:
    feed = run_dir / f"{source.key}.jsonl"
    status = _read_status(run_dir / f"{source.key}.status.json")
    errors = list(status.get("errors", []))
    failures = _counts(status.get("failures"))
    if returncode is None and not status:
        errors.append(f"crawl killed after {timeout} s")
        failures["crawl_timeout"] = failures.get("crawl_timeout", 0) + 1
    elif not status:
        errors.append(f"crawler exited with code {returncode} without a status file; see {log_path}")
        failures["crawler_died"] = failures.get("crawler_died", 0) + 1
    return CrawlResult(
        source=source,
        feed=feed,
        # A board's own status decides; the exit code speaks for the whole group (one board may have failed).
        complete=bool(status.get("complete")),
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
