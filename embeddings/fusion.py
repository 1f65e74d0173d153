"""Combining ranking signals: reciprocal-rank fusion, a weighted blend, and diverse re-ordering."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

RRF_K = 60


def ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each entry of a 1-D score array, highest first; equal scores share the best rank
    (so the many candidates with no occupation in common with the query all rank alike)."""
    ordered = np.sort(-scores)
    return np.searchsorted(ordered, -scores, side="left") + 1


def rrf(components: Mapping[str, np.ndarray], weights: Mapping[str, float], k: int = RRF_K) -> np.ndarray:
    """Reciprocal-rank fusion of score arrays over the same candidates: sum of weight / (k + rank)."""
    total = None
    for name, weight in weights.items():
        if weight:
            part = weight / (k + ranks(components[name]))
            total = part if total is None else total + part
    if total is None:
        raise ValueError("rrf needs at least one component with a non-zero weight")
    return total


def blend(components: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """Weighted sum of score arrays that are already on comparable scales."""
    total = None
    for name, weight in weights.items():
        if weight:
            part = weight * components[name]
            total = part if total is None else total + part
    if total is None:
        raise ValueError("blend needs at least one component with a non-zero weight")
    return total


def scale_by_max(scores: np.ndarray) -> np.ndarray:
    """Scores divided by their maximum (BM25 has no fixed scale; this puts one query's scores in [0, 1])."""
    top = float(scores.max()) if len(scores) else 0.0
    return scores / top if top > 0 else np.zeros_like(scores)


def cap_per_group(order: Sequence[int], groups: Sequence[str | None], cap: int, k: int) -> list[int]:
    """The first `k` of `order` keeping at most `cap` per group; entries whose group is None are never capped.

    If the cap leaves fewer than `k`, the skipped entries fill the rest in their original order, so a
    board with one company still returns k results.
    """
    kept, skipped, seen = [], [], {}
    for item in order:
        group = groups[item]
        if group is None or seen.get(group, 0) < cap:
            kept.append(item)
            if group is not None:
                seen[group] = seen.get(group, 0) + 1
        else:
            skipped.append(item)
        if len(kept) == k:
            return kept
    return (kept + skipped)[:k]


def mmr(scores: np.ndarray, vectors: np.ndarray, k: int, lam: float) -> list[int]:
    """Maximal marginal relevance: greedily pick `lam * score - (1 - lam) * max similarity to those picked`.

    `scores` (n,) and unit `vectors` (n, dim) describe the same candidates; returns k positions.
    """
    k = min(k, len(scores))
    if k == 0:
        return []
    sims = vectors @ vectors.T
    chosen = [int(np.argmax(scores))]
    closest = sims[chosen[0]].copy()
    available = np.ones(len(scores), dtype=bool)
    available[chosen[0]] = False
    while len(chosen) < k:
        value = np.where(available, lam * scores - (1 - lam) * closest, -np.inf)
        pick = int(np.argmax(value))
        chosen.append(pick)
        available[pick] = False
        closest = np.maximum(closest, sims[pick])
    return chosen
