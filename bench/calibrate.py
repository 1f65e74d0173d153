"""Fit the match-percentage calibration (recommend/data/match_calibration.json) and print its reliability.

The shipped ranker (default `RankerConfig`) is run on the dev sets of bench/quality.py: the top 10 of every query
of the tune half give (fused score, shares the query's occupation) pairs; an isotonic regression
(pool-adjacent-violators) over them is the map. The reliability table is computed on the report half, which the
fit never saw: per band of shown percentage, how many matches and what share really share the occupation.

Run: .venv/bin/python bench/calibrate.py [--n 1000] [--seed 0] [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.quality import FIXTURES, TITLES, cached_encode, dense_source, half, title_world  # noqa: E402
from bench.quality_ads import load_ads, load_labels  # noqa: E402
from embeddings.encoder import load_encoder  # noqa: E402
from embeddings.occupations import OccupationTagger  # noqa: E402
from embeddings.ranker import Ranker, RankerConfig  # noqa: E402
from embeddings.text import posting_text  # noqa: E402
from recommend.calibration import CALIBRATION_FILE, Calibration  # noqa: E402
from recommend.facts import level_of  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "recommend" / "data" / CALIBRATION_FILE
TOP = 10
BANDS = (0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 101)


def pool_adjacent_violators(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Isotonic (non-decreasing) least-squares fit of y on x: the knots (distinct x, fitted y) of the curve.
    Equal x values are pooled first, so every score has one fitted value."""
    xs, inverse = np.unique(x, return_inverse=True)
    sums = np.bincount(inverse, weights=y.astype(float))
    counts = np.bincount(inverse).astype(float)
    blocks: list[list[float]] = []  # [sum of y, count, number of distinct x]
    for s, c in zip(sums, counts):
        blocks.append([s, c, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            s2, c2, n2 = blocks.pop()
            blocks[-1][0] += s2
            blocks[-1][1] += c2
            blocks[-1][2] += n2
    fitted = np.concatenate([np.full(int(n), s / c) for s, c, n in blocks])
    return knots(xs, fitted)


def knots(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The same step curve with only the first and last x of each run of equal y (what np.interp needs)."""
    keep = np.ones(len(x), dtype=bool)
    if len(x) > 2:
        same_before = np.r_[False, y[1:] == y[:-1]]
        same_after = np.r_[y[:-1] == y[1:], False]
        keep = ~(same_before & same_after)
    return x[keep], y[keep]


def title_pairs(encoder, tagger, n, seed, cache, config):
    """Per split: list of per-query lists of (fused score, relevant), best first, on the title set."""
    ranker, titles, labels, levels, queries, doc_label, _, vectors = title_world(encoder, tagger, n, seed, cache)
    out = {}
    for split, positions in queries.items():
        hits = ranker.search([titles[i] for i in positions], TOP, config=config, query_vectors=vectors[positions],
                             query_levels=[levels[i] for i in positions])
        out[split] = [[(h.score, doc_label[h.id] == labels[i]) for h in row] for row, i in zip(hits, positions)]
    return out


def ad_pairs(encoder, tagger, cache, config):
    """Per split: per-query lists of (fused score, relevant) on the hand-labelled full ads."""
    labels = load_labels()
    ads = [a for a in load_ads(FIXTURES) if a.key in labels]
    texts = [posting_text(a.title, a.company, a.description) for a in ads]
    ids = list(range(len(ads)))
    vectors = cached_encode(encoder, texts, cache)
    ranker = Ranker(ids, texts, encoder=encoder, titles=[a.title for a in ads], companies=[a.company for a in ads],
                    tagger=tagger, levels=[level_of(a.title) for a in ads], **dense_source(ids, vectors))
    ad_labels = [labels[a.key] for a in ads]
    out = {"tune": [], "report": []}
    for i in ids:
        hits = ranker.search([texts[i]], TOP, query_titles=[ads[i].title], exclude_ids=[i], config=config,
                             query_vectors=vectors[i:i + 1], query_levels=[level_of(ads[i].title)])[0]
        out[half(ad_labels[i])].append([(h.score, ad_labels[h.id] == ad_labels[i]) for h in hits])
    return out


def reliability(calibration: Calibration, queries) -> list[tuple[str, int, float, float]]:
    """(band, matches, mean shown %, observed % sharing the occupation) per band of shown percentage."""
    shown, truth = [], []
    for row in queries:
        shown += [100 * c for c in calibration.along([s for s, _ in row])]
        truth += [r for _, r in row]
    shown, truth = np.array(shown), np.array(truth, dtype=float)
    table = []
    for lo, hi in zip(BANDS[:-1], BANDS[1:]):
        inside = (shown >= lo) & (shown < hi)
        if inside.any():
            table.append((f"{lo}–{min(hi, 100) - (0 if hi > 100 else 1)} %", int(inside.sum()),
                          float(shown[inside].mean()), float(100 * truth[inside].mean())))
    return table


def main() -> None:
    """Fit on the tune halves, print the reliability of the report halves, and write the map with --write."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/plenty-bench-cache"))
    parser.add_argument("--write", action="store_true", help=f"write the fitted map to {OUT}")
    args = parser.parse_args()
    if not TITLES.exists():
        sys.exit(f"no evaluation data at {TITLES.parent}; this benchmark needs ../shared/data beside the repo")
    encoder = load_encoder(None)
    tagger = OccupationTagger.build(encoder, cache_dir=args.cache)
    config = RankerConfig()
    sets = {"titles": title_pairs(encoder, tagger, args.n, args.seed, args.cache, config),
            "ads": ad_pairs(encoder, tagger, args.cache, config)}
    tune = [pair for rows in (sets["titles"]["tune"], sets["ads"]["tune"]) for row in rows for pair in row]
    x, y = pool_adjacent_violators(np.array([s for s, _ in tune]), np.array([r for _, r in tune], dtype=float))
    fitted_on = (f"bench/calibrate.py --n {args.n} --seed {args.seed}: top {TOP} of the tune half "
                 f"({len(sets['titles']['tune'])} title queries, {len(sets['ads']['tune'])} ad queries, "
                 f"{len(tune)} matches) with the default RankerConfig, model {encoder.model_name}; "
                 "relevant = same ESCO occupation as the query")
    calibration = Calibration(tuple(x.tolist()), tuple(y.tolist()), fitted_on)
    print(fitted_on)
    for name, split in sets.items():
        for part in ("tune", "report"):
            print(f"\n### {name}, {part} half ({len(split[part])} queries)\n\n"
                  "| shown match % | matches | mean shown % | share with the query's occupation |\n|---|---|---|---|")
            for band, count, mean_shown, observed in reliability(calibration, split[part]):
                print(f"| {band} | {count} | {mean_shown:.1f} | {observed:.1f} % |")
    if args.write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps({"fitted_on": fitted_on, "scores": [round(v, 7) for v in x.tolist()],
                                   "chances": [round(v, 4) for v in y.tolist()]}) + "\n", encoding="utf-8")
        print(f"\nwrote {OUT}")


if __name__ == "__main__":
    main()
