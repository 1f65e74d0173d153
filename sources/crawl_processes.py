"""Run sources' crawls as child processes (Scrapy's reactor cannot restart in one process): the boards of one
host one after another, different hosts at the same time, in a few processes (`sources.hosts.pack_hosts`)."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from sources.hosts import crawl_packs, host_key
from sources.sources_file import Source

# A crawl running longer than this per board of its group is killed; boards without a status then count as
# failed. Scrapy's own timeouts end hung requests much sooner.
CRAWL_TIMEOUT_SECONDS = 3600
# How often `results_as_ready` looks for boards whose feed is in place while their crawl process still runs.
FEED_POLL_SECONDS = 0.1
# A run's id is the UTC time its crawl started; it names the run's feed and log folders.
RUN_ID_FORMAT = "%Y%m%dT%H%M%S%fZ"


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
    body_sha256: str | None = None  # a one-page board's response body hash
    unchanged: bool = False  # the body equalled the last complete read's: nothing was parsed, the feed is empty

    @property
    def ok(self) -> bool:
        """True when the feed can be loaded (it exists), even if the crawl was partial."""
        return self.feed.is_file()


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
    args = {key: source.options[key] for key in ("urls", "sitemap", "unchanged_sha256") if key in source.options}
    if args:
        job["spider_args"] = args
    return job


def new_run_id(started: datetime | None = None) -> str:
    """The id of a run whose crawl starts at ``started`` (default: now)."""
    return (started or datetime.now(timezone.utc)).strftime(RUN_ID_FORMAT)


def run_started(run_id: str) -> datetime:
    """When the run called ``run_id`` started its crawl (the inverse of `new_run_id`)."""
    return datetime.strptime(run_id, RUN_ID_FORMAT).replace(tzinfo=timezone.utc)


@dataclass
class CrawlPlan:
    """How some sources are crawled in one child process: its jobs file and content, command line and log."""

    sources: list[Source]
    run_dir: Path
    jobs_file: Path
    jobs_text: str
    command: list[str]
    log_path: Path

    @property
    def timeout(self) -> int:
        """Seconds after which the crawl is killed."""
        return CRAWL_TIMEOUT_SECONDS * len(self.sources)


@dataclass
class CrawlProcess:
    """A crawler child process at work on a plan."""

    plan: CrawlPlan
    process: subprocess.Popen


def plan_crawls(sources: list[Source], run_dir: Path, *, user_agent: str, http_cache: Path | None = None,
                scrapy_settings: dict | None = None, log_dir: Path | None = None) -> CrawlPlan:
    """The plan for crawling ``sources`` in one child process (nothing is written or started)."""
    name = sources[0].key if len(sources) == 1 else f"{sources[0].key}+{len(sources) - 1}"
    jobs_file = run_dir / f"{name}.jobs.json"
    return CrawlPlan(
        sources=list(sources), run_dir=run_dir, jobs_file=jobs_file,
        jobs_text=json.dumps([crawl_job(s, run_dir) for s in sources], indent=1),
        command=jobs_command(jobs_file, user_agent=user_agent, http_cache=http_cache, scrapy_settings=scrapy_settings),
        log_path=(log_dir or run_dir) / f"{name}.log",
    )  # fmt: skip


def start_crawls(plan: CrawlPlan) -> CrawlProcess:
    """Write the plan's jobs file and start its crawler process, its output going to the plan's log."""
    plan.run_dir.mkdir(parents=True, exist_ok=True)
    plan.log_path.parent.mkdir(parents=True, exist_ok=True)
    plan.jobs_file.write_text(plan.jobs_text, encoding="utf-8")
    with plan.log_path.open("wb") as log:
        process = subprocess.Popen(plan.command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return CrawlProcess(plan, process)


def wait_crawls(crawl: CrawlProcess) -> list[CrawlResult]:
    """Wait for a crawler process (killing it past its plan's timeout); one result per source, in order."""
    try:
        returncode: int | None = crawl.process.wait(timeout=crawl.plan.timeout)
    except subprocess.TimeoutExpired:
        crawl.process.kill()
        crawl.process.wait()
        returncode = None
    plan = crawl.plan
    return [_result(source, plan.run_dir, returncode, plan.timeout, plan.log_path) for source in plan.sources]


def run_crawls(sources: list[Source], run_dir: Path, *, user_agent: str, http_cache: Path | None = None,
               scrapy_settings: dict | None = None, log_dir: Path | None = None) -> list[CrawlResult]:
    """Crawl the sources in one child process (Python and Scrapy start once for all of them): the boards of one
    host one after another, different hosts at the same time; one result per source, in order. Takes over the
    same crawl when `crawls_started_ahead` already started it. Never raises for a failing board or a dying
    crawler."""
    if not sources:
        return []
    plan = plan_crawls(sources, run_dir, user_agent=user_agent, http_cache=http_cache,
                       scrapy_settings=scrapy_settings, log_dir=log_dir)
    return wait_crawls(_claim_started_ahead(plan) or start_crawls(plan))


# Crawls started by `crawls_started_ahead`, by jobs file, until a `run_crawls` with the same plan takes one over.
_started_ahead: dict[Path, CrawlProcess] = {}
_started_ahead_lock = threading.Lock()


def _claim_started_ahead(plan: CrawlPlan) -> CrawlProcess | None:
    with _started_ahead_lock:
        crawl = _started_ahead.get(plan.jobs_file)
        if crawl is None or (crawl.plan.jobs_text, crawl.plan.command) != (plan.jobs_text, plan.command):
            return None
        return _started_ahead.pop(plan.jobs_file)


@contextmanager
def crawls_started_ahead(sources: list[Source], feeds_dir: Path, logs_dir: Path, *, user_agent: str,
                         http_cache: Path | None = None) -> Iterator[str]:
    """Start a run's crawl now and yield the run's id; the run's `run_crawls` calls (given the same sources,
    settings and the folders of that id) take these processes over instead of starting their own.

    This lets the crawl, which mostly waits on the hosts' delays, go on while Prefect and its temporary server
    start. Processes no call took over (another plan, a run refused by the lock) are stopped on the way out.
    """
    run_id = new_run_id()
    plans = [plan_crawls(pack, feeds_dir / run_id, user_agent=user_agent, http_cache=http_cache,
                         log_dir=logs_dir / run_id) for pack in crawl_packs(sources)]
    mine = [start_crawls(plan) for plan in plans]
    with _started_ahead_lock:
        _started_ahead.update({crawl.plan.jobs_file: crawl for crawl in mine})
    try:
        yield run_id
    finally:
        with _started_ahead_lock:
            unclaimed = [_started_ahead.pop(c.plan.jobs_file) for c in mine if _started_ahead.get(c.plan.jobs_file) is c]
        for crawl in unclaimed:
            _stop(crawl.process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # Scrapy stops its crawl on the first SIGTERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait()


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
        present = _file_names(run_dir)  # one listing per look, not a stat per waiting board (thousands)
        for key, source in list(waiting.items()):
            result = finished_board(source, run_dir) if f"{key}.jsonl" in present else None
            if result is not None:
                del waiting[key]
                ready.append(result)
        if crawl is not None:
            running -= 1
            ready += [result for result in crawl.result() if waiting.pop(result.source.key, None) is not None]
        if ready:
            yield ready


def _file_names(folder: Path) -> set[str]:
    try:
        return set(os.listdir(folder))
    except FileNotFoundError:
        return set()


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
        body_sha256=status.get("body_sha256") if isinstance(status.get("body_sha256"), str) else None,
        unchanged=status.get("unchanged") is True,
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
