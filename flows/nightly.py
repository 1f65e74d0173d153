"""The nightly flow: crawl every source, load, embed what changed, update the index, store matches."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from corpus import embedding, encoders, index_sync, openings, tags
from datahome.errors import RunLocked
from datahome.lock import run_lock
from datahome.night_progress import write_night_progress
from datahome.settings import Settings, load_settings
from recommend import matching
from sources import loading
from sources.crawl_processes import CrawlResult, boards_label, new_run_id, results_as_ready, run_crawls, run_started
from sources.hosts import CRAWL_PROCESSES, crawl_packs, hosts_label
from sources.ocean import night_rounds, tonight
from sources.progress import CrawlProgress
from sources.sources_file import Source, default_sources_file

if TYPE_CHECKING:
    import numpy as np


# A night of thousands of boards is bound by the hosts' delays, not by the CPU: between loads, up to this many
# loaded postings are embedded during the crawl (a few seconds' work, so loading and the progress lines keep up),
# and the embedding is mostly done when the last board is in.
EMBED_WHILE_CRAWLING = 256
# Finished boards are loaded together at most this often (and when the crawl ends): each load (a task, opening and
# closing the warehouse, a look for postings to embed) costs far more than an unchanged board itself, and a night
# of thousands of boards finishes one every fraction of a second.
LOAD_EVERY_SECONDS = 5.0


@dataclass
class NightlyReport:
    """What one nightly run did, per source and overall."""

    run_id: str
    refused: str | None = None  # why the run did not start (another run holds the lock)
    sources: list[dict] = field(default_factory=list)
    embedded: int = 0
    index_added: int = 0
    index_removed: int = 0
    index_updated: int = 0
    matched_rejections: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each step, in order

    @property
    def failed_sources(self) -> list[dict]:
        """The sources whose crawl failed (errors or an incomplete board)."""
        return [s for s in self.sources if s["errors"] or not s["complete"]]

    @property
    def all_failed(self) -> bool:
        """True when no source was crawled successfully."""
        return bool(self.sources) and len(self.failed_sources) == len(self.sources)


@task(retries=1, retry_delay_seconds=10, task_run_name="crawl {hosts}", cache_policy=NO_CACHE)
def crawl_hosts(hosts: str, sources: list[Source], run_dir: Path, user_agent: str, http_cache: Path | None,
                scrapy_settings: dict | None, log_dir: Path) -> list[CrawlResult]:
    """Crawl some hosts' sources into JSONL feeds in one child process, one board after another per host and
    the hosts at the same time (I/O: retried once)."""
    return run_crawls(sources, run_dir, user_agent=user_agent, http_cache=http_cache,
                      scrapy_settings=scrapy_settings, log_dir=log_dir)


@task(task_run_name="load {boards}", cache_policy=NO_CACHE)
def load_feeds(settings: Settings, results: list[CrawlResult], crawled_at: datetime, run_id: str,
               boards: str) -> list[dict]:
    """Load the feeds of some finished crawls into the warehouse and record their report rows; a failed crawl
    closes nothing."""
    return loading.load_crawls(settings, results, crawled_at, run_id)


@task(cache_policy=NO_CACHE)
def settle_openings(settings: Settings, run_id: str, source_rows: list[dict]) -> openings.OpeningsReport:
    """Close postings past their deadline and mark open postings that are another's opening (cross-source dedupe)."""
    return openings.settle_openings(settings, run_id, source_rows)


@task(cache_policy=NO_CACHE)
def plan_embeddings(settings: Settings, limit: int | None = None) -> list[tuple[str, str]]:
    """The (content hash, text) of open postings with no cached vector for the configured model (at most `limit`:
    during the crawl only a batch's texts are made, not every pending posting's each time)."""
    return embedding.pending_embeddings(settings, limit=limit)


@task(task_run_name="embed {count} postings", cache_policy=NO_CACHE)
def embed_batch(model: str, backend: str | None, texts: list[str], count: int) -> "np.ndarray":
    """Embed one batch of texts (on whichever worker the task runner picks)."""
    return encoders.encode_batch(model, backend, texts)


@task(cache_policy=NO_CACHE)
def store_embeddings(settings: Settings, hashes: list[str], vectors) -> int:
    """Cache one batch of vectors in the warehouse (the flow process is the only writer)."""
    return embedding.store_embeddings(settings, encoders.stored_name(settings), hashes, vectors)


def embed_new_postings(settings: Settings, distributed: bool, limit: int | None = None) -> int:
    """Embed what has no cached vector (at most `limit` postings), batch by batch; batches run in parallel on a
    distributed runner."""
    todo = plan_embeddings(settings, limit)
    if not todo:
        return 0
    embedding.log.info("embedding %d new or changed postings with %s", len(todo), encoders.model_identity(settings))
    chunks = embedding.batches(todo)
    if distributed:
        futures = [embed_batch.submit(settings.model, settings.backend, [t for _, t in c], len(c)) for c in chunks]
        results = (future.result() for future in futures)
    else:  # torch already uses every core: one batch at a time is fastest here
        results = (embed_batch(settings.model, settings.backend, [t for _, t in c], len(c)) for c in chunks)
    for chunk, vectors in zip(chunks, results):
        store_embeddings(settings, [h for h, _ in chunk], vectors)
    return len(todo)


@task(cache_policy=NO_CACHE)
def update_index(settings: Settings) -> index_sync.IndexUpdate:
    """Bring the FAISS index to exactly the open postings' vectors."""
    return index_sync.refresh_index(settings)


@task(cache_policy=NO_CACHE)
def tag_occupations(settings: Settings) -> int:
    """Tag new or changed postings with their likely ESCO occupations (kept in the warehouse for ranking)."""
    return tags.tag_occupations(settings)


@task(cache_policy=NO_CACHE)
def match_rejections(settings: Settings, run_id: str, k: int) -> int:
    """Store the top matches of every active rejection for this run."""
    return matching.compute_matches(settings, run_id, k=k)


@task(cache_policy=NO_CACHE)
def prepare_queries(settings: Settings) -> int:
    """Keep tonight's ranking corpus read for the next `plenty similar` (when no match step read it)."""
    return matching.prepare_queries(settings)


@flow(name="plenty-nightly", task_runner=ThreadPoolTaskRunner(max_workers=CRAWL_PROCESSES))
def nightly_flow(sources_file: str | None = None, home: str | None = None, http_cache: str | None = None,
                 scrapy_settings: dict | None = None, k: int = 20, run_id: str | None = None) -> NightlyReport:
    """Crawl → load → embed new or changed postings → update the index → match every active rejection.

    ``run_id`` names a run whose crawl `sources.crawl_processes.crawls_started_ahead` already started (the CLI does, so
    the crawl goes on while Prefect starts); without it the run gets a new id and starts its own crawl."""
    logger = get_run_logger()
    settings = load_settings(home)
    settings.ensure_dirs()
    try:
        with run_lock(settings.home / "nightly.lock", "plenty nightly"):
            try:
                return run_nightly(settings, sources_file, http_cache, scrapy_settings, k, run_id)
            finally:
                write_night_progress(settings.home, "finished")
    except RunLocked as exc:
        logger.warning("%s", exc)
        return NightlyReport(run_id="", refused=str(exc))


def is_distributed() -> bool:
    """True when this flow run's tasks go to a Dask cluster rather than local threads."""
    from prefect.context import get_run_context

    return type(get_run_context().task_runner).__name__ == "DaskTaskRunner"


def run_nightly(settings: Settings, sources_file: str | None, http_cache: str | None,
                scrapy_settings: dict | None, k: int, run_id: str | None = None) -> NightlyReport:
    """The nightly recipe; the caller holds the data home's run lock.

    With the board directory in the sources (``include_directory``), the night has two rounds: the sources
    file's own boards are crawled, loaded, embedded, indexed and matched first (match run ``RUN_ID-own``), so the
    first matches come while the directory's boards are still to be read; then the directory's boards, and the
    whole recipe again (match run ``RUN_ID``)."""
    path = Path(sources_file) if sources_file else default_sources_file(settings)
    run_id = run_id or new_run_id()
    started = run_started(run_id)
    rounds = night_rounds(tonight(settings, path, started))
    report = NightlyReport(run_id=run_id)
    clock = StepClock()
    for number, sources in enumerate(rounds):
        last = number == len(rounds) - 1
        prefix = "" if last else "own boards: "
        loading.log.info("run %s: crawling %d %s", run_id, len(sources),
                         "sources" if len(rounds) == 1 else "of your own sources" if not last else "directory boards")
        write_night_progress(settings.home, "crawling", f"{prefix}{len(sources)} boards")
        rows, embedded = crawl_and_load(settings, sources, run_id, started, http_cache, scrapy_settings)
        report.sources += rows
        report.embedded += embedded
        clock.lap(prefix + "crawl and load")
        settle_openings(settings, run_id, rows)
        clock.lap(prefix + "settle")
        write_night_progress(settings.home, "embedding", f"{prefix}new and changed postings")
        report.embedded += embed_new_postings(settings, distributed=is_distributed())
        clock.lap(prefix + "embed")
        index_update = update_index(settings)
        report.index_added += index_update.added
        report.index_removed += index_update.removed
        report.index_updated += index_update.updated
        clock.lap(prefix + "index")
        tag_occupations(settings)
        clock.lap(prefix + "tag")
        write_night_progress(settings.home, "matching", f"{prefix}your rejections")
        report.matched_rejections = match_rejections(settings, run_id if last else f"{run_id}-own", k)
        if last and not report.matched_rejections:
            prepare_queries(settings)  # matching reads the corpus the next query needs; without rejections, here
        clock.lap(prefix + "match")
    loading.remove_feeds_older_than(settings)
    order = {source.key: position for position, source in enumerate(s for r in rounds for s in r)}
    report.sources.sort(key=lambda row: order.get(row["source"], len(order)))
    report.seconds = clock.laps
    return report


def crawl_and_load(settings: Settings, sources: list[Source], run_id: str, started: datetime,
                   http_cache: str | None, scrapy_settings: dict | None) -> tuple[list[dict], int]:
    """Crawl some sources (a process per pack of hosts) and load each board as soon as its feed is in place,
    logging how far the crawl is; after each load and, while loaded postings wait for vectors, at each look for
    finished boards, up to `EMBED_WHILE_CRAWLING` of them are embedded while the crawlers wait out the hosts'
    delays. Returns the boards' report rows and the postings embedded."""
    logger = get_run_logger()
    run_dir = settings.feeds_dir / run_id
    cache = Path(http_cache) if http_cache else None
    futures = [crawl_hosts.submit(hosts_label(pack), pack, run_dir, settings.user_agent, cache, scrapy_settings,
                                  settings.logs_dir / run_id)
               for pack in crawl_packs(sources)]
    progress = CrawlProgress(sources)
    rows, embedded, pending, more_to_embed = [], 0, [], False
    last_load = time.monotonic()

    def load(batch: list[CrawlResult]) -> None:
        changed = False
        for loaded in load_feeds(settings, batch, started, run_id, boards_label(batch)):
            rows.append(loaded)
            changed = changed or bool(loaded["new"] or loaded["updated"])
            if loaded["errors"]:
                logger.warning("source %s failed: %s", loaded["source"], "; ".join(loaded["errors"]))
        progress.finished(batch)
        if progress.due():
            line = progress.line()
            loading.log.info("%s", line)
            write_night_progress(settings.home, "crawling", line)
        if changed or more_to_embed:  # boards read unchanged bring nothing to embed
            embed_some()

    def embed_some() -> None:
        nonlocal embedded, more_to_embed
        done = embed_new_postings(settings, distributed=is_distributed(), limit=EMBED_WHILE_CRAWLING)
        embedded += done
        more_to_embed = done >= EMBED_WHILE_CRAWLING

    # Boards are loaded soon after their feed is in place, while the crawlers wait out the hosts' delays; while
    # loaded postings wait for their vectors, a batch is embedded at every look between loads too (the model,
    # not the hosts, is then what a first night waits on).
    for ready in results_as_ready(futures, sources, run_dir):
        pending += ready
        if time.monotonic() - last_load >= LOAD_EVERY_SECONDS:
            last_load = time.monotonic()
            load(pending)
            pending = []
        elif more_to_embed:
            embed_some()
    if pending:
        load(pending)
    return rows, embedded


class StepClock:
    """Wall time of consecutive steps: each `lap(name)` records the time since the previous one."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        """Close the step called `name`."""
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 3)
        self._last = now


def nightly_with_runner(runner: str = "threads", dask_address: str | None = None):
    """The nightly flow on local threads, or on a Dask cluster (an existing one at ``dask_address``, else a
    temporary local one) through prefect-dask."""
    if runner == "threads":
        return nightly_flow
    from prefect_dask import DaskTaskRunner

    if dask_address:
        task_runner = DaskTaskRunner(address=dask_address)
    else:
        task_runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True})
    return nightly_flow.with_options(task_runner=task_runner)
