"""Recommendation quality: P@10 and MRR of `embeddings.ranker.Ranker` settings against BM25 and plain MiniLM.

Two sets, both labelled with ESCO occupations ("relevant" = same occupation as the query):
- titles: 15,463 real vacancy titles (../shared/data/eval-dev/jobbert-titles). Occupations are split in two
  halves by a hash of their URI; `--n` queries are sampled from each half (titles whose occupation has another
  title), the rest of the titles are the postings. The "tune" half chose the shipped weights; the "report"
  half was never used for choosing anything.
- ads: full job ads from ../shared/data/fixtures, hand-labelled in bench/labels/job_ads.csv; each ad is a
  query against all the others (the ad itself excluded through `exclude_ids`). Same occupation-hash split.

Beside P@10 and MRR, what ESCO labels cannot reward: the share of top-10 matches two or more seniority levels
from the query's, and the share whose specialism conflicts with the query's (both titles name one of
`recommend.facts.SPECIALISMS` and share none; ESCO gives an iOS and a backend developer one occupation), over all
top-10 matches and over those of the queries that name a specialism.

Run: .venv/bin/python bench/quality.py [--n 1000] [--seed 0] [--grid] [--dense index|memory] [--model M] [--backend B]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.quality_ads import load_ads, load_labels  # noqa: E402
from embeddings.encoder import load_encoder  # noqa: E402
from embeddings.occupations import OccupationTagger  # noqa: E402
from embeddings.ranker import Ranker, RankerConfig  # noqa: E402
from embeddings.text import posting_text, query_text  # noqa: E402
from recommend.facts import level_of as level, specialisms_of  # noqa: E402

# ../shared beside the repo, or where PLENTY_SHARED points (a worktree outside the main checkout's folder).
SHARED = Path(os.environ.get("PLENTY_SHARED") or Path(__file__).resolve().parents[1].parent / "shared") / "data"
TITLES = SHARED / "eval-dev" / "jobbert-titles" / "titles.csv"
FIXTURES = SHARED / "fixtures"
BASE = RankerConfig(fusion="blend", lexical=0.1, occupation=0.2, company_cap=None, level=0.0)
# The rank fusion alone (no raw cosine or agreement added), as the settings before the match % needed them.
RANKS = RankerConfig(cosine=0.0, agreement=0.0)

VARIANTS = {
    "bm25": BASE.with_(fusion="lexical"),
    "minilm": BASE.with_(fusion="dense", lexical=0.0, occupation=0.0),
    "rrf(dense,bm25)": BASE.with_(fusion="rrf", dense=1.0, lexical=1.0, occupation=0.0),
    "rrf(dense,bm25,occ)": BASE.with_(fusion="rrf", dense=1.0, lexical=1.0, occupation=1.0),
    "blend(dense+.1 bm25)": BASE.with_(lexical=0.1, occupation=0.0),
    "blend(dense+.2 occ)": BASE.with_(lexical=0.0, occupation=0.2),
    "expand .3": BASE.with_(fusion="dense", lexical=0.0, occupation=0.0, expand=0.3),
    "blend(dense+.1 bm25+.2 occ)": BASE,
    "blend + company cap 3": BASE.with_(company_cap=3),
    "blend + mmr .7": BASE.with_(mmr=0.7),
    "rrf(dense,bm25,2 occ)": RANKS.with_(company_cap=None, level=0.0),
    "rrf(dense,bm25,2 occ) + company cap 3 (before level)": RANKS.with_(level=0.0),
    "rrf + company cap 3 + level .5 (before raw signals)": RANKS.with_(level=0.5),
    "cap 3 + level 1": RANKS.with_(level=1.0),
    "cap 3 + level 2": RANKS.with_(level=2.0),
    "cap 3 + specialism 1 (no level)": RANKS.with_(level=0.0, specialism=1.0),
    "level .5 + specialism 1": RANKS.with_(level=0.5, specialism=1.0),
    "level .5 + cosine .01 + agreement .05": RANKS.with_(level=0.5, cosine=0.01, agreement=0.05),
    "level .5 + agreement .05": RANKS.with_(level=0.5, agreement=0.05),
    "level .5 + cosine .01 + agreement .1": RANKS.with_(level=0.5, cosine=0.01, agreement=0.1),
    "level .5 + cosine .02 + agreement .05": RANKS.with_(level=0.5, cosine=0.02, agreement=0.05),
    "level .5 + cosine .01 + agreement .02": RANKS.with_(level=0.5, cosine=0.01, agreement=0.02),
    "level .75 + cosine .01 + agreement .05": RANKS.with_(level=0.75, cosine=0.01, agreement=0.05),
    "level 1 + cosine .01 + agreement .05, specialism 0 (before specialism)": RankerConfig().with_(specialism=0.0),
    **{f"level 1 + cosine .01 + agreement .05 + specialism {w:g}": RankerConfig().with_(specialism=w)
       for w in (0.25, 0.5, 1.0, 1.5, 2.0, 3.0)},
    "default: rrf + cap 3 + level 1 + cosine .01 + agreement .05 + specialism": RankerConfig(),
}



def half(uri: str) -> str:
    """Which half an occupation belongs to: 'tune' or 'report', fixed by a hash of its URI."""
    return "tune" if hashlib.sha256(uri.encode()).digest()[0] % 2 == 0 else "report"


def sample(labels: list[str], n: int, seed: int) -> dict[str, np.ndarray]:
    """n positions per half, drawn among items whose occupation occurs at least twice."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    rng = np.random.default_rng(seed)
    out = {}
    for name in ("tune", "report"):
        pool = np.array([i for i, lab in enumerate(labels) if counts[lab] > 1 and half(lab) == name])
        out[name] = np.sort(rng.choice(pool, size=min(n, len(pool)), replace=False))
    return out


def score(hits, query_labels, doc_label, query_levels, doc_level, query_specs=None,
          doc_spec=None) -> tuple[float, float, float, float, float]:
    """Mean P@10, MRR (first relevant within the returned list), the share of top-10 matches two or more
    seniority levels away from their query, and the share of top-10 matches whose specialism conflicts with the
    query's (both name one and share none): over all queries, then over the queries that name a specialism."""
    p10, rr, away, conflicts, named = [], [], [], [], []
    query_specs = query_specs if query_specs is not None else [0] * len(query_labels)
    for row, label, q_level, q_spec in zip(hits, query_labels, query_levels, query_specs):
        relevant = [doc_label[h.id] == label for h in row]
        p10.append(sum(relevant[:10]) / 10)
        first = next((i for i, r in enumerate(relevant) if r), None)
        rr.append(0.0 if first is None else 1.0 / (first + 1))
        away += [abs(doc_level[h.id] - q_level) >= 2 for h in row[:10]]
        clash = [conflict(q_spec, (doc_spec or {}).get(h.id, 0)) for h in row[:10]]
        conflicts += clash
        if q_spec:
            named += clash
    return (float(np.mean(p10)), float(np.mean(rr)), float(np.mean(away)) if away else 0.0,
            float(np.mean(conflicts)) if conflicts else 0.0, float(np.mean(named)) if named else 0.0)


def conflict(query_spec: int, doc_spec: int) -> bool:
    """Whether two specialism bit sets conflict: both name a specialism and they share none."""
    return bool(query_spec and doc_spec and not query_spec & doc_spec)


def cached_encode(encoder, texts: list[str], cache: Path) -> np.ndarray:
    """Encode texts once per model and text list; later runs read the vectors back."""
    key = hashlib.sha256("\x1f".join([encoder.model_name, *texts]).encode()).hexdigest()[:16]
    path = cache / f"vectors-{key}.npy"
    if path.exists():
        return np.load(path)
    vectors = encoder.encode(texts)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


DENSE = {"mode": "index"}


def dense_source(ids, vectors) -> dict:
    """Ranker arguments for the dense side: a FAISS `VectorIndex` over the vectors (as `plenty similar` uses,
    the default) or the vectors in memory (`--dense memory`)."""
    if DENSE["mode"] == "memory":
        return {"vectors": vectors}
    from embeddings.index import VectorIndex

    ids = np.asarray(ids, dtype=np.int64)
    index = VectorIndex.build("bench", ids, vectors)
    position = {int(i): p for p, i in enumerate(ids)}
    return {"dense_search": index.search,
            "vector_lookup": lambda wanted: vectors[[position[int(i)] for i in wanted]]}


def title_world(encoder, tagger, n, seed, cache):
    """The title set ready to search: (ranker over the non-query titles, titles, labels, levels, queries per
    split, doc id -> label, doc id -> level, every title's vector)."""
    with TITLES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    titles = [" ".join(r["vacancyTitle"].split()) for r in rows]
    labels = [r["conceptUri"] for r in rows]
    vectors = cached_encode(encoder, titles, cache)
    queries = sample(labels, n, seed)
    used = np.concatenate(list(queries.values()))
    docs = np.setdiff1d(np.arange(len(titles)), used)
    doc_titles = [titles[i] for i in docs]
    levels = [level(t) for t in titles]
    ranker = Ranker(docs.tolist(), doc_titles, encoder=encoder, tagger=tagger,
                    profiles=tagger.profiles(vectors[docs], doc_titles), levels=[levels[i] for i in docs],
                    specialisms=[specialisms_of(titles[i]) for i in docs],
                    **dense_source(docs, vectors[docs]))
    doc_label = {int(i): labels[i] for i in docs}
    doc_level = {int(i): levels[i] for i in docs}
    return ranker, titles, labels, levels, queries, doc_label, doc_level, vectors


def run_titles(encoder, tagger, n, seed, cache, variants):
    """Title set: yields (split, variant, P@10, MRR, share >= 2 levels away, share of specialism conflicts, the
    same among queries naming a specialism, n_queries, n_queries naming a specialism)."""
    ranker, titles, labels, levels, queries, doc_label, doc_level, vectors = title_world(encoder, tagger, n, seed,
                                                                                         cache)
    for split, positions in queries.items():
        texts = [titles[i] for i in positions]
        q_levels = [levels[i] for i in positions]
        q_specs = [specialisms_of(t) for t in texts]
        doc_spec = {int(i): s for i, s in zip(ranker.ids, ranker.specialisms)}
        for name, config in variants.items():
            hits = ranker.search(texts, 100, config=config, query_vectors=vectors[positions], query_levels=q_levels,
                                 query_specialisms=q_specs)
            yield split, name, *score(hits, [labels[i] for i in positions], doc_label, q_levels, doc_level, q_specs,
                                      doc_spec), len(positions), sum(1 for q in q_specs if q)


def run_ads(encoder, tagger, cache, variants, text_mode="posting"):
    """Ad set: every labelled ad against all the others. Yields what `run_titles` yields."""
    labels = load_labels()
    ads = [a for a in load_ads(FIXTURES) if a.key in labels]
    texts = [ad_text(a, text_mode) for a in ads]
    ids = list(range(len(ads)))
    vectors = cached_encode(encoder, texts, cache)
    levels = [level(a.title) for a in ads]
    ranker = Ranker(ids, texts, encoder=encoder, titles=[a.title for a in ads], companies=[a.company for a in ads],
                    tagger=tagger, levels=levels, specialisms=[specialisms_of(a.title) for a in ads],
                    **dense_source(ids, vectors))
    ad_labels = [labels[a.key] for a in ads]
    doc_label = dict(zip(ids, ad_labels))
    doc_level = dict(zip(ids, levels))
    specs = [specialisms_of(a.title) for a in ads]
    doc_spec = dict(zip(ids, specs))
    counts = {lab: ad_labels.count(lab) for lab in ad_labels}
    for split in ("tune", "report"):
        chosen = [i for i in ids if counts[ad_labels[i]] > 1 and half(ad_labels[i]) == split]
        for name, config in variants.items():
            hits = [ranker.search([texts[i]], 100, query_titles=[ads[i].title], exclude_ids=[i], config=config,
                                  query_vectors=vectors[i:i + 1], query_levels=[levels[i]],
                                  query_specialisms=[specs[i]])[0] for i in chosen]
            yield split, name, *score(hits, [ad_labels[i] for i in chosen], doc_label,
                                      [levels[i] for i in chosen], doc_level, [specs[i] for i in chosen],
                                      doc_spec), len(chosen), sum(1 for i in chosen if specs[i])


def ad_text(ad, mode: str) -> str:
    """The text embedded for an ad under a text-construction variant ("posting": `posting_text`, from the ad's
    first duties/requirements heading on since TEXT_VERSION 2; "whole": the whole ad, the text before it)."""
    if mode == "title":
        return query_text(ad.title, None)
    if mode == "whole":
        return posting_text(ad.title, ad.company, ad.description, from_heading=False)
    if mode.startswith("chars"):
        return posting_text(ad.title, ad.company, ad.description, max_chars=int(mode[5:]), from_heading=False)
    return posting_text(ad.title, ad.company, ad.description)


def print_table(results, title, base=None):
    """Markdown table with the ratio of each variant's P@10 to BM25 (on the same split; `base` gives BM25's
    P@10 per split when it comes from another run, e.g. BM25 over the full ad text)."""
    print(f"\n### {title}\n\n| split | variant | P@10 | MRR | P@10 / BM25 | top 10 >= 2 levels away "
          "| top 10 specialism conflicts | same, queries naming one | queries (naming one) |"
          "\n|---|---|---|---|---|---|---|---|---|")
    base = base or {row[0]: row[2] for row in results if row[1] == "bm25"}
    for split, name, p10, mrr, away, clash, clash_named, n, n_named in results:
        ratio = p10 / base[split] if base.get(split) else float("nan")
        print(f"| {split} | {name} | {p10:.3f} | {mrr:.3f} | {ratio:.2f}x | {away:.1%} | {clash:.1%} "
              f"| {clash_named:.1%} | {n} ({n_named}) |")
    sys.stdout.flush()


def grid():
    """The settings searched on the tune split to pick the default."""
    out = {"bm25": VARIANTS["bm25"]}
    for lexical in (0.05, 0.1, 0.2):
        for occupation in (0.1, 0.2, 0.4):
            out[f"blend l={lexical} o={occupation}"] = BASE.with_(lexical=lexical, occupation=occupation)
    for lexical in (0.5, 1.0):
        for occupation in (0.5, 1.0, 2.0):
            for cap in (None, 3):
                out[f"rrf l={lexical} o={occupation} cap={cap}"] = BASE.with_(
                    fusion="rrf", lexical=lexical, occupation=occupation, company_cap=cap)
    return out


def main() -> None:
    """Parse options, run both sets and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="queries per half of the title set")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/plenty-bench-cache"), help="vector cache directory")
    parser.add_argument("--grid", action="store_true", help="also run the tuning grid (tune split matters)")
    parser.add_argument("--sets", default="titles,ads")
    parser.add_argument("--variants", help="semicolon-separated variant names to run (default: all)")
    parser.add_argument("--ad-texts", default="posting", help="comma list: posting,whole,title,chars500,...")
    parser.add_argument("--model", default=os.environ.get("PLENTY_MODEL") or None,
                        help="sentence-transformers model name or directory (default: PLENTY_MODEL, else the "
                             "packaged all-MiniLM-L6-v2), as for `plenty similar`")
    parser.add_argument("--backend", default=os.environ.get("PLENTY_BACKEND") or None,
                        help="torch, onnx, onnx-int8-smooth, ... (default: PLENTY_BACKEND, else the model's default)")
    parser.add_argument("--dense", choices=("index", "memory"), default="index",
                        help="dense candidates from a FAISS VectorIndex (the CLI's path) or vectors in memory")
    args = parser.parse_args()
    DENSE["mode"] = args.dense
    if not TITLES.exists():
        sys.exit(f"no evaluation data at {SHARED}; this benchmark needs ../shared/data beside the repo")
    started = time.perf_counter()
    encoder = load_encoder(args.model, backend=args.backend)
    tagger = OccupationTagger.build(encoder, cache_dir=args.cache)
    print(f"model {encoder.model_name}; {len(tagger.occupations)} ESCO occupations; python {platform.python_version()}")
    variants = {**VARIANTS, **(grid() if args.grid else {})}
    if args.variants:
        variants = {name: variants[name] for name in args.variants.split(";")}
    if "titles" in args.sets:
        print_table(list(run_titles(encoder, tagger, args.n, args.seed, args.cache, variants)),
                    f"titles (n={args.n} per split, seed {args.seed})")
    if "ads" in args.sets:
        # The baseline is always BM25 over the whole ad text; other text constructions are variants.
        full = list(run_ads(encoder, tagger, args.cache, {"bm25": VARIANTS["bm25"]}, "whole"))
        base = {row[0]: row[2] for row in full}
        for mode in args.ad_texts.split(","):
            print_table(list(run_ads(encoder, tagger, args.cache, variants, mode)), f"full ads (text: {mode})", base)
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
