"""Exact vs IVF FAISS search at 10k, 100k and 1M vectors: build time, size, p50 latency, recall@20.

    .venv/bin/python bench/index.py [--sizes 10000,100000,1000000] [--queries 200] [--sweep]

Vectors are real embeddings where there are enough of them, grown with perturbed copies past that:
~19k real vectors come from embedding the bench/embed.py job texts, the rest of the ESCO occupations
and the JobBERT vacancy titles with the default encoder (cached in the temp dir). A synthetic vector is
a real one moved a random part of the way towards one of its 10 nearest real neighbours, plus Gaussian
noise scaled so a copy sits as far from its origin as a real text's nearest neighbour does (median). The
queries are real vectors held out of every base set. Uniform random vectors would say nothing: they have
no clusters, and IVF recall on them is meaningless.
"""

from __future__ import annotations

import argparse
import csv
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from embed import SHARED, job_texts  # noqa: E402

from embeddings import index_kinds  # noqa: E402
from embeddings.encoder import load_encoder  # noqa: E402
from embeddings.index import VectorIndex  # noqa: E402

K = 20
QUERY_TEXT = "Senior backend engineer, Python and PostgreSQL, remote in Europe"


def real_vectors(encoder) -> np.ndarray:
    """Embeddings of every distinct real text at hand (cached in the temp dir per encoder identity)."""
    cache = Path(tempfile.gettempdir()) / f"plenty-bench-index-{encoder.model_name.replace('/', '_')}.npy"
    if cache.exists():
        return np.load(cache)
    texts, _ = job_texts(100_000)  # every posting, HN comment, demo opening and ESCO occupation
    with (SHARED / "eval-dev" / "jobbert-titles" / "titles.csv").open(encoding="utf-8") as handle:
        titles = [row["vacancyTitle"].strip() for row in csv.DictReader(handle)]
    texts = list(dict.fromkeys(texts + [t for t in titles if t]))
    print(f"embedding {len(texts)} real texts once ...", flush=True)
    vectors = encoder.encode(texts)
    np.save(cache, vectors)
    return vectors


def grow(real: np.ndarray, size: int, rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """`size` vectors: the real ones first, then perturbed copies (see the module docstring)."""
    if size <= len(real):
        return real[:size].copy(), 0.0
    exact = faiss.IndexFlatIP(real.shape[1])
    exact.add(real)
    scores, near = exact.search(real, 11)
    nn_cos = float(np.median(scores[:, 1]))
    extra = size - len(real)
    origin = rng.integers(0, len(real), extra)
    partner = near[origin, rng.integers(1, 11, extra)]
    share = rng.uniform(0.0, 0.5, (extra, 1)).astype(np.float32)
    copies = (1 - share) * real[origin] + share * real[partner]
    copies /= np.linalg.norm(copies, axis=1, keepdims=True)
    # |x + σg| with g ~ N(0, I/d): cos(x, x') ≈ 1/√(1+σ²); pick σ so that equals the real median NN cosine.
    sigma = float(np.sqrt(max(1 / nn_cos**2 - 1, 0.0)))
    copies += sigma * rng.standard_normal(copies.shape, dtype=np.float32) / np.sqrt(real.shape[1])
    copies /= np.linalg.norm(copies, axis=1, keepdims=True)
    return np.vstack([real, copies]), nn_cos


def p50_ms(index: VectorIndex, queries: np.ndarray) -> str:
    """Median ms of one-query searches: through `VectorIndex.search` (one FAISS thread for a few queries),
    then straight on the FAISS index with all its threads, to show why."""
    medians = []
    for search in (lambda q: index.search(q, K), lambda q: index._index.search(q, K)):
        times = []
        for row in queries:
            started = time.perf_counter()
            search(row[None, :])
            times.append((time.perf_counter() - started) * 1000)
        medians.append(statistics.median(times))
    return " / ".join(f"{m:.2f}" for m in medians)


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of each query's true top-k ids that were found."""
    return float(np.mean([len(set(f) & set(t)) / truth.shape[1] for f, t in zip(found, truth)]))


def bench_size(size: int, real: np.ndarray, queries: np.ndarray, sweep: bool, rng) -> list[str]:
    """Measure exact and IVF search on one base set; returns markdown table rows."""
    base, nn_cos = grow(real, size, rng)
    ids = np.arange(1, size + 1, dtype=np.int64) * 7919  # sparse int64 ids, as posting ids are
    rows = []
    started = time.perf_counter()
    exact = VectorIndex.build("bench", ids, base, exact_max=size)
    exact_build = time.perf_counter() - started
    _, truth = exact.search(queries, K)
    exact_ms = p50_ms(exact, queries)
    mb = faiss.serialize_index(exact._index).nbytes / 2**20
    made = f"{len(real):,} real + {size - len(real):,} perturbed" if size > len(real) else "real"
    rows.append(f"| {size:,} | exact `{exact.index_type}` | {exact_build:.1f} | {mb:.0f} | {exact_ms} | 1.000 | {made} |")
    print(rows[-1], flush=True)
    del exact
    gc.collect()
    started = time.perf_counter()
    approx = VectorIndex.build("bench", ids, base, exact_max=0)
    ivf_build = time.perf_counter() - started
    inner = approx._index
    mb = faiss.serialize_index(inner).nbytes / 2**20
    chosen = inner.nprobe
    for nprobe in sorted({chosen, *(index_kinds.nprobe_ladder(inner.nlist) if sweep else [])}):
        inner.nprobe = nprobe
        _, found = approx.search(queries, K)
        ms = p50_ms(approx, queries)
        mark = " (tuned at build)" if nprobe == chosen else ""
        rows.append(f"| {size:,} | `{approx.index_type}` nprobe {nprobe}{mark} | {ivf_build:.1f} | {mb:.0f} | "
                    f"{ms} | {recall(found, truth):.3f} | {made} |")
        print(rows[-1], flush=True)
    inner.nprobe = chosen
    picked = index_kinds.wanted_kind(size, index_kinds.EXACT)
    rows.append(f"| {size:,} | → `VectorIndex.build` picks **{picked}** (threshold {index_kinds.EXACT_MAX:,}) | | | | | |")
    if nn_cos:
        rows.append(f"| {size:,} | (noise calibrated to real median nearest-neighbour cosine {nn_cos:.3f}) | | | | | |")
    return rows


def main(argv: list[str] | None = None) -> None:
    """Run the sizes given and print a markdown table, then the query-encoding latency of `similar`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated base set sizes")
    parser.add_argument("--queries", type=int, default=200, help="held-out real query vectors")
    parser.add_argument("--sweep", action="store_true", help="also measure every probe count tuning tries")
    parser.add_argument("--backend", default=None, help="encoder backend for the real vectors and query timing")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rng = np.random.default_rng(0)
    encoder = load_encoder(backend=args.backend)
    vectors = real_vectors(encoder)
    order = rng.permutation(len(vectors))
    queries, real = vectors[order[:args.queries]], vectors[order[args.queries:]]
    print(f"{len(real):,} real base vectors, {len(queries)} held-out real queries, {faiss.omp_get_max_threads()} "
          f"FAISS threads, model {encoder.model_name}\n")
    table = ["| vectors | index | build s | size MB | p50 ms/query (search / raw FAISS 2 threads) | recall@20 | base set |",
             "|---|---|---|---|---|---|---|"]
    for size in sizes:
        table += bench_size(size, real, queries, args.sweep, rng)
        gc.collect()
    encoder.encode([QUERY_TEXT])
    encode_ms = []
    for _ in range(50):
        started = time.perf_counter()
        encoder.encode([QUERY_TEXT])
        encode_ms.append((time.perf_counter() - started) * 1000)
    print("\n" + "\n".join(table))
    print(f"\nquery encoding ({encoder.model_name}, one {len(QUERY_TEXT)}-char query): "
          f"p50 {statistics.median(encode_ms):.1f} ms")


if __name__ == "__main__":
    main()
