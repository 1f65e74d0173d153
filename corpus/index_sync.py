"""Keep the FAISS index directory holding exactly the open postings that have vectors."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from corpus.encoders import stale_stored_names, stored_name
from datahome.settings import Settings

log = logging.getLogger("plenty")


@dataclass
class IndexUpdate:
    """How the index changed in one refresh."""

    added: int = 0
    removed: int = 0
    updated: int = 0
    count: int = 0


def refresh_index(settings: Settings, model: str | None = None, rebuild: bool = False) -> IndexUpdate:
    """Make the index hold exactly the open postings that have vectors, re-adding those whose content changed
    (`model`: the stored name, default the configured model's, `corpus.encoders.stored_name`)."""
    from embeddings.errors import IndexMissing, IndexModelMismatch
    from embeddings.index import VectorIndex
    from warehouse.db import connect
    from warehouse.vectors import forget_vectors, index_target, mark_indexed, vector_dim, vectors_for_postings

    model = model or stored_name(settings)
    with connect(settings.db_path) as con:
        forget_vectors(con, stale_stored_names(model))  # an older text's vectors: replaced, never read again
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


def bring_index_up_to_date(settings: Settings) -> tuple[int, IndexUpdate]:
    """Embed what has no vector yet and sync the index (loads the model only when something is new)."""
    from corpus.embedding import embed_missing

    embedded = embed_missing(settings)
    return embedded, refresh_index(settings)
