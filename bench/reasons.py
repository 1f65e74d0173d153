"""What the reason line names, on the hand-labelled dev ads (bench/labels/job_ads.csv, texts from ../shared).

Every labelled ad is a query against all the others with the shipped ranker; for its top 10 the reason line is
made as `plenty similar` makes it. Printed: how often the skills named are generic (in more than
`GENERIC_SHARE` of the ads), their mean IDF, how often a skill leads the line, before (the old rule: the first
four shared skills in text order) and now (rarest first, generic ones never named); then 20 reasons to read.

Run: .venv/bin/python bench/reasons.py [--cache DIR]
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.quality import FIXTURES, cached_encode, dense_source, half  # noqa: E402
from bench.quality_ads import load_ads, load_labels  # noqa: E402
from embeddings.encoder import load_encoder  # noqa: E402
from embeddings.lexical import LexicalIndex  # noqa: E402
from embeddings.occupations import OccupationTagger  # noqa: E402
from embeddings.ranker import Ranker, RankerConfig  # noqa: E402
from embeddings.skills import load_skill_terms, skill_terms  # noqa: E402
from embeddings.text import posting_text  # noqa: E402
from recommend.facts import level_of, specialisms_of  # noqa: E402
from recommend.reasons import GENERIC_SHARE, generic_skills, posting_role, reason, rejected_role  # noqa: E402

OLD_SKILLS_SHOWN = 4


def main() -> None:
    """Rank every labelled ad against the others and print the reason measures and 20 reasons."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/plenty-bench-cache"))
    args = parser.parse_args()
    labels = load_labels()
    ads = [a for a in load_ads(FIXTURES) if a.key in labels]
    if not ads:
        sys.exit(f"no labelled ads under {FIXTURES}; this benchmark needs ../shared/data beside the repo")
    encoder = load_encoder(None)
    tagger = OccupationTagger.build(encoder, cache_dir=args.cache)
    texts = [posting_text(a.title, a.company, a.description) for a in ads]
    vectors = cached_encode(encoder, texts, args.cache)
    lexical = LexicalIndex(texts)
    ids = list(range(len(ads)))
    ranker = Ranker(ids, texts, encoder=encoder, titles=[a.title for a in ads], companies=[a.company for a in ads],
                    tagger=tagger, lexical=lexical, levels=[level_of(a.title) for a in ads],
                    specialisms=[specialisms_of(a.title) for a in ads], **dense_source(ids, vectors))
    terms = load_skill_terms(cache_dir=args.cache)
    skills = [skill_terms(t, terms) for t in texts]
    config = RankerConfig()
    stats = {"old": {"named": [], "lead": 0, "lines": 0}, "new": {"named": [], "lead": 0, "lines": 0}}
    samples = []
    for i in ids:
        query = rejected_role(ads[i].title, ads[i].description, skills[i])
        hits = ranker.search([texts[i]], 10, query_titles=[ads[i].title], exclude_ids=[i], config=config,
                             query_vectors=vectors[i:i + 1], query_levels=[level_of(ads[i].title)],
                             query_specialisms=[specialisms_of(ads[i].title)])[0]
        for hit in hits:
            posting = posting_role({"title": ads[hit.id].title}, skills[hit.id])
            shared = [s for s in posting.skills if s in set(query.skills)]
            old = shared[:OLD_SKILLS_SHOWN]
            line = reason(query, posting, hit.occupations, lexical.share_with)
            new = next((part.removeprefix("shared skills: ").split(", ") for part in line.split("; ")
                        if part.startswith("shared skills: ")), [])
            for name, named in (("old", old), ("new", new)):
                stats[name]["named"] += named
                stats[name]["lines"] += 1
                stats[name]["lead"] += bool(named) and (name == "old" or line.startswith("shared skills"))
            if len(samples) < 20 and i % 9 == 0 and hit is hits[0]:
                samples.append((ads[i].title, ads[hit.id].title, labels[ads[i].key] == labels[ads[hit.id].key],
                                ", ".join(old), line, half(labels[ads[i].key])))
    print(f"{len(ads)} labelled ads, top 10 each; generic = named by more than {GENERIC_SHARE:.0%} of the ads\n")
    print("| rule | reasons | naming a skill first | skills named | in > 15 % of ads | on the generic list |"
          " mean IDF of named |")
    print("|---|---|---|---|---|---|---|")
    for name, s in stats.items():
        shares = np.array([lexical.share_with(x) for x in s["named"]]) if s["named"] else np.array([1.0])
        idf = np.mean([math.log(1 / max(x, 1 / len(ads))) for x in shares])
        listed = np.mean([x in generic_skills() for x in s["named"]]) if s["named"] else 0.0
        print(f"| {name} | {s['lines']} | {s['lead'] / s['lines']:.1%} | {len(s['named'])} | "
              f"{np.mean(shares > GENERIC_SHARE):.1%} | {listed:.1%} | {idf:.2f} |")
    print("\n| query ad | top match | same occupation | old skills | new reason line |\n|---|---|---|---|---|")
    for q, m, same, old, line, _ in samples:
        print(f"| {q} | {m} | {'yes' if same else 'no'} | {old or '—'} | {line} |")


if __name__ == "__main__":
    main()
