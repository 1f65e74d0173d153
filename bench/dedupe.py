"""Precision and recall of the cross-source duplicate rule (warehouse/dedupe_rule.py).

    .venv/bin/python bench/dedupe.py [--candidates OUT.csv] [--scale N]

Corpus: every posting the spiders read from ../shared/data/fixtures (ATS 2026, all recordings; Lever 2015 demo
board; NHS JSON-LD; HN April 2026 thread), each recording file treated as its own board, so one job recorded in
two files (a full and a truncated copy) is one opening carried by two boards.

Three measurements:
1. fixtures, whole corpus: every pair the rule joins (``find_duplicates``, with its blocking) against the truth
   (same job in two recordings = duplicate; any other joined pair must be labelled in the hand-labelled file).
2. hand-labelled pairs (bench/labels/dedupe_pairs.csv): the rule's verdict on every labelled pair.
3. constructed cross-postings: for each ATS/NHS posting with text, the copies aggregators and agencies make
   (truncated text, gender tag, company suffix, agency name + intro) must be joined; the same ad for another city
   and another title of the same company must not.
``--candidates`` writes the pairs worth labelling (same title, or similar text) for a person to label.
``--scale N`` also times ``find_duplicates`` on the corpus copied N times (each copy another employer and city, so
every title recurs N times with the same text: the LSH buckets' worst case), and with the copies one employer.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from dataclasses import asdict
from itertools import combinations
from pathlib import Path

from scrapy.http import HtmlResponse, TextResponse

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from spiders.sources.arbeitnow import ArbeitnowSpider  # noqa: E402
from spiders.sources.ashby import AshbySpider  # noqa: E402
from spiders.sources.greenhouse import GreenhouseSpider  # noqa: E402
from spiders.sources.hn import HackerNewsSpider  # noqa: E402
from spiders.sources.jsonld import JsonLdSpider  # noqa: E402
from spiders.sources.lever import LeverSpider  # noqa: E402
from spiders.sources.recruitee import RecruiteeSpider  # noqa: E402
from spiders.sources.remoteok import RemoteOkSpider  # noqa: E402
from spiders.sources.remotive import RemotiveSpider  # noqa: E402
from spiders.sources.workable import WorkableSpider  # noqa: E402
from warehouse.dedupe_rule import (  # noqa: E402
    Candidate,
    containment,
    find_duplicates,
    jaccard,
    same_opening,
    title_key,
)

FIXTURES = REPO.parent / "shared" / "data" / "fixtures"
LABELS = REPO / "bench" / "labels" / "dedupe_pairs.csv"
SPIDERS = {"greenhouse": GreenhouseSpider, "lever": LeverSpider, "ashby": AshbySpider, "workable": WorkableSpider,
           "recruitee": RecruiteeSpider, "remotive": RemotiveSpider, "remoteok": RemoteOkSpider,
           "arbeitnow": ArbeitnowSpider}


def _items(results) -> list[dict]:
    return [asdict(r) for r in results if not hasattr(r, "callback")]


def _board_of(entry: dict) -> str:
    path = entry["endpoint"].split()[1].split("?")[0].rstrip("/")
    if entry["source"] == "greenhouse":
        return path.split("/")[-2]
    if entry["source"] == "recruitee":
        return path.split("//")[1].split(".")[0]
    return path.split("/")[-1] if entry["source"] in ("lever", "ashby", "workable") else ""


def corpus() -> list[tuple[str, dict]]:
    """(file key, posting item) of every posting in the fixtures, read by plenty's own spiders."""
    found: list[tuple[str, dict]] = []
    ats = FIXTURES / "ats-2026"
    for entry in json.loads((ats / "manifest.json").read_text(encoding="utf-8")):
        kind, file = entry["source"], ats / entry["file"]
        if kind not in SPIDERS:
            continue
        spider = SPIDERS[kind](board=_board_of(entry) or None)
        response = TextResponse(url=entry["endpoint"].split()[1], body=file.read_bytes(), encoding="utf-8")
        found += [(entry["file"], item) for item in _items(spider.parse(response))]
    lever = FIXTURES / "lever-2015" / "responses" / "leverdemo_mode_json.json"
    response = TextResponse(url="https://api.lever.co/v0/postings/leverdemo?mode=json", body=lever.read_bytes())
    found += [("lever-2015", item) for item in _items(LeverSpider(board="leverdemo").parse(response))]
    spider = JsonLdSpider(board="nhs", urls=["https://www.jobs.nhs.uk/"])
    for file in sorted((FIXTURES / "jsonld-nhs" / "records").glob("*.json")):
        page = f'<script type="application/ld+json">{file.read_text(encoding="utf-8")}</script>'.encode()
        url = f"https://www.jobs.nhs.uk/xi/vacancy/{file.stem}"
        found += [("jsonld-nhs", item) for item in _items(spider.parse(HtmlResponse(url=url, body=page), url))]
    dump = json.loads((FIXTURES / "hn-whoishiring" / "raw_2026-04-28.json").read_text(encoding="utf-8"))
    spider = HackerNewsSpider(board=str(dump["sources"]["who_is_hiring_thread_id"]))
    for job in dump["jobs"]:
        if job["source"] == "who_is_hiring":
            body = json.dumps({"id": job["id"], "text": job["text"], "time": job["time"]}).encode()
            found += [("hn", item) for item in _items(spider.parse_comment(TextResponse(url="https://hn/", body=body)))]
    return found


def key_of(file: str, item: dict) -> str:
    """A posting's key in this benchmark: the recording file and the source's id."""
    return f"{file}|{item['source']}:{item['source_id']}"


def candidates_of(postings: list[tuple[str, dict]]) -> tuple[list[Candidate], dict[int, str]]:
    """Rule candidates (ids by position) and the key of each id."""
    result, keys = [], {}
    for number, (file, item) in enumerate(postings):
        result.append(Candidate(posting_id=number, source=item["source"], title=item["title"], company=item["company"],
                                locations=item["locations"], description=item["description"]))
        keys[number] = key_of(file, item)
    return result, keys


def truth_pairs(postings: list[tuple[str, dict]]) -> set[frozenset[str]]:
    """Pairs known to be one opening: the same source id recorded in two files."""
    by_id: dict[str, list[str]] = {}
    for file, item in postings:
        by_id.setdefault(f"{item['source']}:{item['source_id']}", []).append(key_of(file, item))
    return {frozenset(pair) for keys in by_id.values() for pair in combinations(sorted(set(keys)), 2)}


def read_labels() -> dict[frozenset[str], bool]:
    """The hand labels: {pair of keys: is one opening}."""
    with LABELS.open(encoding="utf-8") as handle:
        return {frozenset((row["key_a"], row["key_b"])): row["label"] == "duplicate" for row in csv.DictReader(handle)}


def joined_pairs(candidates: list[Candidate], keys: dict[int, str]) -> set[frozenset[str]]:
    """Every pair of postings the rule puts in one opening (through the canonical posting of each group)."""
    groups: dict[int, set[int]] = {}
    for dup, canonical, _, _ in find_duplicates(candidates):
        groups.setdefault(canonical, {canonical}).add(dup)
    return {frozenset((keys[a], keys[b])) for members in groups.values() for a, b in combinations(sorted(members), 2)}


def scores(predicted: set, positive: set) -> dict:
    """Precision and recall of predicted pairs against the positive pairs."""
    hits = len(predicted & positive)
    return {"predicted": len(predicted), "positive": len(positive), "true_positive": hits,
            "precision": round(hits / len(predicted), 3) if predicted else None,
            "recall": round(hits / len(positive), 3) if positive else None}


def constructed(postings: list[tuple[str, dict]]) -> dict:
    """The rule on copies made the way aggregators and agencies make them, and on near-miss distinct openings.

    Per employer title (ATS and NHS postings with at least 80 words), five copies that are the same opening and
    three near misses that are not; each counted per variant.
    """
    usable = [(n, item) for n, (_, item) in enumerate(postings)
              if item["source"] != "hn" and len(item["description"].split()) >= 80]
    joined: Counter = Counter()
    totals: Counter = Counter()
    seen: set[tuple] = set()
    for position, (number, item) in enumerate(usable):
        if (item["company"], title_key(item["title"])) in seen:
            continue
        seen.add((item["company"], title_key(item["title"])))
        title, company, places, text = item["title"], item["company"] or "", item["locations"], item["description"]
        other_text = usable[(position + 1) % len(usable)][1]["description"]
        sentences = text.split(". ")
        base = Candidate(number, item["source"], title, company, places, text)
        variants = {
            "copy: truncated 400 chars, (m/w/d), company + GmbH": (True, Candidate(
                -1, "remotive", f"{title} (m/w/d)", f"{company} GmbH", places, text[:400])),
            "copy: title upper-case, no location, 600 chars + footer": (True, Candidate(
                -2, "arbeitnow", title.upper(), company, [], text[:600] + " Find more jobs on Arbeitnow.")),
            "copy: agency name + intro sentence": (True, Candidate(
                -3, "arbeitnow", title, "Hays Recruitment", places,
                "Our client, a leading employer, is hiring. " + text)),
            "copy: title '- Remote', 'Senior' as 'Sr.'": (True, Candidate(
                -4, "remoteok", title.replace("Senior", "Sr.") + " - Remote", company, places, text)),
            "copy: every third sentence left out": (True, Candidate(
                -5, "remotive", title, company, places, ". ".join(s for i, s in enumerate(sentences) if i % 3 != 2))),
            "miss: same ad, another city": (False, Candidate(
                -6, item["source"], title, company, ["Reykjavik, Iceland"], text)),
            "miss: same text, another title": (False, Candidate(
                -7, item["source"], "Head of Partnerships", company, places, text)),
            "miss: same title and place, another ad's text": (False, Candidate(
                -8, item["source"], title, company, places, other_text)),
        }
        for name, (is_copy, variant) in variants.items():
            totals[name] += 1
            joined[name] += same_opening(base, variant) is not None
    copies = sum(totals[n] for n in totals if n.startswith("copy"))
    copies_joined = sum(joined[n] for n in totals if n.startswith("copy"))
    misses_joined = sum(joined[n] for n in totals if n.startswith("miss"))
    return {"employer_titles": totals["miss: same ad, another city"],
            "joined_per_variant": {n: f"{joined[n]}/{totals[n]}" for n in totals},
            "recall": round(copies_joined / copies, 3),
            "precision": round(copies_joined / (copies_joined + misses_joined), 3)}


def candidate_rows(postings: list[tuple[str, dict]]) -> list[dict]:
    """Pairs worth a person's label: same normalised title, or text Jaccard >= 0.3 / containment >= 0.5."""
    candidates, keys = candidates_of(postings)
    rows = []
    for a, b in combinations(candidates, 2):
        same_title = a.title_key and a.title_key == b.title_key
        similar_text = jaccard(a.shingles, b.shingles) >= 0.3 or containment(a.shingles, b.shingles) >= 0.5
        if same_title or similar_text:
            rows.append({"key_a": keys[a.posting_id], "key_b": keys[b.posting_id], "title_a": a.title,
                         "title_b": b.title, "company_a": a.company, "company_b": b.company,
                         "locations_a": "; ".join(a.locations), "locations_b": "; ".join(b.locations),
                         "jaccard": round(jaccard(a.shingles, b.shingles), 3),
                         "containment": round(containment(a.shingles, b.shingles), 3)})
    return rows


def timing(postings: list[tuple[str, dict]], copies: int) -> dict:
    """Seconds ``find_duplicates`` takes on ``copies`` copies of the corpus, copies distinct or all duplicates."""
    result = {}
    for name, same in (("copies_distinct", False), ("copies_duplicate", True)):
        candidates = [Candidate(copy * 100_000 + n, item["source"], item["title"],
                                item["company"] if same else f"{item['company']} {copy}",
                                item["locations"] if same else [f"City {copy}"], item["description"])
                      for copy in range(copies) for n, (_, item) in enumerate(postings)]
        started = time.perf_counter()
        rows = find_duplicates(candidates)
        result[name] = {"postings": len(candidates), "duplicates": len(rows),
                        "seconds": round(time.perf_counter() - started, 1)}
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the three measurements and print them as JSON (or write the candidate pairs)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=Path, help="write the pairs worth labelling to this CSV and stop")
    parser.add_argument("--scale", type=int, default=0, help="also time the rule on the corpus copied N times")
    args = parser.parse_args(argv)
    if not FIXTURES.exists():
        print(f"{FIXTURES} is absent", file=sys.stderr)
        return 1
    postings = corpus()
    if args.candidates:
        rows = candidate_rows(postings)
        with args.candidates.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        print(f"{len(rows)} candidate pairs written to {args.candidates}")
        return 0
    candidates, keys = candidates_of(postings)
    labels = read_labels()
    truth = truth_pairs(postings) | {pair for pair, is_dup in labels.items() if is_dup}
    joined = joined_pairs(candidates, keys)
    unlabelled = [sorted(pair) for pair in joined - truth if pair not in labels]
    by_key = {keys[c.posting_id]: c for c in candidates}
    verdicts = {pair: same_opening(*(by_key[k] for k in sorted(pair))) is not None for pair in labels}
    labelled = scores({p for p, v in verdicts.items() if v}, {p for p, dup in labels.items() if dup})
    labelled["pairs"] = len(labels)
    labelled["errors"] = [sorted(p) for p, v in verdicts.items() if v != labels[p]]
    report = {
        "corpus": {"postings": len(postings), "by_source": dict(Counter(item["source"] for _, item in postings))},
        "fixtures_whole_corpus": dict(scores(joined, truth), unlabelled_joined_pairs=unlabelled),
        "hand_labelled_pairs": labelled,
        "constructed_cross_postings": constructed(postings),
    }
    if args.scale:
        report["timing"] = timing(postings, args.scale)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
