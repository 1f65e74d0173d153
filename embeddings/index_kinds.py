"""The two kinds of FAISS index a `VectorIndex` holds, and which one fits how many vectors.

Exact: `IndexIDMap2(IndexFlatIP)`, every query compares against every vector. Approximate: `IndexIVFFlat`
(inner product) holding the int64 ids itself, which keeps `add_with_ids` and `remove_ids` working (an
IDMap over an IVF cannot remove: it assumes the inner index renumbers like a flat one does; HNSW cannot
remove at all).

The threshold comes from bench/index.py: on a busy 2-core machine one exact query took 0.5 ms over 10k
vectors but 33 ms over 100k, against 0.4 ms for the tuned IVF (recall@20 0.96), and `similar` must also
encode its query within 50 ms. The probe count is tuned on each build against exact search over the
index's own vectors (`tune_nprobe`), so recall@20 holds whatever the data looks like; the manifest
records it.
"""

from __future__ import annotations

import math

import faiss
import numpy as np

EXACT = "exact"
IVF = "ivf"
# Past this many vectors a (re)built index is approximate; below half of it, exact again (the gap keeps a
# collection hovering at the threshold from being rebuilt every night).
EXACT_MAX = 50_000
# k-means wants ~39 points per list at least; more than this many per list only slows training down.
_MIN_POINTS_PER_LIST = 39
_MAX_POINTS_PER_LIST = 64
K = 20
# Tuning aims above the 0.95 goal, for a margin between its synthetic queries and real new texts.
TUNING_RECALL = 0.97
TUNING_QUERIES = 200
# Fewest lists searched, as a share of all lists. The tuning queries can be easier than real new texts: at 1M
# vectors (bench/index.py) tuning stopped at 8 of 4,000 lists where held-out real queries found only 0.91 of
# their top 20; at 100k, 32 of 1,264 lists (2.5 %) gave held-out queries 0.96.
MIN_PROBE_SHARE = 1 / 40


def nlist_for(count: int) -> int:
    """Inverted lists for `count` vectors: ~4·√n, with enough points per list to train on."""
    return max(1, min(int(4 * math.sqrt(count)), count // _MIN_POINTS_PER_LIST))


def nprobe_ladder(nlist: int) -> list[int]:
    """The probe counts `tune_nprobe` tries, smallest first: from `MIN_PROBE_SHARE` of the lists (at least 8),
    doubling, then growing by half, ending at `nlist` (exhaustive)."""
    ladder, nprobe = [], max(8, math.ceil(nlist * MIN_PROBE_SHARE))
    while nprobe < nlist:
        ladder.append(nprobe)
        nprobe = nprobe * 3 // 2 if nprobe >= 32 else nprobe * 2
    return ladder + [nlist]


def tune_nprobe(index: faiss.IndexIVF, ids: np.ndarray, vectors: np.ndarray, target: float = TUNING_RECALL) -> float:
    """Set `index.nprobe` to the smallest count whose recall@20 against exact search reaches `target`.

    Queries stand for new texts: 200 stored vectors (fixed seed) each pushed away by Gaussian noise until
    it sits as far from its origin as stored vectors sit from their nearest neighbour (median). Stored
    vectors themselves are too easy: at 1M vectors they reached 0.97 at 8 probes where held-out real
    queries got 0.90. Returns the recall measured at the chosen count.
    """
    rng = np.random.default_rng(0)
    rows = rng.choice(len(vectors), min(TUNING_QUERIES, len(vectors)), replace=False)
    origins = np.ascontiguousarray(vectors[rows])
    k = min(K, len(vectors))
    scores, _ = _exact_top(origins, vectors, min(2, len(vectors)))
    nearest = float(np.median(np.sort(scores, axis=1)[:, 0])) if len(vectors) > 1 else 1.0
    sigma = float(np.sqrt(max(1.0 / max(nearest, 1e-3) ** 2 - 1.0, 0.0)))
    queries = origins + sigma * rng.standard_normal(origins.shape).astype(np.float32) / np.sqrt(vectors.shape[1])
    queries = np.ascontiguousarray(queries / np.linalg.norm(queries, axis=1, keepdims=True), dtype=np.float32)
    _, truth_rows = _exact_top(queries, vectors, k)
    truth = [set(ids[r].tolist()) for r in truth_rows]
    measured = 1.0
    for nprobe in nprobe_ladder(index.nlist):
        index.nprobe = nprobe
        _, found = index.search(queries, k)
        measured = float(np.mean([len(t & set(f.tolist())) / len(t) for t, f in zip(truth, found)]))
        if measured >= target:
            break
    return measured


def wanted_kind(count: int, current: str, exact_max: int = EXACT_MAX) -> str:
    """Which kind of index `count` vectors should be in, given the kind they are in now."""
    if current == IVF:
        return EXACT if count < exact_max // 2 else IVF
    return IVF if count > exact_max else EXACT


def kind_of(faiss_index: faiss.Index) -> str:
    """`EXACT` or `IVF` for an index made here."""
    return IVF if isinstance(faiss_index, faiss.IndexIVF) else EXACT


def new_exact(dim: int) -> faiss.Index:
    """An empty exact inner-product index with an id map."""
    return faiss.IndexIDMap2(faiss.IndexFlatIP(int(dim)))


def new_ivf(ids: np.ndarray, vectors: np.ndarray, nlist: int | None = None) -> faiss.IndexIVFFlat:
    """An inner-product IVF index trained on (a sample of) `vectors` and holding them under `ids`."""
    count, dim = vectors.shape
    nlist = nlist or nlist_for(count)
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    index.cp.min_points_per_centroid = 1  # small sets (tests) train without FAISS's warning
    sample = vectors
    if count > nlist * _MAX_POINTS_PER_LIST:
        rows = np.random.default_rng(0).choice(count, nlist * _MAX_POINTS_PER_LIST, replace=False)
        sample = vectors[np.sort(rows)]
    index.train(np.ascontiguousarray(sample))
    index.add_with_ids(vectors, ids)
    tune_nprobe(index, ids, vectors)
    return index


def _exact_top(queries: np.ndarray, vectors: np.ndarray, k: int, chunk: int = 65536) -> tuple[np.ndarray, np.ndarray]:
    """(scores, row numbers) of each query's `k` best vectors, chunk by chunk (no second copy of the vectors)."""
    best_scores = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_rows = np.empty((len(queries), 0), dtype=np.int64)
    for start in range(0, len(vectors), chunk):
        scores = np.hstack([best_scores, queries @ vectors[start:start + chunk].T])
        rows = np.hstack([best_rows, np.arange(start, min(start + chunk, len(vectors)))[None, :]
                          .repeat(len(queries), axis=0)])
        keep = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        best_scores = np.take_along_axis(scores, keep, axis=1)
        best_rows = np.take_along_axis(rows, keep, axis=1)
    return best_scores, best_rows


def needs_retraining(faiss_index: faiss.Index, count: int) -> bool:
    """Whether an IVF index has grown or shrunk so far that its lists no longer fit its size."""
    if kind_of(faiss_index) != IVF:
        return False
    return not 0.5 <= nlist_for(count) / faiss_index.nlist <= 2.0


def ids_of(faiss_index: faiss.Index) -> np.ndarray:
    """Every id held: insertion order for an exact index, list by list for an IVF one."""
    if kind_of(faiss_index) == EXACT:
        return faiss.vector_to_array(faiss_index.id_map).astype(np.int64, copy=False)
    lists = faiss_index.invlists
    parts = [faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)).copy()
             for i in range(faiss_index.nlist) if lists.list_size(i)]
    return np.concatenate(parts).astype(np.int64, copy=False) if parts else np.empty(0, dtype=np.int64)


def contents(faiss_index: faiss.Index) -> tuple[np.ndarray, np.ndarray]:
    """(ids, vectors) of everything held, in the order of `ids_of`: what a rebuild of another kind needs."""
    dim = faiss_index.d
    if kind_of(faiss_index) == EXACT:
        vectors = faiss_index.index.reconstruct_n(0, faiss_index.ntotal) if faiss_index.ntotal else None
        return ids_of(faiss_index), _rows(vectors, dim)
    lists = faiss_index.invlists
    parts = []
    for i in range(faiss_index.nlist):
        size = lists.list_size(i)
        if size:
            codes = faiss.rev_swig_ptr(lists.get_codes(i), size * lists.code_size)
            parts.append(np.frombuffer(codes, dtype=np.float32).reshape(size, dim).copy())
    return ids_of(faiss_index), _rows(np.vstack(parts) if parts else None, dim)


def describe(faiss_index: faiss.Index) -> tuple[str, dict]:
    """The manifest's `index_type` and the parameters that shape search results."""
    if kind_of(faiss_index) == IVF:
        return f"IVF{faiss_index.nlist},Flat", {"nlist": int(faiss_index.nlist), "nprobe": int(faiss_index.nprobe)}
    inner = faiss.downcast_index(faiss_index.index)
    return f"IDMap2,{type(inner).__name__.removeprefix('Index')}", {}


def _rows(vectors, dim: int) -> np.ndarray:
    if vectors is None:
        return np.empty((0, dim), dtype=np.float32)
    return np.ascontiguousarray(vectors, dtype=np.float32)
