"""What a recommender keeps between queries while the warehouse's ranking corpus is unchanged: the corpus, its
ranker, every posting's vector and level, the company grouping, the company profiles built so far and the shown
fields of every posting, so a warm query reads nothing from the warehouse."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from recommend.companies import CompanyProfile, build_profile, group_positions
from recommend.errors import RecommendError
from recommend.facts import level_of

# The fields of a posting that `plenty similar` shows, as `warehouse.matches.posting_details` names them; the
# ranking corpus reads them with the rest, so a shown posting needs no query of its own.
SHOWN_FIELDS = ("posting_id", "title", "company", "company_id", "location", "locations", "is_remote", "url",
                "source", "board", "source_id", "department", "employment_type", "salary_min", "salary_max",
                "salary_currency", "salary_period", "credit", "posted_at", "first_seen_at", "last_seen_at",
                "closed_at")


@dataclass
class Prepared:
    """One read of the ranking corpus with everything built over it; position i of every array is `corpus.ids[i]`."""

    version: tuple
    corpus: object  # corpus.ranking.Corpus
    vectors: np.ndarray
    levels: list[int]
    groups: dict[str, np.ndarray]
    ranker: object = None  # embeddings.ranker.Ranker, set by `attach_ranker`
    index_stamp: tuple | None = None  # of the index the ranker searches
    _profiles: dict[str, CompanyProfile] = field(default_factory=dict)
    _terms: dict[int, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, version: tuple, corpus, vectors: np.ndarray) -> "Prepared":
        """The prepared corpus from its read (`version`: the warehouse's fingerprint of it) and the vectors of its
        postings in its order. Raises `RecommendError` when the vectors do not match the corpus."""
        if len(vectors) != len(corpus.ids):
            raise RecommendError(f"{len(corpus.ids)} postings in the corpus but {len(vectors)} vectors")
        return cls(version, corpus, np.ascontiguousarray(vectors, dtype=np.float32),
                   [level_of(r["title"]) for r in corpus.rows],
                   group_positions([r["company_id"] for r in corpus.rows]))

    def attach_ranker(self, ranker, index_stamp: tuple | None) -> None:
        """Keep the ranker built over this corpus, searching the index of `index_stamp` (`embeddings.index`)."""
        self.ranker, self.index_stamp = ranker, index_stamp

    def lookup(self, posting_ids) -> np.ndarray:
        """The vectors of postings of the corpus, in the order given (the ranker's vector lookup); raises
        `RecommendError` for an id the corpus does not hold."""
        ids = np.asarray(posting_ids, dtype=np.int64)
        positions = np.searchsorted(self.corpus.ids, ids)
        inside = positions < len(self.corpus.ids)
        if not inside.all() or not np.array_equal(self.corpus.ids[positions], ids):
            raise RecommendError("a vector was asked for a posting outside the ranking corpus")
        return self.vectors[positions]

    def profile(self, company_id: str) -> CompanyProfile:
        """The profile of a company of the corpus (built once per corpus read)."""
        found = self._profiles.get(company_id)
        if found is None:
            positions = self.groups[company_id]
            found = self._profiles[company_id] = build_profile(
                company_id, self.corpus.rows[positions[0]]["company"], positions, self.vectors[positions],
                self.corpus.profiles)
        return found

    def details(self, posting_ids) -> dict[int, dict]:
        """The shown fields of postings of the corpus, by posting id (ids outside it are left out)."""
        out = {}
        for posting_id in posting_ids:
            position = int(np.searchsorted(self.corpus.ids, posting_id))
            if position < len(self.corpus.ids) and self.corpus.ids[position] == posting_id:
                row = self.corpus.rows[position]
                out[int(posting_id)] = {name: row.get(name) for name in SHOWN_FIELDS}
        return out

    def skill_terms(self, position: int, terms: frozenset[str]) -> list[str]:
        """The skill terms of the posting text at `position` (found once per corpus read)."""
        from embeddings.skills import skill_terms

        found = self._terms.get(position)
        if found is None:
            found = self._terms[position] = skill_terms(self.corpus.texts[position], terms)
        return found
