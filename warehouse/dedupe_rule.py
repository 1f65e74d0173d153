"""The duplicate rule: when two postings are the same opening, and which of a group is its canonical posting.

Two open postings are one opening when their normalised titles are equal, their locations are compatible and
either
- ``same_company``: their normalised companies are equal and the shorter text is near-contained in the longer
  (containment of word 4-shingles >= ``CONTAINMENT_MIN``; an aggregator's truncated copy still passes), or
- ``copied_text``: their companies differ (an agency's copy, a company spelled another way) but the texts are
  near-identical (Jaccard >= ``JACCARD_MIN``), found through MinHash LSH.
Pure Python and numpy: no database here, so the rule can be measured on any list of postings (bench/dedupe.py).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import numpy as np

# Bump when the rule decides differently: a stored dedupe pass of another version is recomputed.
RULE_VERSION = 1
CONTAINMENT_MIN = 0.8
JACCARD_MIN = 0.9
SHINGLE_WORDS = 4
MIN_SHINGLES = 5  # texts shorter than this (a one-line comment) never decide a duplicate
# Canonical posting of an opening: the employer's own board before an aggregator, then the first seen.
SOURCE_PREFERENCE = ("greenhouse", "lever", "ashby", "workable", "smartrecruiters", "recruitee", "personio",
                     "jsonld", "remotive", "remoteok", "arbeitnow", "hn")

_GENDER_TAGS = re.compile(r"\(?\b[mwfdhx]\s*/\s*[mwfdhx](\s*/\s*[mwfdhx])?\b\)?|\((all genders|gn\*?)\)", re.I)
_NON_WORD = re.compile(r"[^\w]+")
_LOCATION_WORDS_IGNORED = {
    "remote", "hybrid", "onsite", "on", "site", "office", "or", "and", "in", "the", "of", "anywhere", "worldwide",
    "global", "fully", "first", "based", "time", "zone", "zones", "timezone", "timezones", "only", "within",
}
_LOCATION_ALIASES = (
    ("united states of america", "us"), ("united states", "us"), ("usa", "us"), ("u s", "us"),
    ("united kingdom", "gb"), ("uk", "gb"), ("great britain", "gb"), ("england", "gb"),
    ("deutschland", "germany"), ("new york city", "new york"), ("nyc", "new york"),
    ("sf", "san francisco"), ("bay area", "san francisco"),
)


def fold(text: str) -> str:
    """Lowercase ASCII-ish text: accents stripped, runs of non-word characters as single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(_NON_WORD.sub(" ", plain).split())


_WORK_MODE_SUFFIX = re.compile(
    r"\s*(?:[-–—|,:]\s*|\()\s*(?:100%\s*|fully\s+)?(remote|hybrid|on-?site)\)?\s*$", re.IGNORECASE)
_TITLE_WORDS = {"sr": "senior", "jr": "junior", "snr": "senior", "mgr": "manager", "eng": "engineer"}


def title_key(title: str) -> str:
    """A title without gender tags (``(m/w/d)``), a work-mode suffix (``- Remote``), case, accents and punctuation;
    common abbreviations spelled out (``Sr.`` -> ``senior``)."""
    text = _WORK_MODE_SUFFIX.sub("", _GENDER_TAGS.sub(" ", title or "").strip())
    return " ".join(_TITLE_WORDS.get(word, word) for word in fold(text).split())


def company_key(company: str | None) -> str:
    """A company without case, punctuation, spaces or a legal suffix (``Veeam Software GmbH`` -> ``veeamsoftware``)."""
    words = fold(company or "").split()
    while words and words[-1] in {"inc", "llc", "ltd", "limited", "gmbh", "corp", "corporation", "plc", "ag", "sa",
                                  "bv", "srl", "oy", "ab", "co", "mbh"}:
        words.pop()
    return "".join(words)


def location_tokens(location: str) -> frozenset[str]:
    """The place words of one location, work-mode words dropped and common aliases unified."""
    text = f" {fold(location)} "
    for alias, canonical in _LOCATION_ALIASES:
        text = text.replace(f" {alias} ", f" {canonical} ")
    return frozenset(w for w in text.split() if w not in _LOCATION_WORDS_IGNORED)


def place_sets(locations: list[str]) -> list[frozenset[str]]:
    """The place-word sets of a posting's locations (one empty set when it names none)."""
    return [location_tokens(x) for x in locations or []] or [frozenset()]


def locations_compatible(a: list[str] | list[frozenset[str]], b: list[str] | list[frozenset[str]]) -> bool:
    """True when some location of one posting names a subset of the places of some location of the other.

    Takes location strings or their ``place_sets``. An unknown or purely remote location (no place words) is
    compatible with any.
    """
    sets_a = a if a and isinstance(a[0], frozenset) else place_sets(a)
    sets_b = b if b and isinstance(b[0], frozenset) else place_sets(b)
    return any(x <= y or y <= x for x in sets_a for y in sets_b)


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[int]:
    """Hashes (crc32) of the word ``size``-grams of a folded text."""
    words = fold(text).split()
    return frozenset(zlib.crc32(" ".join(words[i:i + size]).encode()) for i in range(max(0, len(words) - size + 1)))


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """How much of the smaller shingle set lies in the larger (0 when either is too short to judge)."""
    if min(len(a), len(b)) < MIN_SHINGLES:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """Jaccard similarity of two shingle sets (0 when either is too short to judge)."""
    if min(len(a), len(b)) < MIN_SHINGLES:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass
class Candidate:
    """What the rule reads of one posting."""

    posting_id: int
    source: str
    title: str
    company: str | None
    locations: list[str]
    description: str
    first_seen_at: object = None

    def __post_init__(self) -> None:
        self.title_key = title_key(self.title)
        self.company_key = company_key(self.company)
        self.shingles = shingles(self.description)
        self.places = place_sets(self.locations)


def same_opening(a: Candidate, b: Candidate) -> tuple[str, float] | None:
    """``(rule, similarity)`` when ``a`` and ``b`` are one opening, else ``None``."""
    if not a.title_key or a.title_key != b.title_key or not locations_compatible(a.places, b.places):
        return None
    if a.company_key and a.company_key == b.company_key:
        similarity = containment(a.shingles, b.shingles)
        return ("same_company", similarity) if similarity >= CONTAINMENT_MIN else None
    similarity = jaccard(a.shingles, b.shingles)
    return ("copied_text", similarity) if similarity >= JACCARD_MIN else None


_PERMUTATIONS = 64
_BANDS = 16  # 16 bands of 4 rows: pairs at Jaccard 0.9 share a band with probability > 0.999
_PRIME = (1 << 61) - 1
_RNG = np.random.default_rng(20261127)
_A = _RNG.integers(1, _PRIME, _PERMUTATIONS, dtype=np.uint64)
_B = _RNG.integers(0, _PRIME, _PERMUTATIONS, dtype=np.uint64)


def minhash(shingle_set: frozenset[int]) -> np.ndarray:
    """A 64-value MinHash signature of a shingle set (universal hashing of the crc32 values)."""
    values = np.fromiter(shingle_set, dtype=np.uint64, count=len(shingle_set))
    # (a * x + b) mod 2^64 is enough to permute 32-bit values for MinHash; the modulus is the machine word.
    hashed = values[:, None] * _A[None, :] + _B[None, :]
    return hashed.min(axis=0)


def candidate_pairs(candidates: list[Candidate]) -> set[tuple[int, int]]:
    """Index pairs worth comparing: same title and company, or same title and a shared MinHash LSH band."""
    pairs: set[tuple[int, int]] = set()
    by_title: dict[str, list[int]] = defaultdict(list)
    for index, candidate in enumerate(candidates):
        if candidate.title_key:
            by_title[candidate.title_key].append(index)
    rows = _PERMUTATIONS // _BANDS
    for members in by_title.values():
        if len(members) < 2:
            continue
        by_company: dict[str, list[int]] = defaultdict(list)
        buckets: dict[tuple, list[int]] = defaultdict(list)
        for index in members:
            candidate = candidates[index]
            if candidate.company_key:
                by_company[candidate.company_key].append(index)
            if len(candidate.shingles) >= MIN_SHINGLES:
                signature = minhash(candidate.shingles)
                for band in range(_BANDS):
                    buckets[(band, signature[band * rows:(band + 1) * rows].tobytes())].append(index)
        for group in list(by_company.values()) + list(buckets.values()):
            pairs.update(combinations(sorted(set(group)), 2))
    return pairs


def canonical_order(candidate: Candidate) -> tuple:
    """Sort key choosing an opening's canonical posting: preferred source, first seen, lowest id."""
    rank = SOURCE_PREFERENCE.index(candidate.source) if candidate.source in SOURCE_PREFERENCE else len(
        SOURCE_PREFERENCE)
    return (rank, str(candidate.first_seen_at or ""), candidate.posting_id)


def find_duplicates(candidates: list[Candidate]) -> list[tuple[int, int, str, float]]:
    """``(posting_id, canonical_posting_id, rule, similarity)`` for every posting that duplicates another.

    Matches are joined transitively (union-find); each group's canonical posting gets no row.
    """
    parent = list(range(len(candidates)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    evidence: dict[int, tuple[str, float]] = {}
    for i, j in sorted(candidate_pairs(candidates)):
        if root(i) == root(j) and i in evidence and j in evidence:
            continue  # already one opening: big groups of identical copies need no more comparisons
        match = same_opening(candidates[i], candidates[j])
        if match is None:
            continue
        parent[root(j)] = root(i)
        for k in (i, j):
            if k not in evidence or match[1] > evidence[k][1]:
                evidence[k] = match
    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(candidates)):
        groups[root(index)].append(index)
    rows = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda k: canonical_order(candidates[k]))
        head = candidates[members[0]].posting_id
        for k in members[1:]:
            rule, similarity = evidence[k]
            rows.append((candidates[k].posting_id, head, rule, round(similarity, 4)))
    return sorted(rows)
