"""Crawl one board, or several one after another, in this process; write each board's JSONL feed and status file.

    python -m spiders.crawl --kind KIND --board BOARD [--company NAME] [--api-base URL]
        --out FEED.jsonl --status STATUS.json [--http-cache DIR] [--user-agent UA]
        [--set KEY=VALUE ...] [--arg KEY=VALUE ...]
    python -m spiders.crawl --jobs JOBS.json [--http-cache DIR] [--user-agent UA] [--set KEY=VALUE ...]

JOBS.json is a list of {"kind", "board", "out", "status", "company"?, "api_base"?, "spider_args"?, "chain"?}; each
board is crawled into its own files, and one that fails does not stop the others. Boards with the same "chain"
(the caller's name for their host) are crawled one after another; different chains at the same time.
Exit code 0 when every crawl was complete, 1 when one was not, 2 for bad arguments (unknown kind, bad spider
argument, malformed --set or jobs file; with --jobs, a job's own bad argument is a failed status instead).
A status file is always written. Items go to ``FEED.jsonl.part`` first, which is renamed to ``FEED.jsonl``
only after the status file is in place, so a killed crawl never leaves a feed that looks finished.
One process per run of this module: Twisted's reactor cannot be restarted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from spiders.errors import BadArgument, SpiderError, UnknownKind
from spiders.status import crawl_status, utc_now, write_json_atomic

logger = logging.getLogger(__name__)


def key_values(pairs: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` strings as a dict; values are JSON when they parse as JSON (``0``, ``false``), else strings."""
    result: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise BadArgument(f"expected KEY=VALUE, got {pair!r}")
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        result[key.strip()] = value
    return result


def crawl_settings(out_part: Path | None, http_cache: Path | None = None, user_agent: str | None = None,
                   overrides: dict[str, Any] | None = None) -> Settings:
    """Project settings from ``spiders.settings`` with this run's feed, cache, user agent and overrides on top."""
    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    if out_part is not None:
        settings.set("FEEDS", {str(out_part): {"format": "jsonlines", "encoding": "utf-8", "overwrite": True}},
                     priority="cmdline")
    if http_cache is not None:
        settings.set("HTTPCACHE_ENABLED", True, priority="cmdline")
        settings.set("HTTPCACHE_DIR", str(Path(http_cache).resolve()), priority="cmdline")
    if user_agent:
        settings.set("USER_AGENT", user_agent, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def spider_class(settings: Settings, kind: str):
    """The spider class whose ``name`` is ``kind``; raises ``UnknownKind`` listing the kinds there are."""
    loader = SpiderLoader.from_settings(settings)
    try:
        return loader.load(kind)
    except KeyError:
        raise UnknownKind(f"unknown source kind {kind!r}; known kinds: {', '.join(sorted(loader.list()))}") from None


@dataclass
class BoardJob:
    """One board to crawl: what to read and where its feed and status file go."""

    kind: str
    board: str
    out: Path
    status: Path
    company: str | None = None
    api_base: str | None = None
    spider_args: dict[str, Any] = field(default_factory=dict)
    # Jobs of one chain (a host) are crawled one after another; different chains run at the same time.
    chain: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> "BoardJob":
        """A job from its JSON form; raises ``BadArgument`` naming what is missing or malformed."""
        if not isinstance(data, dict):
            raise BadArgument(f"a crawl job must be a JSON object, got {type(data).__name__}")
        missing = [k for k in ("kind", "board", "out", "status") if not isinstance(data.get(k), str)]
        if missing:
            raise BadArgument(f"crawl job {data!r} lacks {', '.join(missing)}")
        args = data.get("spider_args") or {}
        if not isinstance(args, dict):
            raise BadArgument(f"crawl job {data['kind']}:{data['board']}: spider_args must be an object")
        return cls(data["kind"], data["board"], Path(data["out"]), Path(data["status"]),
                   data.get("company"), data.get("api_base"), dict(args), str(data.get("chain") or ""))


class SequentialCrawlerProcess(AsyncCrawlerProcess):
    """Crawls boards in one process and one reactor: the boards of one chain (a host) one after another, the
    chains at the same time (stopping early on a shutdown signal).

    One board at a time per host keeps a source's host from seeing several of plenty's crawls at once, and one
    process for many boards and hosts pays Python's and Scrapy's start-up once instead of once per board.
    """

    def __init__(self, jobs: list[BoardJob], *, http_cache: Path | None = None, user_agent: str | None = None,
                 overrides: dict[str, Any] | None = None, refuse_bad_arguments: bool = False):
        """`refuse_bad_arguments`: a job refused for its arguments (unknown kind, bad spider argument) ends
        up in `refused` instead of getting a failed status (the single-board command line reports it)."""
        self._job_settings = {"http_cache": http_cache, "user_agent": user_agent, "overrides": overrides}
        super().__init__(crawl_settings(None, **self._job_settings))
        self.jobs = jobs
        self.documents: list[dict[str, Any]] = []
        self.refused: list[SpiderError] = []
        self.stopping = False
        self._refuse_bad_arguments = refuse_bad_arguments
        self._spider_classes: dict[str, type] = {}  # a SpiderLoader walks the spider modules: once per kind
        # Created on the process's loop before it runs, as Scrapy creates its own crawl tasks.
        self._sequence = asyncio.get_event_loop().create_task(self._crawl_all())

    async def join(self) -> None:
        """Completes when every job has been crawled (or skipped after a shutdown signal)."""
        await self._sequence
        await super().join()

    async def stop(self) -> None:
        """Stop the running crawl and start no other (Ctrl-C, SIGTERM)."""
        self.stopping = True
        await super().stop()

    async def _crawl_all(self) -> None:
        chains: dict[str, list[int]] = {}
        for position, job in enumerate(self.jobs):
            chains.setdefault(job.chain, []).append(position)
        documents: dict[int, dict[str, Any]] = {}
        await asyncio.gather(*(self._crawl_chain(positions, documents) for positions in chains.values()))
        self.documents = [documents[position] for position in sorted(documents)]

    async def _crawl_chain(self, positions: list[int], documents: dict[int, dict[str, Any]]) -> None:
        """Crawl the jobs at `positions` (one host's boards) in turn, keeping the host's delay between them."""
        host_gap: tuple[float, float] | None = None  # (the host's delay, when its next request may go)
        for position in positions:
            job = self.jobs[position]
            if host_gap and not self.stopping:
                # The boards of one chain share a host: keep the host's delay between one board's last request
                # and the next board's first, as between two requests of one crawl.
                delay, not_before = host_gap
                pause = max(0.0, not_before - time.monotonic())
                logger.info("waiting %.1f s before the next board of this host (%s): its delay is %.1f s since "
                            "its last request", pause, job.board, delay)
                await asyncio.sleep(pause)
            if self.stopping:
                documents[position] = _failed_status(job, "not crawled: the crawl process was stopped first")
                continue
            try:
                documents[position], host_gap = await self._crawl_board(job)
            except SpiderError as exc:
                if not self._refuse_bad_arguments:
                    documents[position] = _failed_status(job, f"{type(exc).__name__}: {exc}")
                    continue
                self.refused.append(exc)
                _prepare(job)  # nothing was crawled: leave no file behind
            except Exception as exc:  # one board's failure must not cost the boards after it
                documents[position] = _failed_status(job, f"{type(exc).__name__}: {exc}")

    async def _crawl_board(self, job: BoardJob) -> tuple[dict[str, Any], tuple[float, float]]:
        """Crawl one job; returns its status document, and the delay its host asks between requests with the
        time (monotonic clock) before which the host's next request must not go."""
        part = _prepare(job)
        settings = crawl_settings(part, **self._job_settings)
        if job.kind not in self._spider_classes:
            self._spider_classes[job.kind] = spider_class(settings, job.kind)
        spidercls = self._spider_classes[job.kind]
        crawler = Crawler(spidercls, settings)
        started_at = utc_now()
        failures: list[BaseException] = []
        host_slots: list[tuple[float, float]] = []
        crawler.signals.connect(lambda: host_slots.extend(_slot_states(crawler)), signal=signals.spider_closed,
                                weak=False)
        try:
            await self.crawl(crawler, board=job.board, company=job.company, api_base=job.api_base,
                             **job.spider_args)
        except SpiderError:
            raise  # e.g. a bad spider argument: nothing was crawled
        except Exception as exc:
            failures.append(exc)
        document = _finish(job, crawler, failures, started_at)
        return document, _next_board_gap(crawler.settings, host_slots, time.monotonic())


def _slot_states(crawler: Crawler) -> list[tuple[float, float]]:
    """(delay, time of the last request on the monotonic clock) of each download slot (host) of a finished crawl.
    The delay is AutoThrottle's answer to how fast the host responded, never under DOWNLOAD_DELAY; Scrapy counts
    it from the slot's last request (``lastseen``)."""
    downloader = getattr(getattr(crawler, "engine", None), "downloader", None)
    return [(slot.delay, slot.lastseen) for slot in getattr(downloader, "slots", {}).values()]


def _next_board_gap(settings: Settings, host_slots: list[tuple[float, float]], now: float) -> tuple[float, float]:
    """The host's delay and the time (monotonic clock) before which the next board of the same host must not
    start: its last request on this board plus the delay its slot reached (the gap the host gets between two
    requests of one crawl); when nothing was fetched, `now` plus the delay a fresh crawl would start with."""
    floor = settings.getfloat("DOWNLOAD_DELAY")
    if host_slots:
        delay = max(floor, max(slot_delay for slot_delay, _ in host_slots))
        return delay, max(last for _, last in host_slots) + delay
    delay = floor
    if settings.getbool("AUTOTHROTTLE_ENABLED"):
        delay = max(floor, settings.getfloat("AUTOTHROTTLE_START_DELAY"))
    return delay, now + delay


def _prepare(job: BoardJob) -> Path:
    """Remove the job's old files and return the feed's temporary name."""
    part = job.out.with_name(job.out.name + ".part")
    for stale in (job.out, job.status, part):
        stale.unlink(missing_ok=True)
    job.out.parent.mkdir(parents=True, exist_ok=True)
    return part


def _finish(job: BoardJob, crawler: Crawler, failures: list[BaseException], started_at: str) -> dict[str, Any]:
    """Write the job's status, then put its feed in place; returns the status document."""
    spider = getattr(crawler, "spider", None)
    try:
        stats = crawler.stats.get_stats()
    except (RuntimeError, AttributeError):  # the crawl never started, so there are no stats
        stats = {}
    errors = [f"{type(f).__name__}: {f}" for f in failures] + list(getattr(spider, "errors", []))
    document = crawl_status(job.kind, job.board, stats, errors, bool(getattr(spider, "complete", False)),
                            started_at, utc_now())
    write_json_atomic(job.status, document)
    part = job.out.with_name(job.out.name + ".part")
    if not part.exists():
        part.write_bytes(b"")
    os.replace(part, job.out)
    return document


def _failed_status(job: BoardJob, error: str) -> dict[str, Any]:
    now = utc_now()
    document = {"kind": job.kind, "board": job.board, "complete": False, "items": 0, "dropped": {},
                "failures": {}, "cleared": {}, "retries": 0, "errors": [error], "started_at": now,
                "finished_at": now}
    write_json_atomic(job.status, document)
    return document


def crawl_boards(jobs: list[BoardJob], *, http_cache: Path | None = None, user_agent: str | None = None,
                 overrides: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Crawl every job in turn in this process; returns their status documents in job order.

    Each job gets its own feed and status file, written as by a single crawl; a job that cannot run (unknown
    kind, bad argument, a crash) gets a failed status and the next job runs.
    """
    process = SequentialCrawlerProcess(list(jobs), http_cache=http_cache, user_agent=user_agent, overrides=overrides)
    process.start()
    return process.documents


def run_crawl(kind: str, board: str, out: Path, status: Path, *, company: str | None = None,
              api_base: str | None = None, http_cache: Path | None = None, user_agent: str | None = None,
              overrides: dict[str, Any] | None = None, spider_args: dict[str, Any] | None = None) -> dict[str, Any]:
    """Crawl one board, write ``out`` and ``status``, and return the status document.

    Raises ``UnknownKind`` when no spider handles ``kind`` and ``BadArgument`` when the spider refuses its
    arguments; in both cases nothing was crawled and no file is written.
    """
    job = BoardJob(kind, board, Path(out), Path(status), company, api_base, dict(spider_args or {}))
    spider_class(crawl_settings(None, http_cache, user_agent, overrides), kind)  # fail before anything starts
    process = SequentialCrawlerProcess([job], http_cache=http_cache, user_agent=user_agent, overrides=overrides,
                                       refuse_bad_arguments=True)
    process.start()
    if process.refused:
        raise process.refused[0]
    return process.documents[0]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The runner's command-line arguments."""
    parser = argparse.ArgumentParser(prog="python -m spiders.crawl", description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=Path, help="JSON list of boards to crawl in turn (instead of --kind ...)")
    parser.add_argument("--kind", help="source kind: greenhouse, lever, ashby, ...")
    parser.add_argument("--board", help="board token / site name as the source names it")
    parser.add_argument("--company", help="company display name (default: from the data or the board)")
    parser.add_argument("--api-base", help="API origin (default: the real public one)")
    parser.add_argument("--out", type=Path, help="JSONL feed to write")
    parser.add_argument("--status", type=Path, help="status JSON to write")
    parser.add_argument("--http-cache", type=Path, help="enable Scrapy's HTTP cache in this directory")
    parser.add_argument("--user-agent", help="User-Agent header (default: plenty's, with a contact URL)")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                        help="override a Scrapy setting, e.g. DOWNLOAD_DELAY=0 (repeatable)")
    parser.add_argument("-a", "--arg", dest="spider_args", action="append", default=[], metavar="KEY=VALUE",
                        help="extra spider argument, e.g. page_size=50 for lever (repeatable)")
    args = parser.parse_args(argv)
    single = ("kind", "board", "out", "status")
    if args.jobs is None and any(getattr(args, name) is None for name in single):
        parser.error("give --jobs FILE, or all of --kind, --board, --out and --status")
    if args.jobs is not None and any(getattr(args, name) is not None for name in single):
        parser.error("--jobs replaces --kind, --board, --out and --status; give one or the other")
    return args


def load_jobs(path: Path) -> list[BoardJob]:
    """The jobs of a ``--jobs`` file; raises ``BadArgument`` naming the file and what is wrong with it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadArgument(f"cannot read the jobs file {path}: {exc}") from None
    if not isinstance(data, list) or not data:
        raise BadArgument(f"the jobs file {path} must hold a non-empty JSON list")
    return [BoardJob.from_dict(item) for item in data]


def die_with_parent() -> None:
    """On Linux, have the kernel kill this crawl when the process that started it dies.

    A nightly run killed with SIGKILL cannot stop its crawls; without this they would run on, orphaned, and keep
    fetching boards for a run nobody will load.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def main(argv: list[str] | None = None) -> int:
    """Run one crawl, or a jobs file's crawls, from the command line; returns the process exit code."""
    die_with_parent()
    args = parse_args(argv)
    if args.jobs is not None:
        return main_jobs(args)
    try:
        document = run_crawl(args.kind, args.board, args.out, args.status, company=args.company,
                             api_base=args.api_base, http_cache=args.http_cache, user_agent=args.user_agent,
                             overrides=key_values(args.settings), spider_args=key_values(args.spider_args))
    except SpiderError as exc:
        _write_failed_status(args, str(exc))
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        # Whatever broke, the caller must find a status that says the crawl is not complete.
        _write_failed_status(args, f"{type(exc).__name__}: {exc}")
        traceback.print_exc()
        return 1
    if not document["complete"]:
        print(f"Error: crawl of {args.kind}:{args.board} incomplete: {'; '.join(document['errors'])}",
              file=sys.stderr)
        return 1
    return 0


def main_jobs(args: argparse.Namespace) -> int:
    """The ``--jobs`` mode of `main`: every job gets a status file, whatever happens to the others."""
    try:
        overrides, common_args = key_values(args.settings), key_values(args.spider_args)
        jobs = load_jobs(args.jobs)
    except SpiderError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    for job in jobs:
        job.spider_args = {**common_args, **job.spider_args}
    try:
        documents = crawl_boards(jobs, http_cache=args.http_cache, user_agent=args.user_agent, overrides=overrides)
    except Exception as exc:
        traceback.print_exc()
        documents = []
        for job in jobs:
            if not job.status.is_file():
                documents.append(_failed_status(job, f"{type(exc).__name__}: {exc}"))
    incomplete = [f"{d['kind']}:{d['board']}: {'; '.join(d['errors']) or 'incomplete'}"
                  for d in documents if not d.get("complete")]
    for line in incomplete:
        print(f"Error: crawl of {line}", file=sys.stderr)
    return 1 if incomplete or len(documents) < len(jobs) else 0


def _write_failed_status(args: argparse.Namespace, error: str) -> None:
    _failed_status(BoardJob(args.kind, args.board, args.out, args.status), error)

if __name__ == "__main__":
    sys.exit(main())
