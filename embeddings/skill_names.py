"""ESCO skills named in a text, for counting which skills job ads ask for (the journal's plans).

`embeddings.skills` finds every specific word sequence of the skills' labels: right for saying what two texts
share, too loose for a list of skills in demand ("more than", "so that they"). Here a skill is named by the start
of its labels (two to five words: the preferred label comes first in the packaged file) or by a single word the
labels always write as a name ("Python", "SQL", "Kubernetes", "German"). Such a name counts in a text only where
the text writes it with a capital or a symbol too ("SQL", "c++"), so "join us" is not "US".
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from embeddings.skills import _NAME, _STOP, cached_term_set, packaged_skills_file, skill_labels, words

VERSION = 2  # of the rules below: a change gives a new vocabulary key, so stored skills are read again
MAX_LABEL_WORDS = 5
# A single name in the labels of more skills than this is a vendor or a general word ("Microsoft", "ICT").
MAX_SKILLS_PER_NAME = 12
# Words the labels write as names that in job ads are places, pronouns or job words, never a skill.
NOT_SKILLS = frozenset("""us uk eu ict united north south east west american european latin federal ms am pm st ca
bas sharp docs hero dev etc also anywhere developer builder inc ltd co ii iii id ok edition""".split())
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#.]*[A-Za-z0-9+#]|[A-Za-z0-9]")


def load_skill_names(path: Path | str | None = None, *, cache_dir: Path | str | None = None) -> frozenset[str]:
    """The skill names (words joined by one space; single names spelt as the labels spell them most, "SQL",
    "Python", others in lower case) of the packaged ESCO skills, or of a CSV with the
    same `id,description` columns at `path`; kept in `cache_dir` when given. Raises `OccupationDataError`."""
    return cached_term_set(Path(path or packaged_skills_file()), "skill-names", VERSION, cache_dir, _build_names)


def vocabulary_key(names: frozenset[str]) -> str:
    """A short name of this vocabulary and its version, for keeping skills found with it."""
    digest = hashlib.sha256("\n".join(sorted(names)).encode("utf-8")).hexdigest()
    return f"esco-skill-names-v{VERSION}-{digest[:12]}"


def _build_names(source: Path) -> frozenset[str]:
    labels = skill_labels(source)
    names: set[str] = set()
    spellings: Counter = Counter()
    plain: set[str] = set()
    spread: Counter = Counter()
    found: set[str] = set()
    for blob in labels:
        written = _NAME.findall(blob)
        names.update(w.lower() for w in written)
        spellings.update(written)
        plain.update(re.findall(r"(?<![\w.+#])[a-z]+(?![\w+#])", blob))
        tokens = words(blob)
        spread.update(set(tokens))
        for size in range(2, min(MAX_LABEL_WORDS, len(tokens)) + 1):
            if tokens[0] not in _STOP and tokens[size - 1] not in _STOP and not tokens[size - 1].isdigit():
                found.add(" ".join(tokens[:size]))
    single = {n for n in names - plain
              if len(n) > 1 and spread[n] <= MAX_SKILLS_PER_NAME and n not in NOT_SKILLS}
    spelt = {}
    for word, _ in spellings.most_common():
        spelt.setdefault(word.lower(), word)
    return frozenset(found | {spelt.get(n, n) for n in single})


def _lookup(names: frozenset[str]) -> dict[str, str]:
    if names not in _LOOKUPS:
        _LOOKUPS.clear()  # one vocabulary per process in practice; never keep old ones around
        _LOOKUPS[names] = {n.lower(): n for n in names}
    return _LOOKUPS[names]


_LOOKUPS: dict[frozenset, dict[str, str]] = {}


def skill_names(text: str, names: frozenset[str]) -> list[str]:
    """The skills `text` names, in text order, longest match first (a word is used by one skill only); a single
    word counts only where the text writes it with a capital letter or a symbol."""
    lookup = _lookup(names)
    written = _TOKEN.findall(text or "")
    tokens = [w.lower() for w in written]
    used = [False] * len(tokens)
    found: dict[int, str] = {}
    for size in range(MAX_LABEL_WORDS, 0, -1):
        for start in range(len(tokens) - size + 1):
            if any(used[start:start + size]):
                continue
            term = lookup.get(" ".join(tokens[start:start + size]))
            if term is None:
                continue
            if size == 1 and written[start].islower() and written[start].isalpha():
                continue
            found[start] = term
            used[start:start + size] = [True] * size
    return list(dict.fromkeys(found[i] for i in sorted(found)))
