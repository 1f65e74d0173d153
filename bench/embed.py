"""Embedding throughput of each encoder option against plain sentence-transformers, on realistic job texts.

    .venv/bin/python bench/embed.py [--n 2000] [--options torch,onnx,onnx-int8,...] [--cache-dir DIR]

For every option: docs/s over the same texts, the ratio to plain `SentenceTransformer.encode` (torch,
default settings) measured in the same run, the mean top-10 neighbour overlap with the plain model (each
text's 10 nearest other texts), the lowest cosine to the plain vector, and one short query's latency.
Plain torch runs first and last; its ratio base is the mean of the two, so drift in machine load over the
run shows up instead of flattering one option.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from quality_ads import load_ads, plain  # noqa: E402

from embeddings.encoder import load_encoder  # noqa: E402
from embeddings.text import posting_text  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
FIXTURES = SHARED / "fixtures"
QUERY = "Senior backend engineer, Python and PostgreSQL, remote in Europe"
OPTIONS = {
    # name: (load_encoder keyword arguments, how to feed the texts)
    "torch": ({"backend": "torch"}, "all"),
    "torch@128": ({"backend": "torch", "max_seq_length": 128}, "all"),
    "onnx": ({"backend": "onnx"}, "all"),
    "onnx-int8": ({"backend": "onnx-int8"}, "all"),
    "onnx-int8-block": ({"backend": "onnx-int8-block"}, "all"),
    "onnx-int8-block unsorted": ({"backend": "onnx-int8-block"}, "chunks"),
    "onnx-int8-block batch 8": ({"backend": "onnx-int8-block", "batch_size": 8}, "all"),
    "onnx-int8-block 1 thread": ({"backend": "onnx-int8-block", "threads": 1}, "all"),
    "onnx-int8 batch 1": ({"backend": "onnx-int8", "batch_size": 1}, "all"),
    "onnx-int8 batch 8": ({"backend": "onnx-int8", "batch_size": 8}, "all"),
    "onnx-int8@128": ({"backend": "onnx-int8", "max_seq_length": 128}, "all"),
    # Smoothed dynamic int8; always one text per run, so no batch-size variants.
    "onnx-int8-smooth": ({"backend": "onnx-int8-smooth"}, "all"),
    "onnx-int8-smooth 3 threads": ({"backend": "onnx-int8-smooth", "threads": 3}, "all"),
    "onnx-int8-smooth 1 thread": ({"backend": "onnx-int8-smooth", "threads": 1}, "all"),
}
DEFAULT_OPTIONS = ["onnx", "onnx-int8", "onnx-int8-block", "onnx-int8-smooth", "onnx-int8@128"]


def job_texts(n: int = 2000) -> tuple[list[str], dict[str, int]]:
    """Up to `n` distinct posting texts (as plenty embeds them) and how many came from each source.

    Real postings first: NHS JSON-LD, ATS 2026 and Lever 2015 fixtures, HN "Who is hiring" comments and
    the demo boards. There are fewer than 2,000 of those, so ESCO occupation profiles (label, description,
    alternative titles: published text about real jobs, but shorter than a posting) fill the rest.
    """
    if not FIXTURES.is_dir():
        raise SystemExit(f"{FIXTURES} is not here: the benchmark reads ../shared beside the repo")
    sources: dict[str, list[str]] = {"postings": [], "hn": [], "demo": [], "esco": []}
    for ad in load_ads(FIXTURES):
        sources["postings"].append(posting_text(ad.title, ad.company, ad.description))
    for path in sorted((FIXTURES / "hn-whoishiring").glob("raw_*.json")):
        for job in json.loads(path.read_text(encoding="utf-8"))["jobs"]:
            text = plain(job.get("text"))
            if len(text) > 200:
                head, _, body = text.partition("\n")
                sources["hn"].append(posting_text(head[:200], None, body or head))
    for path in sorted((REPO / "demo" / "boards").glob("*/*.json")):
        sources["demo"].extend(_demo_board_texts(path))
    with (SHARED / "taxonomies" / "esco-v1" / "occupations_en.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            alt = ", ".join(line for line in row["altLabels"].splitlines() if line)
            sources["esco"].append(posting_text(row["preferredLabel"], None, f"{row['description']} {alt}"))
    texts, counts, seen = [], {}, set()
    for name, items in sources.items():
        for text in items:
            if len(texts) < n and text not in seen:
                seen.add(text)
                texts.append(text)
                counts[name] = counts.get(name, 0) + 1
    return texts, counts


def _demo_board_texts(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    jobs = data.get("jobs", []) if isinstance(data, dict) else data
    texts = []
    for job in jobs:
        title = job.get("title") or job.get("text") or ""
        body = job.get("content") or job.get("descriptionPlain") or job.get("descriptionHtml") or ""
        lists = "\n".join(f"{item.get('text', '')}\n{item.get('content', '')}" for item in job.get("lists", []))
        if title:
            texts.append(posting_text(plain(title), path.stem, plain(f"{body}\n{lists}")))
    return texts


def neighbours(vectors: np.ndarray, k: int = 10) -> np.ndarray:
    """Each row's `k` nearest other rows by inner product, as an (n × k) array of row numbers."""
    scores = vectors @ vectors.T
    np.fill_diagonal(scores, -np.inf)
    return np.argpartition(-scores, k, axis=1)[:, :k]


def overlap(found: np.ndarray, reference: np.ndarray) -> float:
    """Mean share of each row's reference neighbours that `found` also has."""
    k = reference.shape[1]
    return float(np.mean([len(set(a) & set(b)) / k for a, b in zip(found, reference)]))


def measure(name: str, texts: list[str], cache_dir: Path) -> dict:
    """Load option `name`, embed `texts` once (after a short warm-up), time it and a single query."""
    kwargs, feed = OPTIONS[name]
    started = time.perf_counter()
    encoder = load_encoder(cache_dir=cache_dir, **kwargs) if kwargs["backend"] != "torch" else load_encoder(**kwargs)
    load_s = time.perf_counter() - started
    encoder.encode(texts[:16])
    started = time.perf_counter()
    if feed == "chunks":
        vectors = np.vstack([encoder.encode(texts[i:i + 32]) for i in range(0, len(texts), 32)])
    else:
        vectors = encoder.encode(texts)
    elapsed = time.perf_counter() - started
    query_ms = []
    for _ in range(30):
        t0 = time.perf_counter()
        encoder.encode([QUERY])
        query_ms.append((time.perf_counter() - t0) * 1000)
    return {"name": name, "model": encoder.model_name, "docs_per_s": len(texts) / elapsed, "seconds": elapsed,
            "load_s": load_s, "query_ms": statistics.median(query_ms), "vectors": vectors}


def main(argv: list[str] | None = None) -> None:
    """Run the options given and print one markdown table row per option."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="how many texts (default 2000)")
    parser.add_argument("--options", default=",".join(DEFAULT_OPTIONS),
                        help=f"comma-separated option names (known: {', '.join(OPTIONS)})")
    parser.add_argument("--cache-dir", type=Path, default=None, help="ONNX export cache (default: a temp dir)")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.options.split(",") if name.strip()]
    unknown = [name for name in names if name not in OPTIONS]
    if unknown:
        raise SystemExit(f"unknown options {unknown}; known: {', '.join(OPTIONS)}")
    cache_dir = args.cache_dir or Path(tempfile.mkdtemp(prefix="plenty-bench-onnx-"))
    texts, counts = job_texts(args.n)
    tokens = _token_lengths(texts)
    print(f"{len(texts)} texts {counts}; tokens (uncut) median {int(np.median(tokens))}, "
          f"share over 256: {np.mean(tokens > 256):.0%}, over 128: {np.mean(tokens > 128):.0%}", flush=True)
    for name in names:
        if name != "torch" and OPTIONS[name][0]["backend"] != "torch":
            load_encoder(cache_dir=cache_dir, backend="onnx-int8")  # export once, outside the timings
            break
    baseline = measure("torch", texts, cache_dir)
    reference = neighbours(baseline["vectors"])
    print(f"torch (first): {baseline['docs_per_s']:.1f} docs/s", flush=True)
    results = []
    for name in names:
        if name == "torch":
            continue
        result = measure(name, texts, cache_dir)
        results.append(result)
        print(f"{name}: {result['docs_per_s']:.1f} docs/s", flush=True)
    closing = measure("torch", texts, cache_dir)
    base = (baseline["docs_per_s"] + closing["docs_per_s"]) / 2
    print(f"torch (last): {closing['docs_per_s']:.1f} docs/s; ratio base {base:.1f} docs/s\n")
    print("| option | identity | docs/s | × plain torch | top-10 overlap | min cosine | query ms | load s |")
    print("|---|---|---|---|---|---|---|---|")
    for result in [baseline | {"name": "torch (plain, first)"}, *results, closing | {"name": "torch (plain, last)"}]:
        vectors = result["vectors"]
        cosine = float(np.min(np.sum(vectors * baseline["vectors"], axis=1)))
        print(f"| {result['name']} | `{result['model']}` | {result['docs_per_s']:.1f} | "
              f"{result['docs_per_s'] / base:.2f} | {overlap(neighbours(vectors), reference):.3f} | "
              f"{cosine:.4f} | {result['query_ms']:.1f} | {result['load_s']:.1f} |")


def _token_lengths(texts: list[str]) -> np.ndarray:
    from tokenizers import Tokenizer

    from embeddings.encoder import resolve_model

    tokenizer = Tokenizer.from_file(str(Path(resolve_model(None)) / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return np.array([len(e.ids) for e in tokenizer.encode_batch(texts)])


if __name__ == "__main__":
    main()
