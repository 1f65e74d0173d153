"""The embedding cache: which postings need vectors, storing them, reading open ones."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.warehouse_rows import con, night, posting, write_feed  # noqa: F401
from warehouse import InvalidInput, check_keys, load_feed, posting_id
from warehouse.vectors import missing_vectors, open_posting_ids, open_posting_vectors, store_vectors

MODEL = "fake-4d"


def load(con, tmp_path, name, records, n):  # noqa: F811
    feed = write_feed(tmp_path / name, records)
    return load_feed(con, feed, source="greenhouse", board="acme", complete=True, crawled_at=night(n))


def unit(rows: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, 4)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def embed_missing(con, seed=0):  # noqa: F811
    missing = missing_vectors(con, MODEL)
    vectors = unit(len(missing), seed)
    store_vectors(con, MODEL, [row[0] for row in missing], vectors)
    return missing, vectors


def test_missing_vectors_lists_each_open_content_hash_once(con, tmp_path):  # noqa: F811
    same = {"title": "Twin", "description": "same text", "url": "u"}
    load(con, tmp_path, "a.jsonl", [posting("1"), posting("2", **same), posting("3", **same)], 0)
    missing = missing_vectors(con, MODEL)
    assert len(missing) == 2
    content_hash, title, company, locations, description = [row for row in missing if row[1] == "Twin"][0]
    assert (company, locations, description) == ("Acme", ["Berlin, Germany"], "same text")
    assert len(content_hash) == 64


def test_stored_vectors_are_not_asked_for_again_and_are_read_back(con, tmp_path):  # noqa: F811
    load(con, tmp_path, "a.jsonl", [posting("1"), posting("2")], 0)
    missing, vectors = embed_missing(con)
    assert missing_vectors(con, MODEL) == []
    assert missing_vectors(con, "another-model") != []
    ids, stored = open_posting_vectors(con, MODEL)
    assert ids.dtype == np.int64 and stored.dtype == np.float32 and stored.shape == (2, 4)
    assert list(ids) == sorted([posting_id("greenhouse", "1"), posting_id("greenhouse", "2")])
    by_hash = dict(zip([row[0] for row in missing], vectors))
    hashes = dict(con.execute("select posting_id, content_hash from postings").fetchall())
    for pid, vector in zip(ids, stored):
        np.testing.assert_allclose(vector, by_hash[hashes[int(pid)]], rtol=1e-6)
    assert store_vectors(con, MODEL, [row[0] for row in missing], vectors) == 0
    assert set(check_keys(con).values()) == {0}


def test_a_changed_posting_needs_a_new_vector_and_closed_ones_are_left_out(con, tmp_path):  # noqa: F811
    load(con, tmp_path, "a.jsonl", [posting("1"), posting("2"), posting("3")], 0)
    embed_missing(con)
    load(con, tmp_path, "b.jsonl", [posting("1", description="rewritten"), posting("2")], 1)
    missing = missing_vectors(con, MODEL)
    assert [row[3:] for row in missing] == [(["Berlin, Germany"], "rewritten")]
    ids, _ = open_posting_vectors(con, MODEL)
    assert list(ids) == [posting_id("greenhouse", "2")]  # 1 waits for its new vector, 3 is closed
    embed_missing(con, seed=1)
    ids, _ = open_posting_vectors(con, MODEL)
    assert list(ids) == list(open_posting_ids(con))
    assert posting_id("greenhouse", "3") not in set(open_posting_ids(con))


def test_an_empty_cache_reads_as_empty_arrays(con):  # noqa: F811
    ids, vectors = open_posting_vectors(con, MODEL)
    assert ids.shape == (0,) and vectors.shape[0] == 0 and vectors.dtype == np.float32


@pytest.mark.parametrize(
    ("hashes", "vectors", "message"),
    [
        (["a", "b"], np.zeros((1, 4), np.float32), "expected 2 vectors"),
        (["a", "a"], np.zeros((2, 4), np.float32), "given twice"),
        (["a"], np.array([[np.nan, 0, 0, 0]], np.float32), "NaN"),
        (["z"], np.zeros((1, 3), np.float32), "4-d vectors cached"),
    ],
)
def test_bad_vectors_are_refused(con, hashes, vectors, message):  # noqa: F811
    store_vectors(con, MODEL, ["seed"], unit(1, 0))
    with pytest.raises(InvalidInput, match=message):
        store_vectors(con, MODEL, hashes, vectors)
    assert con.execute("select count(*) from posting_vectors").fetchone()[0] == 1
