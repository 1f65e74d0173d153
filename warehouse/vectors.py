"""The embedding cache: one vector per (content_hash, model), so unchanged postings are never embedded again."""

from __future__ import annotations

from typing import Sequence

import duckdb
import numpy as np

from warehouse.db import first_row, registered, sql, transaction, utcnow
from warehouse.errors import InvalidInput
from warehouse.postings import open_posting_ids

__all__ = [
    "index_target", "mark_indexed", "missing_vectors", "open_posting_ids", "open_posting_vectors", "store_vectors",
    "vector_dim", "vectors_for_postings",
]


def missing_vectors(
    con: duckdb.DuckDBPyConnection, model: str, limit: int | None = None
) -> list[tuple[str, str, str | None, list[str], str]]:
    """Return (content_hash, title, company, locations, description) for each content hash of an open
    posting that has no vector for `model` yet, one per hash, ordered by hash."""
    rows = con.execute(
        """
        with open_postings as (
            select * from postings
            where closed_at is null
        ),

        cached as (
            select content_hash from posting_vectors
            where model = $model
        ),

        final as (
            select
                open_postings.content_hash,
                any_value(open_postings.title) as title,
                any_value(open_postings.company_name) as company,
                any_value(open_postings.locations) as locations,
                any_value(open_postings.description) as description,
            from open_postings
            anti join cached on cached.content_hash = open_postings.content_hash
            group by open_postings.content_hash
        )

        select * from final
        order by content_hash
        limit $limit
        """,
        {"model": model, "limit": limit if limit is not None else 2**62},
    ).fetchall()
    return [tuple(row) for row in rows]


def vector_dim(con: duckdb.DuckDBPyConnection, model: str) -> int | None:
    """Return the dimension of the vectors cached for `model`, or None when there are none."""
    query = "select len(vector) from posting_vectors where model = $model limit 1"
    row = first_row(con.execute(query, {"model": model}))
    return int(row[0]) if row else None


def forget_vectors(con: duckdb.DuckDBPyConnection, models: Sequence[str]) -> int:
    """Drop the vectors cached under `models` (e.g. those of an older embedded text); returns how many."""
    if not models:
        return 0
    with transaction(con):
        return len(con.execute("delete from posting_vectors where list_contains($models, model) returning 1",
                               {"models": list(models)}).fetchall())


def store_vectors(con: duckdb.DuckDBPyConnection, model: str, hashes: Sequence[str], vectors: np.ndarray) -> int:
    """Cache one vector per content hash for `model` in one bulk insert; return how many were new.

    Hashes already cached for the model are left as they are. Raises `InvalidInput` when the shapes
    disagree, a vector is not finite, or the dimension differs from the model's cached vectors.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    hashes = [str(content_hash) for content_hash in hashes]
    if vectors.ndim != 2 or vectors.shape[0] != len(hashes):
        raise InvalidInput(f"expected {len(hashes)} vectors as a 2-d array, got shape {vectors.shape}")
    if len(set(hashes)) != len(hashes):
        raise InvalidInput("a content hash is given twice")
    if not np.isfinite(vectors).all():
        raise InvalidInput("a vector holds NaN or infinity")
    if not hashes:
        return 0
    known_dim = vector_dim(con, model)
    if known_dim is not None and known_dim != vectors.shape[1]:
        raise InvalidInput(f"model {model} has {known_dim}-d vectors cached, got {vectors.shape[1]}-d")
    import pandas as pd  # here, not at module level: commands that only read skip it
    frame = pd.DataFrame({"content_hash": hashes, "vector": list(vectors)})
    with transaction(con):
        with registered(con, "new_vectors", frame):
            inserted = con.execute(
                """
                insert into posting_vectors (content_hash, model, vector, created_at)
                select new_vectors.content_hash, $model, new_vectors.vector::float[], $now
                from new_vectors
                anti join (select content_hash from posting_vectors where model = $model) as cached
                    on cached.content_hash = new_vectors.content_hash
                returning content_hash
                """,
                {"model": model, "now": utcnow()},
            ).fetchall()
    return len(inserted)


def open_posting_vectors(con: duckdb.DuckDBPyConnection, model: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (posting ids int64, vectors float32 of shape (n, dim)) of the open postings with a cached vector
    for `model`, ordered by posting id."""
    result = con.execute(
        """
        select postings.posting_id, posting_vectors.vector
        from postings
        inner join posting_vectors
            on posting_vectors.content_hash = postings.content_hash and posting_vectors.model = $model
        where postings.closed_at is null
        order by postings.posting_id
        """,
        {"model": model},
    ).fetchnumpy()
    ids = np.asarray(result["posting_id"], dtype=np.int64)
    if len(ids) == 0:
        return ids, np.zeros((0, vector_dim(con, model) or 0), dtype=np.float32)
    return ids, np.stack(result["vector"]).astype(np.float32, copy=False)


def index_target(con: duckdb.DuckDBPyConnection, model: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (ids the index of `model` must hold, ids among them whose content changed since last indexed)."""
    result = con.execute(sql("marts/index_target"), {"model": model}).fetchnumpy()
    ids = np.asarray(result["posting_id"], dtype=np.int64)
    changed = np.asarray(result["is_changed"], dtype=bool)
    return ids, ids[changed]


def vectors_for_postings(con: duckdb.DuckDBPyConnection, model: str, posting_ids: Sequence[int]) -> np.ndarray:
    """Return the cached vectors of `model` for `posting_ids`, in that order; raises `InvalidInput` if one is missing."""
    ids = np.asarray(posting_ids, dtype=np.int64)
    if len(ids) == 0:
        return np.zeros((0, vector_dim(con, model) or 0), dtype=np.float32)
    import pandas as pd  # here, not at module level: commands that only read skip it
    frame = pd.DataFrame({"posting_id": ids, "position": np.arange(len(ids))})
    with registered(con, "wanted_postings", frame):
        result = con.execute(
            """
            select wanted_postings.position, posting_vectors.vector
            from wanted_postings
            inner join postings on postings.posting_id = wanted_postings.posting_id
            inner join posting_vectors
                on posting_vectors.content_hash = postings.content_hash and posting_vectors.model = $model
            order by wanted_postings.position
            """,
            {"model": model},
        ).fetchnumpy()
    if len(result["position"]) != len(ids):
        raise InvalidInput(f"{len(ids) - len(result['position'])} of the requested postings have no {model} vector")
    return np.stack(result["vector"]).astype(np.float32, copy=False)


def mark_indexed(con: duckdb.DuckDBPyConnection, model: str) -> int:
    """Record that the index of `model` now holds exactly its target postings with their current content."""
    with transaction(con):
        con.execute("delete from indexed_postings where model = $model", {"model": model})
        con.execute(
            """
            insert into indexed_postings (model, posting_id, content_hash)
            select $model, posting_id, content_hash from (""" + sql("marts/index_target") + """)
            """,
            {"model": model},
        )
        count_query = "select count(*) from indexed_postings where model = $model"
        return int(first_row(con.execute(count_query, {"model": model}))[0])
