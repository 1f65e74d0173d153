"""The logic behind each nightly task, callable and testable without Prefect."""

from __future__ import annotations

import functools
import logging
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path

from flows.config import Settings
from flows.crawling import CrawlResult

EMBED_BATCH = 256
log = logging.getLogger("plenty")


def default_sources_file(settings: Settings) -> Path:
    """The data home's sources file, created from the shipped default list of public boards on first use."""
    if not settings.sources_file.exists():
        settings.ensure_dirs()
        shipped = resources.files("flows") / "data" / "sources.toml"
        settings.sources_file.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    return settings.sources_file


def load_crawls(settings: Settings, results: list[CrawlResult], crawled_at: datetime,
                run_id: str | None = None) -> list[dict]:
    """Load some crawls' feeds through one warehouse connection, each feed in its own transaction; store and
    return their report rows, in order. (Opening the warehouse and writing it back on close cost more than
    loading an unchanged feed.)"""
    from warehouse.db import connect

    if not results:
        return []
    with connect(settings.db_path) as con:
        return [_load_one(con, result, crawled_at, run_id) for result in results]


def _load_one(con, result: CrawlResult, crawled_at: datetime, run_id: str | None) -> dict:
    from warehouse.postings import load_feed
    from warehouse.runs import record_source_run

    row = {"source": result.source.key, "kind": result.source.kind, "board": result.source.board,
           "complete": result.complete, "fetched": result.items, "new": 0, "updated": 0, "closed": 0,
           "dropped": dict(result.dropped), "errors": list(result.errors), "failures": dict(result.failures),
           "cleared": dict(result.cleared)}
    if not result.ok and not row["errors"]:
        row["errors"].append("no feed was written")
    if result.ok:
        loaded = load_feed(con, result.feed, source=result.source.kind, board=result.source.board,
                           complete=result.complete, crawled_at=result.started_at or crawled_at)
        row.update(new=loaded.new, updated=loaded.updated, closed=loaded.closed)
    if run_id is not None:
        record_source_run(con, run_id, row, result.started_at or crawled_at, datetime.now(timezone.utc))
    log.info("loaded %s: %d fetched, %d new, %d updated, %d closed", row["source"], row["fetched"], row["new"],
             row["updated"], row["closed"])
    return row


def load_encoder_for(settings: Settings):
    """The configured sentence encoder (imports torch: only called where a model is used)."""
    return cached_encoder(settings.model, settings.backend)


def model_identity(settings: Settings) -> str:
    """The name under which vectors and indexes of the configured model and backend are stored."""
    from embeddings.encoder import model_identity as identity

    return identity(settings.model, backend=settings.backend)


def pending_embeddings(settings: Settings, model: str | None = None) -> list[tuple[str, str]]:
    """(content_hash, text to embed) of every open posting whose content has no cached vector for the model."""
    from embeddings.text import posting_text
    from warehouse.db import connect
    from warehouse.vectors import missing_vectors

    with connect(settings.db_path) as con:
        todo = missing_vectors(con, model or model_identity(settings))
    return [(content_hash, posting_text(title, company, description or "", locations or []))
            for content_hash, title, company, locations, description in todo]


@functools.lru_cache(maxsize=2)
def cached_encoder(model: str, backend: str | None = None):
    """One encoder per model and process: Dask workers and the CLI load the model once and reuse it."""
    from embeddings.encoder import load_encoder

    return load_encoder(model, backend=backend)


def encode_batch(model: str, backend: str | None, texts: list[str]):
    """Vectors of ``texts`` from the configured model (runs wherever the task runs, e.g. a Dask worker)."""
    return cached_encoder(model, backend).encode(list(texts))


def store_embeddings(settings: Settings, model: str, hashes: list[str], vectors) -> int:
    """Cache one batch of vectors in the warehouse; returns how many were new."""
    from warehouse.db import connect
    from warehouse.vectors import store_vectors

    with connect(settings.db_path) as con:
        return store_vectors(con, model, hashes, vectors)


def batches(items: list, size: int = EMBED_BATCH) -> list[list]:
    """``items`` cut into consecutive lists of at most ``size``."""
    return [items[start:start + size] for start in range(0, len(items), size)]


def embed_missing(settings: Settings, encoder=None, batch_size: int = EMBED_BATCH) -> int:
    """Embed every open posting whose content hash has no cached vector; returns how many were embedded.

    Vectors are stored batch by batch, so a run killed mid-way keeps what it had embedded.
    """
    model = encoder.model_name if encoder is not None else model_identity(settings)
    todo = pending_embeddings(settings, model)
    if not todo:
        return 0
    log.info("embedding %d new or changed postings with %s", len(todo), model)
    encoder = encoder or load_encoder_for(settings)
    for batch in batches(todo, batch_size):
        store_embeddings(settings, model, [h for h, _ in batch], encoder.encode([t for _, t in batch]))
    return len(todo)


@dataclass
class IndexUpdate:
    """How the index changed in one refresh."""

    added: int = 0
    removed: int = 0
    updated: int = 0
    count: int = 0


def refresh_index(settings: Settings, model: str | None = None, rebuild: bool = False) -> IndexUpdate:
    """Make the index hold exactly the open postings that have vectors, re-adding those whose content changed."""
    from embeddings.errors import IndexMissing, IndexModelMismatch
    from embeddings.index import VectorIndex
    from warehouse.db import connect
    from warehouse.vectors import index_target, mark_indexed, vector_dim, vectors_for_postings

    model = model or model_identity(settings)
    with connect(settings.db_path) as con:
        target_ids, changed_ids = index_target(con, model)
        index = None
        if not rebuild:
            try:
                index = VectorIndex.load(settings.index_dir, expected_model=model)
            except IndexMissing:
                index = None
            except IndexModelMismatch as exc:  # the model setting changed: every vector is new, so rebuild
                log.info("%s; rebuilding it for %s", str(exc).split(";")[0], model)
                index = None
        if index is None:
            dim = vector_dim(con, model)
            if dim is None:
                return IndexUpdate()
            index = VectorIndex.new(model, dim)
        log.info("updating the index: %d open postings", len(target_ids))
        report = index.sync(target_ids, lambda ids: vectors_for_postings(con, model, ids), changed_ids=changed_ids)
        if report.added or report.removed or report.updated or not settings.index_dir.exists():
            index.save(settings.index_dir)
        mark_indexed(con, model)
    return IndexUpdate(added=report.added, removed=report.removed, updated=report.updated, count=len(index))


def tag_occupations(settings: Settings, encoder=None) -> int:
    """Store the likely ESCO occupations of every open posting's title that has none for the model yet (the
    recommender would otherwise tag them at query time); returns how many were tagged."""
    from flows.corpus import occupation_tagger, stale_tags_keys, tag_missing, tags_key
    from warehouse.db import connect
    from warehouse.recommendations import forget_occupation_tags, ranking_corpus

    model = encoder.model_name if encoder is not None else model_identity(settings)
    with connect(settings.db_path) as con:
        forget_occupation_tags(con, stale_tags_keys(model))
        todo = [{"content_hash": r["content_hash"], "title": r["title"]}
                for r in ranking_corpus(con, model, tags_key(model)) if r["occupation_uris"] is None]
        if not todo:
            return 0
        encoder = encoder or load_encoder_for(settings)
        return tag_missing(con, model, [{**r, "occupation_uris": None} for r in todo], encoder,
                           occupation_tagger(settings, encoder))


def compute_matches(settings: Settings, run_id: str, k: int = 20, encoder=None, today: date | None = None) -> int:
    """Store the top ``k`` open postings for every active rejection under ``run_id``; returns rejections matched.

    Postings marked applied or dismissed, and the openings of every company whose cool-off still runs on
    ``today`` (default: the current UTC date), are left out; each rejection's own filters apply. Each match's
    reason is stored beside it.
    """
    from flows.doors import door_settings, held_back, rejection_query
    from flows.filters import Filters
    from flows.recommend import Recommender
    from warehouse.db import connect, transaction
    from warehouse.matches import finish_match_run, record_matches, start_match_run
    from warehouse.recommendations import record_match_reasons, rejection_filters
    from warehouse.rejections import list_rejections

    today = today or datetime.now(timezone.utc).date()
    with connect(settings.db_path) as con:
        rejections = list_rejections(con)
        if not rejections:
            return 0
        held = held_back(con, today, door_settings(settings).cooloff_days)
        filters = [Filters.from_stored(rejection_filters(con, r["rejection_id"])) for r in rejections]
    log.info("matching %d active rejections", len(rejections))
    recommender = Recommender.open(settings, encoder=encoder)
    if recommender.empty:
        return 0
    results = recommender.similar([rejection_query(r["title"], r["text"]) for r in rejections], k=k,
                                  exclude_posting_ids=held.posting_ids, exclude_company_ids=held.company_ids,
                                  titles=[r["title"] for r in rejections], filters=filters, today=today)
    # One transaction: a run killed while storing leaves no half-stored match run behind.
    with connect(settings.db_path) as con, transaction(con):
        start_match_run(con, recommender.model, run_id)
        for rejection, result in zip(rejections, results):
            record_matches(con, run_id, rejection["rejection_id"],
                           [(p["posting_id"], p["score"], rank) for rank, p in enumerate(result.postings, 1)],
                           atomic=False)
            record_match_reasons(con, run_id, rejection["rejection_id"],
                                 {p["posting_id"]: p["reason"] for p in result.postings if p.get("reason")},
                                 atomic=False)
        finish_match_run(con, run_id)
    return len(rejections)


def remove_feeds_older_than(settings: Settings, keep_runs: int = 14) -> int:
    """Delete all but the newest ``keep_runs`` feed folders; returns how many were removed."""
    runs = sorted(p for p in settings.feeds_dir.iterdir() if p.is_dir()) if settings.feeds_dir.exists() else []
    for old in runs[:-keep_runs]:
        shutil.rmtree(old, ignore_errors=True)
    return max(0, len(runs) - keep_runs)
