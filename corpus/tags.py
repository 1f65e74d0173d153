"""ESCO occupation tags of the postings' titles: the key they are stored under (model and tagging version), the
tagger of a model, and tagging the open postings that have none yet."""

from __future__ import annotations

from corpus.encoders import load_encoder_for, stale_stored_names, stored_name
from datahome.settings import Settings

TAG_BATCH = 256


def occupation_tagger(settings: Settings, encoder):
    """The ESCO occupation tagger for `encoder` (vectors shipped for the default model, else cached)."""
    from embeddings.occupations import OccupationTagger

    return OccupationTagger.build(encoder, cache_dir=settings.cache_dir)


def tags_key(model: str) -> str:
    """The key a model's occupation tags are stored under: the model and the tagging version, so tags made by an
    older tagger are recomputed rather than mixed with new ones."""
    from embeddings.occupations import TAGS_VERSION

    return _versioned_tags_key(model, TAGS_VERSION)


def stale_tags_keys(model: str) -> list[str]:
    """The keys older taggers stored a model's tags under: the bare model name (before tags were versioned) and
    each older version."""
    from embeddings.occupations import TAGS_VERSION

    return [model, *(_versioned_tags_key(model, version) for version in range(2, TAGS_VERSION))]


def _versioned_tags_key(model: str, version: int) -> str:
    return f"{model}#tags-v{version}"


def tag_missing(con, model: str, rows: list[dict], encoder, tagger) -> int:
    """Tag the rows that have no stored occupation tags (in place, and in the warehouse); returns how many."""
    from warehouse.recommendations import store_occupation_tags

    todo = [r for r in rows if r.get("occupation_uris") is None]
    key = tags_key(model)
    for start in range(0, len(todo), TAG_BATCH):
        batch = todo[start:start + TAG_BATCH]
        titles = [r["title"] for r in batch]
        positions, weights = tagger.profiles(encoder.encode(titles), titles)
        uris = [tagger.uris(p) for p in positions]
        store_occupation_tags(con, key, [r["content_hash"] for r in batch], uris, weights.tolist())
        for row, row_uris, row_weights in zip(batch, uris, weights.tolist()):
            row["occupation_uris"], row["occupation_weights"] = row_uris, row_weights
    return len(todo)


def tag_occupations(settings: Settings, encoder=None) -> int:
    """Store the likely ESCO occupations of every open posting's title that has none for the model yet (the
    recommender would otherwise tag them at query time); returns how many were tagged."""
    from warehouse.db import connect
    from warehouse.recommendations import forget_occupation_tags, ranking_corpus

    model = stored_name(settings, encoder)
    with connect(settings.db_path) as con:
        older_texts = [key for name in stale_stored_names(model) for key in (tags_key(name), *stale_tags_keys(name))]
        forget_occupation_tags(con, stale_tags_keys(model) + older_texts)
        todo = [{"content_hash": r["content_hash"], "title": r["title"]}
                for r in ranking_corpus(con, model, tags_key(model)) if r["occupation_uris"] is None]
        if not todo:
            return 0
        encoder = encoder or load_encoder_for(settings)
        return tag_missing(con, model, [{**r, "occupation_uris": None} for r in todo], encoder,
                           occupation_tagger(settings, encoder))
