"""Vectors for the open postings: which have none for the model yet, embedding them batch by batch, caching them."""

from __future__ import annotations

import logging

from corpus.encoders import load_encoder_for, stored_name
from datahome.settings import Settings

EMBED_BATCH = 256
log = logging.getLogger("plenty")


def pending_embeddings(settings: Settings, model: str | None = None,
                       limit: int | None = None) -> list[tuple[str, str]]:
    """(content_hash, text to embed) of every open posting whose content has no cached vector for the model
    (`model`: its stored name, default the configured model's; the first `limit` of them by hash when a limit is
    given: only those texts are made)."""
    from embeddings.text import posting_text
    from warehouse.db import connect
    from warehouse.vectors import missing_vectors

    with connect(settings.db_path) as con:
        todo = missing_vectors(con, model or stored_name(settings), limit)
    return [(content_hash, posting_text(title, company, description or "", locations or []))
            for content_hash, title, company, locations, description in todo]


def store_embeddings(settings: Settings, model: str, hashes: list[str], vectors) -> int:
    """Cache one batch of vectors in the warehouse under `model` (a stored name); returns how many were new."""
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
    model = stored_name(settings, encoder)
    todo = pending_embeddings(settings, model)
    if not todo:
        return 0
    log.info("embedding %d new or changed postings with %s", len(todo), model)
    encoder = encoder or load_encoder_for(settings)
    for batch in batches(todo, batch_size):
        store_embeddings(settings, model, [h for h, _ in batch], encoder.encode([t for _, t in batch]))
    return len(todo)
