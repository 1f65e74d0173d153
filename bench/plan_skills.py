"""What `plenty analyse` puts under "to build next": skills ranked by demand x IDF (the shipped rule) against
the naive rule (ranked by how many of the similar openings ask for the skill), on real recorded ads.

Every sixth ad with a description in the ../shared fixtures (NHS JSON-LD, ATS 2026, Lever 2015) becomes a
rejected role; the other ads are imported into a fresh data home with `plenty import` (the real packaged model);
each rejection is analysed through `journal.analysis.analyse_rejection` (its top 50 openings, no CV, so every
skill in demand is a candidate). For the top 10 (the plan) and the top 3 (the digest's next steps) of each rule,
printed: the mean share of all open postings naming the listed skills (lower: rarer), how many are named by more
than 5 % of all postings (generic here), the mean lift (share among the rejection's openings / share among all:
above 1, the skill sets these openings apart), and how far the two lists agree; then the two lists for 8
rejections to read.

Run: .venv/bin/python bench/plan_skills.py [--top 50]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.quality import FIXTURES  # noqa: E402
from bench.quality_ads import load_ads  # noqa: E402

GENERIC = 0.05  # named by more than this share of all open postings (the most common skill here: about 10 %)
EVERY = 6
SHOWN = (10, 3)


def count_rule(skills: list[dict], openings: int, top: int) -> list[dict]:
    """The naive ranking: skills in demand the profile lacks, most asked first (same floor as the shipped rule)."""
    least = 1 if openings < 10 else 2
    kept = [s for s in skills if not s["have"] and s["openings"] >= least]
    return sorted(kept, key=lambda s: (-s["openings"], s["skill"]))[:top]


def measures(lists: list[tuple[list[dict], int]]) -> dict:
    """Mean share of all postings, share generic and mean lift of the skills in `lists` ((skills, openings))."""
    shares, lifts = [], []
    for skills, openings in lists:
        for s in skills:
            shares.append(s["share_of_all_openings"])
            lifts.append((s["openings"] / openings) / max(s["share_of_all_openings"], 1e-9))
    shares = np.array(shares) if shares else np.array([0.0])
    return {"named": len(lifts), "share": float(shares.mean()), "generic": float((shares > GENERIC).mean()),
            "lift": float(np.mean(lifts)) if lifts else 0.0}


def main() -> None:
    """Import the corpus, analyse every held-out ad as a rejection, print the two rules' measures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=50, help="openings per plan (plenty analyse's default: 50)")
    args = parser.parse_args()
    ads = load_ads(FIXTURES)
    if not ads:
        sys.exit(f"no ads under {FIXTURES}; this benchmark needs ../shared/data beside the repo")
    queries = ads[::EVERY]
    corpus = [a for i, a in enumerate(ads) if i % EVERY]
    from datahome.settings import load_settings
    from embeddings.encoder import load_encoder
    from journal.analysis import analyse_rejection
    from journal.rejections import record_rejection
    from warehouse.db import connect

    with tempfile.TemporaryDirectory(prefix="plenty-bench-plan-") as tmp:
        home = Path(tmp) / "home"
        feed = Path(tmp) / "ads.jsonl"
        feed.write_text("".join(json.dumps({"title": a.title, "company": a.company, "description": a.description,
                                            "url": f"https://ads.example/{a.key}"}) + "\n" for a in corpus),
                        encoding="utf-8")
        started = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("plenty")), "import", str(feed), "--skip-bad"],
                       check=True, env={**os.environ, "PLENTY_HOME": str(home)}, stdout=subprocess.DEVNULL)
        imported = time.perf_counter() - started
        settings = load_settings(home)
        with connect(settings.db_path) as con:
            ids = [record_rejection(con, title=q.title, company=q.company, text=q.description) for q in queries]
        encoder = load_encoder(None)
        started = time.perf_counter()
        plans = [analyse_rejection(settings, rid, top=args.top, encoder=encoder) for rid in ids]
        analysed = time.perf_counter() - started
    print(f"{len(corpus)} open postings imported ({imported:.0f} s), {len(queries)} rejections analysed "
          f"({analysed / len(queries):.2f} s each), top {args.top} openings each; generic = named by more than "
          f"{GENERIC:.0%} of all open postings\n")
    print("| list | rule | skills listed | mean share of all postings | generic | mean lift | same skills as the "
          "other rule |")
    print("|---|---|---|---|---|---|---|")
    for top in SHOWN:
        idf = [(p["to_build"][:top], p["openings"]) for p in plans if p["openings"]]
        naive = [(count_rule(p["skills"], p["openings"], top), p["openings"]) for p in plans if p["openings"]]
        agree = np.mean([len({s["skill"] for s in a} & {s["skill"] for s in b}) / max(len(a), 1)
                         for (a, _), (b, _) in zip(idf, naive)])
        name = "plan (top 10)" if top == 10 else "digest (top 3)"
        for rule, lists in (("count", naive), ("count x IDF", idf)):
            m = measures(lists)
            print(f"| {name} | {rule} | {m['named']} | {m['share']:.1%} | {m['generic']:.1%} | {m['lift']:.2f} | "
                  f"{agree:.0%} |")
    common = {}
    for plan in plans:
        common.update({s["skill"]: s["share_of_all_openings"] for s in plan["skills"]})
    print("\nThe most common skills of all open postings: " + ", ".join(
        f"{skill} {share:.1%}" for skill, share in sorted(common.items(), key=lambda x: (-x[1], x[0]))[:10]))
    print("\n| rejected role | openings | count (top 5) | count x IDF (top 5) |\n|---|---|---|---|")
    for query, plan in list(zip(queries, plans))[::max(len(plans) // 8, 1)][:8]:
        naive = count_rule(plan["skills"], plan["openings"], 5)
        print(f"| {query.title} | {plan['openings']} | {named(naive)} | {named(plan['to_build'][:5])} |")


def named(skills: list[dict]) -> str:
    """The skills as 'name (openings)'."""
    return ", ".join(f"{s['skill']} ({s['openings']})" for s in skills) or "—"


if __name__ == "__main__":
    main()
