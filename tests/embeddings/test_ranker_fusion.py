"""Fusion helpers: ranks with ties, reciprocal-rank fusion, blend, per-company cap, MMR."""

import numpy as np
import pytest

from embeddings import fusion


def test_ranks_best_first_and_ties_share_the_best_rank():
    assert fusion.ranks(np.array([0.1, 0.9, 0.5, 0.5])).tolist() == [4, 1, 2, 2]


def test_rrf_rewards_agreement_between_signals():
    parts = {"dense": np.array([0.9, 0.8, 0.1]), "lexical": np.array([0.0, 5.0, 4.0])}
    fused = fusion.rrf(parts, {"dense": 1.0, "lexical": 1.0}, k=1)
    # item 1 is 2nd and 1st: beats item 0 (1st and 3rd) and item 2 (3rd and 2nd)
    assert int(np.argmax(fused)) == 1
    assert fused[0] > fused[2]


def test_rrf_ignores_zero_weights_and_needs_one_signal():
    parts = {"dense": np.array([0.2, 0.1]), "lexical": np.array([0.0, 9.0])}
    assert np.argmax(fusion.rrf(parts, {"dense": 1.0, "lexical": 0.0})) == 0
    with pytest.raises(ValueError):
        fusion.rrf(parts, {"dense": 0.0})


def test_blend_is_a_weighted_sum():
    parts = {"dense": np.array([0.5, 0.2]), "occupation": np.array([0.0, 1.0])}
    assert fusion.blend(parts, {"dense": 1.0, "occupation": 0.5}).tolist() == pytest.approx([0.5, 0.7])


def test_scale_by_max_handles_all_zero_scores():
    assert fusion.scale_by_max(np.array([2.0, 1.0])).tolist() == [1.0, 0.5]
    assert fusion.scale_by_max(np.zeros(3)).tolist() == [0.0, 0.0, 0.0]


def test_cap_per_group_keeps_at_most_cap_per_company_then_fills():
    groups = ["a", "a", "a", "b", None, None]
    assert fusion.cap_per_group([0, 1, 2, 3, 4, 5], groups, cap=2, k=5) == [0, 1, 3, 4, 5]
    # fewer than k without the capped ones: the skipped fill the tail in order
    assert fusion.cap_per_group([0, 1, 2], ["a", "a", "a"], cap=1, k=3) == [0, 1, 2]
    assert fusion.cap_per_group([0, 1, 2, 3], ["a", "a", "a", "b"], cap=1, k=2) == [0, 3]


def test_mmr_skips_a_near_duplicate_of_what_was_picked():
    vectors = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    scores = np.array([1.0, 0.95, 0.6])
    assert fusion.mmr(scores, vectors, k=2, lam=0.5) == [0, 2]
    assert fusion.mmr(scores, vectors, k=2, lam=1.0) == [0, 1]
