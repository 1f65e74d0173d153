"""The retrieval path behind `plenty similar`: postings most like a rejected role.

Three signals per candidate posting: dense (cosine of sentence vectors), lexical (BM25 scaled by the
query's best score) and occupation (agreement of the two titles' likely ESCO occupations). Candidates are
the best few hundred by dense and by BM25; they are fused (reciprocal-rank fusion by default, or a weighted
blend) and then spread across companies. bench/quality.py measures every setting; bench/RESULTS.md has
the numbers behind the defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from embeddings import fusion as fuse
from embeddings.errors import RankerError
from embeddings.lexical import LexicalIndex
from embeddings.occupations import OccupationTagger, profile_agreement

FUSIONS = ("dense", "lexical", "blend", "rrf")


@dataclass(frozen=True)
class RankerConfig:
    """How signals are combined. The defaults are the shipped setting measured in bench/RESULTS.md."""

    fusion: str = "rrf"
    dense: float = 1.0
    lexical: float = 1.0
    occupation: float = 2.0
    expand: float = 0.0  # share of the query's occupation vectors mixed into the query vector
    rrf_k: int = fuse.RRF_K
    candidates: int = 200
    company_cap: int | None = 3
    mmr: float | None = None  # lambda for maximal marginal relevance; None keeps the fused order

    def __post_init__(self) -> None:
        if self.fusion not in FUSIONS:
            raise RankerError(f"unknown fusion {self.fusion!r}; use one of {', '.join(FUSIONS)}")

    def weights(self) -> dict[str, float]:
        """Component weights as fusion functions take them."""
        return {"dense": self.dense, "lexical": self.lexical, "occupation": self.occupation}

    def with_(self, **changes) -> RankerConfig:
        """A copy with some settings changed."""
        return replace(self, **changes)


@dataclass(frozen=True)
class Hit:
    """One suggested posting with its fused score and the signals behind it."""

    id: int
    score: float
    dense: float
    lexical: float
    occupation: float
    company: str | None = None
    occupations: tuple[str, ...] = field(default_factory=tuple)  # likely occupations both texts share


class Ranker:
    """Postings held in memory (vectors, BM25, occupation profiles), searched by rejected-role texts."""

    def __init__(self, ids: Sequence[int], texts: Sequence[str], *, encoder, titles: Sequence[str] | None = None,
                 companies: Sequence[str | None] | None = None, vectors: np.ndarray | None = None,
                 tagger: OccupationTagger | None = None, config: RankerConfig | None = None) -> None:
        """Index the postings. `vectors` are their embeddings when already computed (e.g. from the cache);
        `titles`, when given, are what occupations are read from (a title names the job better than an ad);
        `tagger` enables the occupation signal."""
        if not len(ids):
            raise RankerError("cannot rank over no postings")
        for name, values in (("texts", texts), ("titles", titles), ("companies", companies), ("vectors", vectors)):
            if values is not None and len(values) != len(ids):
                raise RankerError(f"{len(ids)} ids but {len(values)} {name}")
        self.ids = np.asarray(ids, dtype=np.int64)
        self._position = {int(i): p for p, i in enumerate(self.ids)}
        self.companies = [_company_key(c) for c in companies] if companies is not None else [None] * len(ids)
        self._company_names = list(companies) if companies is not None else [None] * len(ids)
        self.encoder = encoder
        self.config = config or RankerConfig()
        self.vectors = np.ascontiguousarray(vectors if vectors is not None else encoder.encode(list(texts)),
                                            dtype=np.float32)
        self.lexical = LexicalIndex(list(texts))
        self.tagger = tagger
        self.profiles = None
        if tagger is not None:
            title_vectors = encoder.encode(list(titles)) if titles is not None else self.vectors
            self.profiles = tagger.profiles(title_vectors)

    def search(self, query_texts: Sequence[str], k: int, *, query_titles: Sequence[str] | None = None,
               exclude_ids: Iterable[int] | None = None, config: RankerConfig | None = None,
               query_vectors: np.ndarray | None = None) -> list[list[Hit]]:
        """The k best postings for each query text, best first. Postings in `exclude_ids` never appear;
        `config` overrides the ranker's own for this call (the benchmark compares settings this way)."""
        config = config or self.config
        if query_titles is not None and len(query_titles) != len(query_texts):
            raise RankerError(f"{len(query_texts)} queries but {len(query_titles)} titles")
        if not len(query_texts):
            return []
        qv = query_vectors if query_vectors is not None else self.encoder.encode(list(query_texts))
        q_profiles = None
        if self.tagger is not None and (config.occupation or config.expand):
            tag_vectors = self.encoder.encode(list(query_titles)) if query_titles is not None else qv
            q_profiles = self.tagger.profiles(tag_vectors)
            if config.expand:
                qv = self._expand(qv, q_profiles, config.expand)
        dense_all = qv @ self.vectors.T
        needs_lexical = config.fusion == "lexical" or config.lexical
        lexical_all = self.lexical.scores(list(query_texts)) if needs_lexical else None
        blocked = np.zeros(len(self.ids), dtype=bool)
        for doc_id in exclude_ids or ():
            position = self._position.get(int(doc_id))
            if position is not None:
                blocked[position] = True
        return [
            self._rank_one(i, dense_all[i], None if lexical_all is None else lexical_all[i],
                           None if q_profiles is None else (q_profiles[0][i], q_profiles[1][i]), blocked, k, config)
            for i in range(len(query_texts))
        ]

    def _expand(self, qv: np.ndarray, profiles, share: float) -> np.ndarray:
        positions, weights = profiles
        occupation_part = (self.tagger.vectors[positions] * weights[..., None]).sum(axis=1)
        occupation_part /= np.linalg.norm(occupation_part, axis=1, keepdims=True)
        mixed = (1 - share) * qv + share * occupation_part
        return mixed / np.linalg.norm(mixed, axis=1, keepdims=True)

    def _rank_one(self, row, dense, lexical, q_profile, blocked, k, config) -> list[Hit]:
        candidates = self._candidates(dense, lexical, blocked, config)
        if len(candidates) == 0:
            return []
        parts = {"dense": dense[candidates]}
        parts["lexical"] = (fuse.scale_by_max(lexical)[candidates] if lexical is not None
                            else np.zeros(len(candidates), dtype=np.float32))
        parts["occupation"] = (profile_agreement(q_profile, (self.profiles[0][candidates], self.profiles[1][candidates]),
                                                 len(self.tagger.occupations))
                               if q_profile is not None and self.profiles is not None
                               else np.zeros(len(candidates), dtype=np.float32))
        if config.fusion == "dense":
            fused = parts["dense"]
        elif config.fusion == "lexical":
            fused = parts["lexical"]
        elif config.fusion == "rrf":
            fused = fuse.rrf(parts, config.weights(), config.rrf_k)
        else:
            fused = fuse.blend(parts, config.weights())
        order = np.argsort(-fused, kind="stable")
        if config.mmr is not None:
            pool = order[: max(5 * k, 50)]
            order = pool[fuse.mmr(fused[pool], self.vectors[candidates[pool]], k, config.mmr)]
        if config.company_cap:
            groups = [self.companies[p] for p in candidates]
            order = fuse.cap_per_group(list(order), groups, config.company_cap, k)
        return [self._hit(int(candidates[j]), float(fused[j]), parts, j, q_profile) for j in order[:k]]

    def _candidates(self, dense, lexical, blocked, config) -> np.ndarray:
        n = min(config.candidates, len(dense))
        pools = []
        if config.fusion != "lexical":
            pools.append(_top(np.where(blocked, -np.inf, dense), n))
        if lexical is not None:
            pools.append(_top(np.where(blocked, -np.inf, lexical), n))
        candidates = np.unique(np.concatenate(pools))
        return candidates[~blocked[candidates]]

    def _hit(self, position, score, parts, j, q_profile) -> Hit:
        shared: tuple[str, ...] = ()
        if q_profile is not None and self.profiles is not None:
            common = [p for p in q_profile[0][:3] if p in set(self.profiles[0][position][:3])]
            shared = tuple(self.tagger.names(common))
        return Hit(int(self.ids[position]), score, float(parts["dense"][j]), float(parts["lexical"][j]),
                   float(parts["occupation"][j]), self._company_names[position], shared)


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    n = min(n, len(scores))
    return np.argpartition(-scores, n - 1)[:n]


def _company_key(name: str | None) -> str | None:
    key = " ".join((name or "").lower().split())
    return key or None
