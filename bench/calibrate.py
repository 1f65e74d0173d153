"""Fit the match-percentage calibration (recommend/data/match_calibration.json) and print its reliability.

The shipped ranker (default `RankerConfig`: rank fusion plus the raw cosine and occupation agreement) is run on the
dev sets of bench/quality.py: the top 10 of every query of the tune half give (fused score, shares the query's
occupation) pairs; an isotonic regression (pool-adjacent-violators) over them is the curve, one per kind of query
(the hand-labelled ads for a role's ad, the titles for a bare title). The reliability table is computed on the
report half, which the fit never saw: per band of shown percentage, how many matches and what share really share
the occupation. `--grid` compares weights of the raw signals on the tune half only (P@10 and two-fold
cross-fitted calibration inside the half).

Run: .venv/bin/python bench/calibrate.py [--n 1000] [--seed 0] [--grid] [--write]
"""

from __future__ import annotations

import argparse
import hashlib
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
from embeddings.text import TEXT_VERSION, posting_text  # noqa: E402
from recommend.calibration import CALIBRATION_FILE, Calibration  # noqa: E402
from recommend.facts import level_of, specialisms_of  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "recommend" / "data" / CALIBRATION_FILE
TOP = 10
BANDS = (0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 101)


# Fused scores are pooled to this resolution before the fit: the same match scored in float32 differs in the
# 8th digit, and the fit must not give such twins different chances (1e-5 is a cosine step of .001 at weight .01).
RESOLUTION = 1e-5


def pool_adjacent_violators(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Isotonic (non-decreasing) least-squares fit of y on x: the knots (distinct x, fitted y) of the curve.
    Equal x values (to `RESOLUTION`) are pooled first, so every score has one fitted value. Each fitted block's
    share then gets one pseudo-hit and one pseudo-miss (and violators are pooled again): 12 relevant matches of
    12 are shown as 93 %, not as a certainty."""
    xs, inverse = np.unique(np.round(np.asarray(x, dtype=float) / RESOLUTION) * RESOLUTION, return_inverse=True)
    sums = np.bincount(inverse, weights=y.astype(float))
    counts = np.bincount(inverse).astype(float)
    blocks = _pooled([[s, c, 1] for s, c in zip(sums, counts)])  # [sum of y, count, number of distinct x]
    blocks = _pooled([[s + 1, c + 2, n] for s, c, n in blocks])
    fitted = np.concatenate([np.full(int(n), s / c) for s, c, n in blocks])
    return knots(xs, fitted)


def _pooled(blocks: list[list[float]]) -> list[list[float]]:
    """Adjacent blocks merged until their means (sum / count) rise strictly."""
    out: list[list[float]] = []
    for block in blocks:
        out.append(list(block))
        while len(out) > 1 and out[-2][0] / out[-2][1] >= out[-1][0] / out[-1][1]:
            s2, c2, n2 = out.pop()
            out[-1][0] += s2
            out[-1][1] += c2
            out[-1][2] += n2
    return out


def knots(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The same step curve with only the first and last x of each run of equal y (what np.interp needs)."""
    keep = np.ones(len(x), dtype=bool)
    if len(x) > 2:
        same_before = np.r_[False, y[1:] == y[:-1]]
        same_after = np.r_[y[:-1] == y[1:], False]
        keep = ~(same_before & same_after)
    return x[keep], y[keep]


def title_set(encoder, tagger, n, seed, cache):
    """The title set ready to search: a function config -> (per split: per-query lists of (fused score,
    relevant), best first), and the queries' occupations per split."""
    ranker, titles, labels, levels, queries, doc_label, _, vectors = title_world(encoder, tagger, n, seed, cache)

    def pairs(config, splits=("tune", "report")):
        out = {}
        for split in splits:
            positions = queries[split]
            hits = ranker.search([titles[i] for i in positions], TOP, config=config,
                                 query_vectors=vectors[positions], query_levels=[levels[i] for i in positions],
                                 query_specialisms=[specialisms_of(titles[i]) for i in positions])
            out[split] = [[(h.score, doc_label[h.id] == labels[i], h.dense, h.occupation) for h in row]
                          for row, i in zip(hits, positions)]
        return out

    return pairs, {split: [labels[i] for i in positions] for split, positions in queries.items()}


def ad_set(encoder, tagger, cache):
    """The hand-labelled full ads, each against the others, as `title_set` gives the titles."""
    labels = load_labels()
    ads = [a for a in load_ads(FIXTURES) if a.key in labels]
    texts = [posting_text(a.title, a.company, a.description) for a in ads]
    ids = list(range(len(ads)))
    vectors = cached_encode(encoder, texts, cache)
    ranker = Ranker(ids, texts, encoder=encoder, titles=[a.title for a in ads], companies=[a.company for a in ads],
                    tagger=tagger, levels=[level_of(a.title) for a in ads],
                    specialisms=[specialisms_of(a.title) for a in ads], **dense_source(ids, vectors))
    ad_labels = [labels[a.key] for a in ads]
    splits = {"tune": [i for i in ids if half(ad_labels[i]) == "tune"],
              "report": [i for i in ids if half(ad_labels[i]) == "report"]}

    def pairs(config, wanted=("tune", "report")):
        out = {}
        for split in wanted:
            chosen = splits[split]
            out[split] = []
            for i in chosen:
                hits = ranker.search([texts[i]], TOP, query_titles=[ads[i].title], exclude_ids=[i], config=config,
                                     query_vectors=vectors[i:i + 1], query_levels=[level_of(ads[i].title)],
                                     query_specialisms=[specialisms_of(ads[i].title)])[0]
                out[split].append([(h.score, ad_labels[h.id] == ad_labels[i], h.dense, h.occupation) for h in hits])
        return out

    return pairs, {split: [ad_labels[i] for i in chosen] for split, chosen in splits.items()}


def fit(queries) -> Calibration:
    """The isotonic map fitted on per-query lists of (fused score, relevant)."""
    pairs = [pair for row in queries for pair in row]
    x, y = pool_adjacent_violators(np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs], dtype=float))
    return Calibration(tuple(x.tolist()), tuple(y.tolist()))


def folds(queries, labels) -> tuple[list, list]:
    """The queries of one half split in two by another byte of their occupation's hash (a fit on one fold is
    judged on the other, so settings are chosen inside the tune half)."""
    a, b = [], []
    for row, label in zip(queries, labels):
        (a if hashlib.sha256(label.encode()).digest()[1] % 2 == 0 else b).append(row)
    return a, b


def judged(sets: dict[str, list], labels: dict[str, list], fit_on: tuple[str, ...]) -> dict[str, dict]:
    """Two-fold cross-fitted calibration inside one half: the map is fitted on one fold of the sets `fit_on`
    pooled and judged on the other fold, per set and pooled: mean absolute gap between shown and
    observed per band (weighted by matches), Brier score, the highest shown %, and the matches shown at 70 % or
    more with their mean shown and observed share."""
    split = {name: folds(rows, labels[name]) for name, rows in sets.items()}
    shown = {name: [] for name in sets}
    truth = {name: [] for name in sets}
    for train, test in ((0, 1), (1, 0)):
        calibration = fit([row for name in fit_on for row in split[name][train]])
        for name, parts in split.items():
            for row in parts[test]:
                shown[name] += [100 * c for c in calibration.along([p[0] for p in row])]
                truth[name] += [100 * float(p[1]) for p in row]
    shown["pooled"] = [v for name in sets for v in shown[name]]
    truth["pooled"] = [v for name in sets for v in truth[name]]
    out = {}
    for name in shown:
        s, t = np.array(shown[name]), np.array(truth[name])
        gap = sum(abs(s[m].mean() - t[m].mean()) * m.sum()
                  for lo, hi in zip(BANDS[:-1], BANDS[1:]) if (m := (s >= lo) & (s < hi)).any()) / len(s)
        high = s >= 70
        out[name] = {"gap": gap, "brier": float(np.mean((s / 100 - t / 100) ** 2)), "top": float(s.max()),
                     "high": int(high.sum()), "high_shown": float(s[high].mean()) if high.any() else float("nan"),
                     "high_observed": float(t[high].mean()) if high.any() else float("nan")}
    return out


def p_at_10(queries) -> float:
    """Mean share of relevant matches in each query's top 10."""
    return float(np.mean([sum(p[1] for p in row[:TOP]) / TOP for row in queries]))


def reliability(calibration: Calibration, queries) -> list[tuple[str, int, float, float, tuple[float, float]]]:
    """(band, matches, mean shown %, observed % sharing the occupation, its 95 % interval) per band of shown
    percentage."""
    shown, truth = [], []
    for row in queries:
        shown += [100 * c for c in calibration.along([p[0] for p in row])]
        truth += [p[1] for p in row]
    shown, truth = np.array(shown), np.array(truth, dtype=float)
    table = []
    for lo, hi in zip(BANDS[:-1], BANDS[1:]):
        inside = (shown >= lo) & (shown < hi)
        if inside.any():
            table.append((f"{lo}–{min(hi, 100) - (0 if hi > 100 else 1)} %", int(inside.sum()),
                          float(shown[inside].mean()), float(100 * truth[inside].mean()),
                          wilson(int(truth[inside].sum()), int(inside.sum()))))
    return table


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson interval (in %) of a share of hits out of n."""
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half_width = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half_width), 100 * (centre + half_width)


def logistic(features: np.ndarray, y: np.ndarray, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method (a tiny ridge keeps it defined): coefficients, intercept last."""
    x = np.c_[features, np.ones(len(features))]
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + 1e-6 * np.eye(x.shape[1])
        w -= np.linalg.solve(hessian, x.T @ (p - y))
    return w


def grid(title_pairs, ad_pairs, labels) -> None:
    """Tune half only: ranking quality and cross-fitted calibration of RRF plus raw cosine and occupation agreement
    (at level .5, the setting before; bench/quality.py then chose level 1 beside the raw signals)."""
    base = RankerConfig(level=0.5, cosine=0.0, agreement=0.0)
    rows = [p for rows in (title_pairs(base, ("tune",))["tune"], ad_pairs(base, ("tune",))["tune"])
            for row in rows for p in row]
    features = np.array([[p[0], p[2], p[3]] for p in rows])
    w = logistic((features - features.mean(0)) / features.std(0), np.array([p[1] for p in rows], dtype=float))
    w = w[:3] / features.std(0)
    print(f"logistic on the old ranker's (no raw signals) tune top {TOP} (rrf, cosine, agreement): {w.round(3).tolist()}; "
          f"as weights beside rrf: cosine {w[1] / w[0]:.4f}, agreement {w[2] / w[0]:.4f}")
    print("\n| fitted on | cosine | agreement | titles P@10 | ads P@10 | gap titles | gap ads | Brier pooled | "
          "top shown % | "
          "shown >= 70 %: titles | mean shown | observed | ads | mean shown | observed |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for cosine, agreement in SETTINGS:
        config = base.with_(cosine=cosine, agreement=agreement)
        sets = {"titles": title_pairs(config, ("tune",))["tune"], "ads": ad_pairs(config, ("tune",))["tune"]}
        for fit_on in FITS:
            j = judged(sets, {name: by_split["tune"] for name, by_split in labels.items()}, fit_on)
            t, a = j["titles"], j["ads"]
            print(f"| {'+'.join(fit_on)} | {cosine} | {agreement} | {p_at_10(sets['titles']):.3f} | "
                  f"{p_at_10(sets['ads']):.3f} | "
                  f"{t['gap']:.1f} | {a['gap']:.1f} | {j['pooled']['brier']:.4f} | {j['pooled']['top']:.0f} | "
                  f"{t['high']} | {t['high_shown']:.1f} | {t['high_observed']:.1f} | "
                  f"{a['high']} | {a['high_shown']:.1f} | {a['high_observed']:.1f} |", flush=True)


# (cosine, agreement) weights beside the RRF score compared by --grid.
SETTINGS = [(0.0, 0.0), (0.01, 0.0), (0.0, 0.02), (0.01, 0.02), (0.0, 0.05), (0.01, 0.05), (0.02, 0.05),
            (0.0, 0.1), (0.01, 0.1), (0.05, 0.1), (0.0, 0.2)]
# The set each kind of query's curve is fitted on (recommend.calibration.query_kind decides the kind).
KIND_SETS = {"ad": "ads", "title": "titles"}
# Which sets a map is fitted on, compared by --grid.
FITS = [("titles", "ads"), ("ads",), ("titles",)]


def main() -> None:
    """Fit on the tune halves, print the reliability of the report halves, and write the map with --write."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/plenty-bench-cache"))
    parser.add_argument("--write", action="store_true", help=f"write the fitted map to {OUT}")
    parser.add_argument("--grid", action="store_true", help="compare settings on the tune half only")
    args = parser.parse_args()
    if not TITLES.exists():
        sys.exit(f"no evaluation data at {TITLES.parent}; this benchmark needs ../shared/data beside the repo")
    encoder = load_encoder(None)
    tagger = OccupationTagger.build(encoder, cache_dir=args.cache)
    title_pairs, title_labels = title_set(encoder, tagger, args.n, args.seed, args.cache)
    ad_pairs, ad_labels = ad_set(encoder, tagger, args.cache)
    if args.grid:
        grid(title_pairs, ad_pairs, {"titles": title_labels, "ads": ad_labels})
        return
    config = RankerConfig()
    sets = {"titles": title_pairs(config), "ads": ad_pairs(config)}
    maps, notes = {}, {}
    for kind, name in KIND_SETS.items():
        tune = sets[name]["tune"]
        notes[kind] = (f"bench/calibrate.py --n {args.n} --seed {args.seed}: top {TOP} of the {name} tune half "
                       f"({len(tune)} queries, {sum(len(row) for row in tune)} matches)")
        maps[kind] = fit(tune)
    weights = {"cosine": config.cosine, "agreement": config.agreement, "dense": config.dense,
               "lexical": config.lexical, "occupation": config.occupation, "level": config.level,
               "specialism": config.specialism}
    fitted_on = (f"default RankerConfig {weights}, model {encoder.model_name}, embedded text v{TEXT_VERSION}; "
                 "relevant = same ESCO occupation as "
                 "the query; 'ad' curve for a role's title and text, 'title' curve for a bare title")
    print(fitted_on)
    for kind, name in KIND_SETS.items():
        print(f"{kind} curve: {notes[kind]}; {len(maps[kind].scores)} knots, tops at "
              f"{100 * maps[kind].chances[-1]:.0f} %")
    for name, split in sets.items():
        kind = next(k for k, n in KIND_SETS.items() if n == name)
        for part in ("tune", "report"):
            print(f"\n### {name}, {part} half ({len(split[part])} queries, {kind} curve)\n\n"
                  "| shown match % | matches | mean shown % | share with the query's occupation | 95 % interval |"
                  "\n|---|---|---|---|---|")
            for band, count, mean_shown, observed, (low, high) in reliability(maps[kind], split[part]):
                print(f"| {band} | {count} | {mean_shown:.1f} | {observed:.1f} % | {low:.0f}–{high:.0f} % |")
            shown = np.array([100 * c for row in split[part] for c in maps[kind].along([p[0] for p in row])])
            truth = np.array([p[1] for row in split[part] for p in row], dtype=float)
            high = shown >= 70
            if high.any():
                low, top = wilson(int(truth[high].sum()), int(high.sum()))
                print(f"| 70 % or more | {int(high.sum())} | {shown[high].mean():.1f} | "
                      f"{100 * truth[high].mean():.1f} % | {low:.0f}–{top:.0f} % |")
    print(f"\nP@{TOP} (all queries of each half): " + "; ".join(
        f"{name} {part} {p_at_10(split[part]):.3f}" for name, split in sets.items() for part in ("tune", "report")))
    if args.write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps({
            "fitted_on": fitted_on, "ranker": weights,
            "maps": {kind: {"fitted_on": notes[kind], "scores": [round(v, 7) for v in maps[kind].scores],
                            "chances": [round(v, 4) for v in maps[kind].chances]} for kind in maps}}) + "\n",
            encoding="utf-8")
        print(f"\nwrote {OUT}")

if __name__ == "__main__":
    main()
