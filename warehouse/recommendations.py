"""What the recommender reads and keeps: the ranking corpus, occupation tags, per-rejection filters, match reasons."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Sequence

import duckdb

from warehouse.db import fetch_dicts, registered, sql, transaction, utcnow
from warehouse.errors import InvalidInput
from warehouse.rejections import get_rejection
from warehouse.text import storable

FILTER_FIELDS = ("is_remote", "location", "seniority", "min_salary", "salary_currency", "posted_within_days",
                 "exclude_companies")


def ranking_corpus(con: duckdb.DuckDBPyConnection, model: str, tags: str) -> list[dict]:
    """Open postings with a cached `model` vector, ordered by posting id, with their occupation tags stored under
    `tags` (see `store_occupation_tags`), or None.

    Rows hold plain Python values (lists, None, datetime), never numpy arrays or pandas' NaN/NaT, so callers may
    test a missing or empty list for truth."""
    return fetch_dicts(con.execute(sql("marts/ranking_corpus"), {"model": model, "tags": tags}))


def corpus_version(con: duckdb.DuckDBPyConnection, model: str) -> tuple:
    """A cheap fingerprint of everything `ranking_corpus` reads for `model` (the last load, the set of open
    postings and their contents, the vectors and tags kept, the last dedupe pass): equal fingerprints, equal
    corpus (also across a warehouse made again from scratch, whose load ids start over: the contents count)."""
    return tuple(con.execute(
        """
        select
            (select max(load_id) from feed_loads),
            (select count(*) from postings where closed_at is null),
            (select bit_xor(posting_id) from postings where closed_at is null),
            (select bit_xor(hash(content_hash)) from postings where closed_at is null),
            (select count(*) from posting_vectors where model = $model),
            (select count(*) from posting_occupations),
            (select max(decided_at) from dedupe_state),
            (select count(*) from posting_duplicates)
        """,
        {"model": model},
    ).fetchall()[0])


def store_occupation_tags(con: duckdb.DuckDBPyConnection, model: str, hashes: Sequence[str],
                          uris: Sequence[Sequence[str]], weights: Sequence[Sequence[float]]) -> int:
    """Keep the occupation tags of content hashes under `model` (the key they are read back by, e.g. a model
    and tagging version; hashes already tagged under it are left alone); returns how many were new."""
    if not (len(hashes) == len(uris) == len(weights)):
        raise InvalidInput(f"{len(hashes)} hashes, {len(uris)} tag lists and {len(weights)} weight lists")
    if not len(hashes):
        return 0
    import pandas as pd  # here, not at module level: commands that only read skip it
    frame = pd.DataFrame({"content_hash": [str(h) for h in hashes], "uris": [list(u) for u in uris],
                          "weights": [[float(w) for w in row] for row in weights]})
    frame = frame.drop_duplicates("content_hash")
    with transaction(con):
        with registered(con, "new_tags", frame):
            inserted = con.execute(
                """
                insert into posting_occupations (content_hash, model, occupation_uris, weights, created_at)
                select new_tags.content_hash, $model, new_tags.uris::varchar[], new_tags.weights::float[], $now
                from new_tags
                anti join (select content_hash from posting_occupations where model = $model) as tagged
                    on tagged.content_hash = new_tags.content_hash
                returning content_hash
                """,
                {"model": model, "now": utcnow()},
            ).fetchall()
    return len(inserted)


def forget_occupation_tags(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> int:
    """Drop the occupation tags stored under `keys` (e.g. those of an older tagger); returns how many."""
    if not keys:
        return 0
    with transaction(con):
        return len(con.execute("delete from posting_occupations where list_contains($keys, model) returning 1",
                               {"keys": list(keys)}).fetchall())


def set_rejection_filters(con: duckdb.DuckDBPyConnection, rejection_id: int, *, atomic: bool = True,
                          **filters) -> dict:
    """Replace the suggestion filters of a rejection (fields: `FILTER_FIELDS`; none given clears them); returns
    them. `atomic=False` when the caller holds a transaction already. Raises `UnknownRejection` for an unknown
    id and `InvalidInput` for an unknown field."""
    get_rejection(con, rejection_id)
    unknown = set(filters) - set(FILTER_FIELDS)
    if unknown:
        raise InvalidInput(f"unknown filter field(s): {', '.join(sorted(unknown))}")
    values = {name: storable(filters.get(name)) for name in FILTER_FIELDS}
    values["exclude_companies"] = list(values["exclude_companies"] or []) or None
    with (transaction(con) if atomic else nullcontext()):
        con.execute("delete from rejection_filters where rejection_id = $id", {"id": int(rejection_id)})
        if any(v is not None and v is not False for v in values.values()):
            con.execute(
                f"""
                insert into rejection_filters (rejection_id, {', '.join(FILTER_FIELDS)}, updated_at)
                values ($id, {', '.join('$' + name for name in FILTER_FIELDS)}, $now)
                """,
                {"id": int(rejection_id), "now": utcnow(), **values},
            )
    return rejection_filters(con, rejection_id)


def rejection_filters(con: duckdb.DuckDBPyConnection, rejection_id: int) -> dict:
    """The suggestion filters of a rejection as a dict of `FILTER_FIELDS` (all None when it has none)."""
    rows = fetch_dicts(con.execute(
        f"select {', '.join(FILTER_FIELDS)} from rejection_filters where rejection_id = $id", {"id": int(rejection_id)}))
    return rows[0] if rows else dict.fromkeys(FILTER_FIELDS)


def record_match_reasons(con: duckdb.DuckDBPyConnection, run_id: str, rejection_id: int,
                         reasons: dict[int, str], *, atomic: bool = True) -> int:
    """Replace the reasons of (run, rejection) by `{posting_id: reason}`; returns how many were stored.
    `atomic=False` when the caller holds a transaction already."""
    import pandas as pd  # here, not at module level: commands that only read skip it
    frame = pd.DataFrame({"posting_id": pd.array([int(p) for p in reasons], dtype="int64"),
                          "reason": [str(r) for r in reasons.values()]})
    params = {"run_id": run_id, "rejection_id": int(rejection_id)}
    with (transaction(con) if atomic else nullcontext()):
        con.execute("delete from match_reasons where run_id = $run_id and rejection_id = $rejection_id", params)
        with registered(con, "new_reasons", frame):
            con.execute(
                """
                insert into match_reasons (run_id, rejection_id, posting_id, reason)
                select $run_id, $rejection_id, posting_id, reason from new_reasons
                """,
                params,
            )
    return len(frame)


def match_reasons(con: duckdb.DuckDBPyConnection, run_id: str, rejection_id: int) -> dict[int, str]:
    """`{posting_id: reason}` stored for one run and rejection."""
    rows = con.execute(
        "select posting_id, reason from match_reasons where run_id = $run_id and rejection_id = $rejection_id",
        {"run_id": run_id, "rejection_id": int(rejection_id)},
    ).fetchall()
    return {int(posting_id): reason for posting_id, reason in rows}
