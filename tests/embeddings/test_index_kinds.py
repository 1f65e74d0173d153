"""Exact while small, IVF past a threshold: the choice by count, the switch in sync, IVF save/load/remove."""

import json

import numpy as np
import pytest

from embeddings import index_kinds
from embeddings.index import VectorIndex

DIM = 16


def unit_vectors(n, seed=0):
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def ids_for(n, start=1):
    return (np.arange(start, start + n, dtype=np.int64) * 2**40) + 3  # large, sparse int64 ids


def test_build_picks_the_kind_by_count():
    small = VectorIndex.build("m", ids_for(100), unit_vectors(100), exact_max=100)
    large = VectorIndex.build("m", ids_for(101), unit_vectors(101), exact_max=100)
    assert (small.kind, small.index_type) == ("exact", "IDMap2,FlatIP")
    assert large.kind == "ivf" and large.index_type.startswith("IVF")
    assert sorted(large.ids().tolist()) == sorted(ids_for(101).tolist())


def test_sync_switches_to_ivf_past_the_threshold_and_back_below_half():
    vectors = unit_vectors(400)
    ids = ids_for(400)
    by_id = dict(zip(ids.tolist(), vectors))
    index = VectorIndex.new("m", DIM, exact_max=300)
    report = index.sync(ids[:300], lambda need: np.array([by_id[i] for i in need.tolist()]))
    assert report.rebuilt_as is None and index.kind == "exact"

    report = index.sync(ids, lambda need: np.array([by_id[i] for i in need.tolist()]))
    assert (report.added, report.rebuilt_as) == (100, index.index_type) and index.kind == "ivf"
    _, found = index.search(vectors, k=1)
    assert (found[:, 0] == ids).mean() > 0.9  # approximate, but a vector nearly always finds itself

    report = index.sync(ids[:200], lambda need: np.array([by_id[i] for i in need.tolist()]))
    assert index.kind == "ivf" and report.rebuilt_as is None  # 200 is not below half of 300: stays
    report = index.sync(ids[:149], lambda need: np.array([by_id[i] for i in need.tolist()]))
    assert (report.removed, report.rebuilt_as, index.kind) == (51, "IDMap2,FlatIP", "exact")
    _, found = index.search(vectors[:149], k=1)
    assert found[:, 0].tolist() == ids[:149].tolist()  # exact again: every vector finds itself


def test_ivf_holds_the_exact_vectors_it_was_given():
    ids, vectors = ids_for(500), unit_vectors(500)
    index = VectorIndex.build("m", ids, vectors, exact_max=0)
    held_ids, held = index_kinds.contents(index._index)
    order = np.argsort(held_ids)
    np.testing.assert_array_equal(held_ids[order], np.sort(ids))
    np.testing.assert_array_equal(held[order], vectors[np.argsort(ids)])


def test_ivf_round_trips_through_save_and_load_and_removes(tmp_path):
    ids, vectors = ids_for(800), unit_vectors(800, seed=3)
    index = VectorIndex.build("m", ids, vectors, exact_max=0)
    index._index.nprobe = 3  # a non-default probe count must survive the round trip
    index.save(tmp_path / "index")
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text())
    assert manifest["index_type"] == index.index_type and manifest["count"] == 800
    assert manifest["params"] == {"nlist": index._index.nlist, "nprobe": 3}

    loaded = VectorIndex.load(tmp_path / "index", expected_model="m")
    assert loaded.kind == "ivf" and loaded._index.nprobe == 3
    assert loaded.ids().tolist() == index.ids().tolist()
    before = loaded.search(vectors[:20], k=5)
    np.testing.assert_array_equal(before[1], index.search(vectors[:20], k=5)[1])

    gone = ids[:10]
    assert loaded.remove(np.append(gone, 12345)) == 10
    assert len(loaded) == 790 and not np.isin(gone, loaded.ids()).any()
    _, found = loaded.search(vectors[:10], k=20)
    assert not np.isin(gone, found).any()
    loaded.add(gone[:2], vectors[:2])
    with pytest.raises(ValueError, match="already in the index"):
        loaded.add(gone[:1], vectors[:1])
    loaded.save(tmp_path / "index")
    again = VectorIndex.load(tmp_path / "index", expected_model="m")
    assert sorted(again.ids().tolist()) == sorted(np.concatenate([ids[10:], gone[:2]]).tolist())


def test_ivf_is_retrained_when_it_outgrows_its_lists():
    vectors, ids = unit_vectors(4000, seed=5), ids_for(4000)
    by_id = dict(zip(ids.tolist(), vectors))
    index = VectorIndex.build("m", ids[:400], vectors[:400], exact_max=100)
    lists = index._index.nlist
    report = index.sync(ids, lambda need: np.array([by_id[i] for i in need.tolist()]))
    assert report.rebuilt_as is not None and index._index.nlist >= 2 * lists
    assert len(index) == 4000


def test_nprobe_is_tuned_to_the_recall_target_on_clustered_vectors():
    rng = np.random.default_rng(7)
    centres = unit_vectors(40, seed=8)
    vectors = centres[rng.integers(0, 40, 6000)] + rng.normal(scale=0.35 / np.sqrt(DIM), size=(6000, DIM))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    ids = ids_for(6000)
    index = VectorIndex.build("m", ids, vectors, exact_max=0)
    inner = index._index
    assert inner.nlist == index_kinds.nlist_for(6000) and 1 <= inner.nprobe < inner.nlist
    queries = unit_vectors(100, seed=9)
    exact = VectorIndex.build("m", ids, vectors, exact_max=6000)
    _, truth = exact.search(queries, 20)
    _, found = index.search(queries, 20)
    assert np.mean([len(set(a) & set(b)) / 20 for a, b in zip(found, truth)]) >= 0.9


def test_list_and_probe_counts_follow_the_size():
    assert index_kinds.nlist_for(100_000) == 1264 and index_kinds.nlist_for(1_000_000) == 4000
    assert index_kinds.nlist_for(200) == 5  # never fewer than ~39 training points per list
    assert index_kinds.nprobe_ladder(5) == [5] and index_kinds.nprobe_ladder(100) == [8, 16, 32, 48, 72, 100]
    # Past 320 lists the first count is 1/40 of them: real new texts need more lists than the tuning queries.
    assert index_kinds.nprobe_ladder(4000)[:3] == [100, 150, 225] and index_kinds.nprobe_ladder(1264)[0] == 32
    assert index_kinds.wanted_kind(index_kinds.EXACT_MAX, "exact") == "exact"
    assert index_kinds.wanted_kind(index_kinds.EXACT_MAX + 1, "exact") == "ivf"
