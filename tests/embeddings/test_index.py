"""VectorIndex: add, remove, search and sync on small random normalised vectors."""

import numpy as np
import pytest

from embeddings.index import SyncReport, VectorIndex

DIM = 16


def unit_vectors(n, seed=0, dim=DIM):
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def filled():
    ids = np.array([5, 2**62 + 7, 11, 3, 900], dtype=np.int64)
    vectors = unit_vectors(len(ids))
    index = VectorIndex.new("test-model", DIM)
    index.add(ids, vectors)
    return index, ids, vectors


def test_each_vector_finds_itself_first_with_score_one(filled):
    index, ids, vectors = filled
    scores, found = index.search(vectors, k=3)
    assert found.shape == (5, 3)
    assert found[:, 0].tolist() == ids.tolist()
    np.testing.assert_allclose(scores[:, 0], 1.0, rtol=1e-5)
    assert (np.diff(scores, axis=1) <= 1e-6).all()


def test_search_matches_brute_force_ranking(filled):
    index, ids, vectors = filled
    query = unit_vectors(1, seed=42)
    scores, found = index.search(query, k=5)
    expected = ids[np.argsort(-(vectors @ query[0]))]
    assert found[0].tolist() == expected.tolist()


def test_k_larger_than_index_returns_only_real_ids(filled):
    index, ids, vectors = filled
    scores, found = index.search(vectors[0], k=50)
    assert found.shape == (1, 5)
    assert -1 not in found
    assert sorted(found[0].tolist()) == sorted(ids.tolist())


def test_search_on_empty_index_returns_empty_rows():
    index = VectorIndex.new("test-model", DIM)
    scores, found = index.search(unit_vectors(2), k=10)
    assert scores.shape == (2, 0) and found.shape == (2, 0)


def test_remove_drops_ids_and_ignores_absent(filled):
    index, ids, vectors = filled
    assert index.remove([11, 123456]) == 1
    assert sorted(index.ids().tolist()) == sorted(set(ids.tolist()) - {11})
    _, found = index.search(vectors[2], k=5)
    assert 11 not in found


def test_add_refuses_duplicate_and_present_ids(filled):
    index, ids, _ = filled
    with pytest.raises(ValueError, match="already in the index"):
        index.add([3], unit_vectors(1, seed=9))
    with pytest.raises(ValueError, match="duplicates"):
        index.add([70, 70], unit_vectors(2, seed=9))
    assert len(index) == 5


def test_add_refuses_wrong_dimension(filled):
    index, _, _ = filled
    with pytest.raises(ValueError, match="shape"):
        index.add([70], unit_vectors(1, dim=DIM + 1))


def test_sync_removes_stale_adds_missing_and_replaces_changed(filled):
    index, ids, vectors = filled
    target = np.array([5, 11, 3, 1000, 1001], dtype=np.int64)
    new_vectors = {int(i): v for i, v in zip([1000, 1001, 3], unit_vectors(3, seed=7))}
    asked = []

    def vectors_for(missing):
        asked.append(sorted(missing.tolist()))
        return np.stack([new_vectors[int(i)] for i in missing])

    report = index.sync(target, vectors_for, changed_ids=[3, 2**62 + 7])
    assert report == SyncReport(added=2, removed=2, updated=1)
    assert asked == [[3, 1000, 1001]]
    assert sorted(index.ids().tolist()) == sorted(target.tolist())
    _, found = index.search(new_vectors[3], k=1)
    assert found[0, 0] == 3
    _, found = index.search(vectors[2], k=1)
    assert found[0, 0] == 11


def test_sync_when_already_in_step_asks_for_nothing(filled):
    index, ids, _ = filled

    def never(missing):
        raise AssertionError(f"asked for {missing}")

    assert index.sync(ids[::-1], never) == SyncReport(added=0, removed=0, updated=0)
    assert len(index) == 5


def test_sync_leaves_index_untouched_when_vectors_fail(filled):
    index, ids, _ = filled

    def failing(missing):
        raise RuntimeError("model crashed")

    with pytest.raises(RuntimeError):
        index.sync([5, 77], failing)
    assert index.ids().tolist() == ids.tolist()


def test_sync_refuses_wrong_number_of_vectors(filled):
    index, ids, _ = filled
    with pytest.raises(ValueError, match="returned 1 vectors for 2 ids"):
        index.sync(np.concatenate([ids, [77, 78]]), lambda missing: unit_vectors(1))
    assert len(index) == 5
