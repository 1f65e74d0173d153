"""Crawl one board in this process and write its JSONL feed and status file.

    python -m spiders.crawl --kind KIND --board BOARD [--company NAME] [--api-base URL]
        --out FEED.jsonl --status STATUS.json [--http-cache DIR] [--user-agent UA]
        [--set KEY=VALUE ...] [--arg KEY=VALUE ...]

Exit code 0 when the crawl was complete, 1 when it was not, 2 for bad arguments (unknown kind, bad spider
argument, malformed --set).
The status file is always written. Items go to ``FEED.jsonl.part`` first, which is renamed to ``FEED.jsonl``
only after the status file is in place, so a killed crawl never leaves a feed that looks finished.
One crawl per process: Twisted's reactor cannot be restarted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from spiders.errors import BadArgument, SpiderError, UnknownKind
from spiders.status import crawl_status, utc_now, write_json_atomic


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


def crawl_settings(out_part: Path, http_cache: Path | None = None, user_agent: str | None = None,
                   overrides: dict[str, Any] | None = None) -> Settings:
    """Project settings from ``spiders.settings`` with this run's feed, cache, user agent and overrides on top."""
    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
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


def run_crawl(kind: str, board: str, out: Path, status: Path, *, company: str | None = None,
              api_base: str | None = None, http_cache: Path | None = None, user_agent: str | None = None,
              overrides: dict[str, Any] | None = None, spider_args: dict[str, Any] | None = None) -> dict[str, Any]:
    """Crawl one board, write ``out`` and ``status``, and return the status document.

    Raises ``UnknownKind`` when no spider handles ``kind`` and ``BadArgument`` when the spider refuses its
    arguments; in both cases nothing was crawled and no file is written.
    """
    out, status = Path(out), Path(status)
    part = out.with_name(out.name + ".part")
    for stale in (out, status, part):
        stale.unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    started_at = utc_now()
    settings = crawl_settings(part, http_cache, user_agent, overrides)
    spidercls = spider_class(settings, kind)

    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(spidercls)
    failures: list[BaseException] = []
    task = process.crawl(crawler, board=board, company=company, api_base=api_base, **(spider_args or {}))
    task.add_done_callback(lambda t: failures.extend([t.exception()] if not t.cancelled() and t.exception() else []))
    process.start()
    for failure in failures:
        if isinstance(failure, SpiderError):
            raise failure  # e.g. a bad spider argument: nothing was crawled

    spider = getattr(crawler, "spider", None)
    try:
        stats = crawler.stats.get_stats()
    except RuntimeError:  # the crawl never started, so there are no stats
        stats = {}
    errors = [f"{type(f).__name__}: {f}" for f in failures] + list(getattr(spider, "errors", []))
    document = crawl_status(kind, board, stats, errors, bool(getattr(spider, "complete", False)),
                            started_at, utc_now())
    write_json_atomic(status, document)
    if not part.exists():
        part.write_bytes(b"")
    os.replace(part, out)
    return document


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The runner's command-line arguments."""
    parser = argparse.ArgumentParser(prog="python -m spiders.crawl", description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", required=True, help="source kind: greenhouse, lever, ashby, ...")
    parser.add_argument("--board", required=True, help="board token / site name as the source names it")
    parser.add_argument("--company", help="company display name (default: from the data or the board)")
    parser.add_argument("--api-base", help="API origin (default: the real public one)")
    parser.add_argument("--out", required=True, type=Path, help="JSONL feed to write")
    parser.add_argument("--status", required=True, type=Path, help="status JSON to write")
    parser.add_argument("--http-cache", type=Path, help="enable Scrapy's HTTP cache in this directory")
    parser.add_argument("--user-agent", help="User-Agent header (default: plenty's, with a contact URL)")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                        help="override a Scrapy setting, e.g. DOWNLOAD_DELAY=0 (repeatable)")
    parser.add_argument("-a", "--arg", dest="spider_args", action="append", default=[], metavar="KEY=VALUE",
                        help="extra spider argument, e.g. page_size=50 for lever (repeatable)")
    return parser.parse_args(argv)


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
    """Run one crawl from the command line; returns the process exit code."""
    die_with_parent()
    args = parse_args(argv)
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


def _write_failed_status(args: argparse.Namespace, error: str) -> None:
    now = utc_now()
    write_json_atomic(args.status, {"kind": args.kind, "board": args.board, "complete": False, "items": 0,
                                    "dropped": {}, "failures": {}, "cleared": {}, "retries": 0, "errors": [error],
                                    "started_at": now, "finished_at": now})


if __name__ == "__main__":
    sys.exit(main())
