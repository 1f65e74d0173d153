"""The retrieval path behind `plenty similar`: postings most like a rejected role.

Three signals per candidate posting: dense (cosine of sentence vectors), lexical (BM25 scaled by the
query's best score) and occupation (agreement of the two titles' likely ESCO occupations). Candidates are
the best few hundred by dense and by BM25; they are fused (reciprocal-rank fusion by default, or a weighted
blend) and then spread across companies. bench/quality.py measures every setting; bench/RESULTS.md has
the numbers behind the defaults.

Dense candidates come from vectors held in memory (exact, what the benchmark uses) or from a nearest-neighbour
search over posting ids such as `VectorIndex.search`, which keeps a large collection out of memory; the
search widens until enough candidates survive the exclusions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from embeddings import fusion as fuse
from embeddings.errors import RankerError
from embeddings.lexical import LexicalIndex
from embeddings.occupations import OccupationTagger, profile_agreement

FUSIONS = ("dense", "lexical", "blend", "rrf")
# (query vectors, k) -> (scores, ids), each (n_queries, k'), best first; ids unknown to the ranker are skipped.
DenseSearch = Callable[[np.ndarray, int], tuple[np.ndarray, np.ndarray]]
# posting ids -> their vectors (len(ids), dim), in that order.
VectorLookup = Callable[[np.ndarray], np.ndarray]
Profiles = tuple[np.ndarray, np.ndarray]


# An occupation is named in a reason only when its weight in both texts' profiles reaches this. On the JobBERT
# titles (tune half) the tagger's first occupation is right for 26 % of titles overall and for 50 % of those
# where its weight is >= 0.85 (a quarter of them); chosen on the tune half, 49 % on the report half.
OCCUPATION_REASON_MIN_WEIGHT = 0.85
# Levels further apart than this count as this far: "two levels away" and beyond are equally wrong.
LEVEL_GAP_CAP = 2


@dataclass(frozen=True)
class RankerConfig:
    """How signals are combined. The defaults are the shipped setting measured in bench/RESULTS.md."""

    fusion: str = "rrf"
    dense: float = 1.0
    lexical: float = 1.0
    occupation: float = 2.0
    # Weight of level agreement (needs the postings' and queries' levels): without the raw signals below, .5 halved
    # the top-10 matches two or more levels away on the dev tune half for <= .01 of P@10 (bench/RESULTS.md, "Level
    # and specialism"); beside them it takes 1 to keep that share where it was.
    level: float = 1.0
    # Weight of specialism agreement (needs the postings' and queries' specialisms): an iOS role is no answer to a
    # backend rejection though ESCO gives both one occupation. 1.5, the least weight that left no top-10 match of
    # another specialism on the dev tune half, at no cost in P@10 (bench/RESULTS.md, "Level and specialism").
    specialism: float = 1.5
    # Weights of the raw signals added to the rank fusion (rrf only): RRF is made of ranks, so it cannot say how
    # good a query's best match is; the cosine and the occupation agreement can, and the match % needs that.
    # Chosen on the dev tune half (bench/calibrate.py --grid, bench/quality.py; bench/RESULTS.md "Score
    # calibration"): ads P@10 .408 -> .436, titles unchanged, and the calibrated % reaches 70 %+.
    cosine: float = 0.01
    agreement: float = 0.05
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
        return {"dense": self.dense, "lexical": self.lexical, "occupation": self.occupation, "level": self.level,
                "specialism": self.specialism}

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
    occupations: tuple[str, ...] = field(default_factory=tuple)  # the likeliest occupation, when both texts share it


class Ranker:
    """Postings (BM25, occupation profiles, and vectors or a vector search) searched by rejected-role texts."""

    def __init__(self, ids: Sequence[int], texts: Sequence[str] | None = None, *, encoder,
                 titles: Sequence[str] | None = None, companies: Sequence[str | None] | None = None,
                 vectors: np.ndarray | None = None, tagger: OccupationTagger | None = None,
                 config: RankerConfig | None = None, profiles: Profiles | None = None,
                 lexical: LexicalIndex | None = None, dense_search: DenseSearch | None = None,
                 vector_lookup: VectorLookup | None = None, levels: Sequence[int] | None = None,
                 specialisms: Sequence[int] | None = None) -> None:
        """Index the postings, position i describing `ids[i]`.

        `levels` are the postings' seniority levels as ordinal numbers (intern 0 ... executive 5; the caller reads
        them), for the level signal: how many levels apart a posting is from the query. `specialisms` are bit sets
        of the specialisms their titles name (iOS, backend, ICU...), for the specialism signal: +1 when a posting
        shares one of the query's, -1 when both name some and none is shared, else 0.
        Dense side: `vectors` (their embeddings, e.g. from the cache), or `dense_search` with `vector_lookup`
        (candidates from an index, vectors fetched only for the few candidates found by BM25 alone), else the
        `texts` are embedded here. `lexical` is a BM25 index already built over `texts`. Occupations: `profiles`
        (as `tagger.profiles` returns them) when already computed, else read from the embedded `titles` (a
        title names the job better than an ad) or the texts; `tagger` enables the occupation signal.
        """
        if not len(ids):
            raise RankerError("cannot rank over no postings")
        if texts is None and lexical is None:
            raise RankerError("give the posting texts or a lexical index built over them")
        if (dense_search is None) != (vector_lookup is None):
            raise RankerError("dense_search and vector_lookup go together")
        for name, values in (("texts", texts), ("titles", titles), ("companies", companies), ("vectors", vectors),
                             ("levels", levels), ("specialisms", specialisms)):
            if values is not None and len(values) != len(ids):
                raise RankerError(f"{len(ids)} ids but {len(values)} {name}")
        if lexical is not None and lexical.size != len(ids):
            raise RankerError(f"{len(ids)} ids but a lexical index over {lexical.size} texts")
        self.ids = np.asarray(ids, dtype=np.int64)
        self._position = {int(i): p for p, i in enumerate(self.ids)}
        self.companies = [_company_key(c) for c in companies] if companies is not None else [None] * len(ids)
        self._company_names = list(companies) if companies is not None else [None] * len(ids)
        self.encoder = encoder
        self.levels = None if levels is None else np.asarray(levels, dtype=np.int64)
        self.specialisms = None if specialisms is None else np.asarray(specialisms, dtype=np.int64)
        self.config = config or RankerConfig()
        self._search_index, self._lookup = dense_search, vector_lookup
        self.vectors = None
        if dense_search is None:
            self.vectors = np.ascontiguousarray(vectors if vectors is not None else encoder.encode(list(texts)),
                                                dtype=np.float32)
        self.lexical = lexical if lexical is not None else LexicalIndex(list(texts))
        self.tagger = tagger
        self.profiles = None
        if tagger is not None:
            if profiles is not None:
                if len(profiles[0]) != len(ids):
                    raise RankerError(f"{len(ids)} ids but {len(profiles[0])} occupation profiles")
                self.profiles = profiles
            else:
                if titles is None and self.vectors is None:
                    raise RankerError("occupations need the postings' titles, profiles or vectors")
                title_vectors = encoder.encode(list(titles)) if titles is not None else self.vectors
                self.profiles = tagger.profiles(title_vectors, list(titles) if titles is not None else texts)

    def __len__(self) -> int:
        return len(self.ids)

    def position(self, posting_id: int) -> int | None:
        """Where a posting id sits in the ranker's arrays, or None."""
        return self._position.get(int(posting_id))

    def query_profiles(self, query_texts: Sequence[str], query_titles: Sequence[str] | None = None,
                       query_vectors: np.ndarray | None = None) -> Profiles | None:
        """The occupation profiles of queries (from their titles when given), or None without a tagger."""
        if self.tagger is None:
            return None
        if query_titles is not None:
            return self.tagger.profiles(self.encoder.encode(list(query_titles)), list(query_titles))
        vectors = query_vectors if query_vectors is not None else self.encoder.encode(list(query_texts))
        return self.tagger.profiles(vectors, list(query_texts))

    def search(self, query_texts: Sequence[str], k: int, *, query_titles: Sequence[str] | None = None,
               exclude_ids: Iterable[int] | None = None, config: RankerConfig | None = None,
               query_vectors: np.ndarray | None = None, allowed: np.ndarray | None = None,
               query_levels: Sequence[int] | None = None,
               query_specialisms: Sequence[int] | None = None,
               query_profiles: Profiles | None = None) -> list[list[Hit]]:
        """The k best postings for each query text, best first. Postings in `exclude_ids`, or at positions
        where the boolean mask `allowed` is False, never appear; `config` overrides the ranker's own for
        this call (the benchmark compares settings this way). `query_levels` (one per query, as the postings'
        `levels`) feed the level signal, `query_specialisms` (as `specialisms`) the specialism signal.
        `query_profiles` are the queries' occupation profiles when already computed (as `query_profiles` returns
        them for `query_titles`), so the titles are not embedded again."""
        config = config or self.config
        if query_titles is not None and len(query_titles) != len(query_texts):
            raise RankerError(f"{len(query_texts)} queries but {len(query_titles)} titles")
        if not len(query_texts):
            return []
        qv = query_vectors if query_vectors is not None else self.encoder.encode(list(query_texts))
        qv = np.ascontiguousarray(qv, dtype=np.float32)
        q_profiles = None
        if self.tagger is not None and (config.occupation or config.expand):
            if query_profiles is not None:
                if len(query_profiles[0]) != len(query_texts):
                    raise RankerError(f"{len(query_texts)} queries but {len(query_profiles[0])} occupation profiles")
                q_profiles = query_profiles
            else:
                tag_texts = list(query_titles) if query_titles is not None else list(query_texts)
                tag_vectors = self.encoder.encode(tag_texts) if query_titles is not None else qv
                q_profiles = self.tagger.profiles(tag_vectors, tag_texts)
            if config.expand:
                qv = self._expand(qv, q_profiles, config.expand)
        blocked = np.zeros(len(self.ids), dtype=bool) if allowed is None else ~np.asarray(allowed, dtype=bool)
        if len(blocked) != len(self.ids):
            raise RankerError(f"{len(self.ids)} postings but an allowed mask of {len(blocked)}")
        for doc_id in exclude_ids or ():
            position = self._position.get(int(doc_id))
            if position is not None:
                blocked[position] = True
        dense_pools = self._dense_pools(qv, blocked, config) if config.fusion != "lexical" else None
        needs_lexical = config.fusion == "lexical" or config.lexical
        lexical_all = self.lexical.scores(list(query_texts)) if needs_lexical else None
        return [
            self._rank_one(qv[i], None if dense_pools is None else dense_pools[i],
                           None if lexical_all is None else lexical_all[i],
                           None if q_profiles is None else (q_profiles[0][i], q_profiles[1][i]), blocked, k, config,
                           None if query_levels is None else int(query_levels[i]),
                           None if query_specialisms is None else int(query_specialisms[i]))
            for i in range(len(query_texts))
        ]

    def _expand(self, qv: np.ndarray, profiles, share: float) -> np.ndarray:
        positions, weights = profiles
        occupation_part = (self.tagger.vectors[positions] * weights[..., None]).sum(axis=1)
        occupation_part /= np.linalg.norm(occupation_part, axis=1, keepdims=True)
        mixed = (1 - share) * qv + share * occupation_part
        return mixed / np.linalg.norm(mixed, axis=1, keepdims=True)

    def _dense_pools(self, qv: np.ndarray, blocked: np.ndarray, config) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per query: (positions, dense scores) of its best allowed postings by cosine."""
        n = min(config.candidates, int((~blocked).sum()))
        if self.vectors is not None:
            pools = []
            for row in qv @ self.vectors.T:
                top = _top(np.where(blocked, -np.inf, row), n) if n else np.array([], dtype=np.int64)
                pools.append((top, row[top]))
            return pools
        return self._searched_pools(qv, blocked, n)

    def _searched_pools(self, qv, blocked, n) -> list[tuple[np.ndarray, np.ndarray]]:
        # Widen the index search until every query keeps n allowed postings or the index has nothing more.
        wanted = n + int(blocked.sum())
        while True:
            scores, ids = self._search_index(qv, max(wanted, 1))
            pools = []
            for row_scores, row_ids in zip(scores, ids):
                positions = np.array([self._position.get(int(i), -1) for i in row_ids], dtype=np.int64)
                keep = positions >= 0
                keep[keep] = ~blocked[positions[keep]]
                pools.append((positions[keep][:n], np.asarray(row_scores, dtype=np.float32)[keep][:n]))
            exhausted = ids.shape[1] < wanted
            if exhausted or all(len(p) >= n for p, _ in pools):
                return pools
            wanted *= 4

    def _rank_one(self, qv_row, dense_pool, lexical, q_profile, blocked, k, config, q_level=None,
                  q_specialism=None) -> list[Hit]:
        pools = [] if dense_pool is None else [dense_pool[0]]
        if lexical is not None:
            n = min(config.candidates, len(lexical))
            pools.append(_top(np.where(blocked | (lexical <= 0), -np.inf, lexical), n))
        if not pools:
            return []
        candidates = np.unique(np.concatenate(pools)).astype(np.int64)
        candidates = candidates[~blocked[candidates]]
        if len(candidates) == 0:
            return []
        parts = {"dense": self._dense_scores(qv_row, candidates, dense_pool)}
        parts["lexical"] = (fuse.scale_by_max(lexical)[candidates] if lexical is not None
                            else np.zeros(len(candidates), dtype=np.float32))
        parts["occupation"] = (profile_agreement(q_profile, (self.profiles[0][candidates], self.profiles[1][candidates]),
                                                 len(self.tagger.occupations))
                               if q_profile is not None and self.profiles is not None
                               else np.zeros(len(candidates), dtype=np.float32))
        parts["level"] = (-np.minimum(np.abs(self.levels[candidates] - q_level), LEVEL_GAP_CAP).astype(np.float32)
                          / LEVEL_GAP_CAP if q_level is not None and self.levels is not None
                          else np.zeros(len(candidates), dtype=np.float32))
        parts["specialism"] = np.zeros(len(candidates), dtype=np.float32)
        if q_specialism and self.specialisms is not None:
            theirs = self.specialisms[candidates]
            parts["specialism"][(theirs != 0) & ((theirs & q_specialism) == 0)] = -1.0
            parts["specialism"][(theirs & q_specialism) != 0] = 1.0
        if config.fusion == "dense":
            fused = parts["dense"]
        elif config.fusion == "lexical":
            fused = parts["lexical"]
        elif config.fusion == "rrf":
            fused = fuse.rrf(parts, config.weights(), config.rrf_k)
            if config.cosine or config.agreement:
                fused = fused + config.cosine * parts["dense"] + config.agreement * parts["occupation"]
        else:
            fused = fuse.blend(parts, config.weights())
        order = np.argsort(-fused, kind="stable")
        if config.mmr is not None:
            pool = order[: max(5 * k, 50)]
            order = pool[fuse.mmr(fused[pool], self.vectors_at(candidates[pool]), k, config.mmr)]
        if config.company_cap:
            groups = [self.companies[p] for p in candidates]
            order = fuse.cap_per_group(list(order), groups, config.company_cap, k)
        return [self._hit(int(candidates[j]), float(fused[j]), parts, j, q_profile) for j in order[:k]]

    def _dense_scores(self, qv_row, candidates: np.ndarray, dense_pool) -> np.ndarray:
        if self.vectors is not None:
            return self.vectors[candidates] @ qv_row
        scores = np.full(len(candidates), np.nan, dtype=np.float32)
        if dense_pool is not None:
            known = dict(zip(dense_pool[0].tolist(), dense_pool[1].tolist()))
            scores[:] = [known.get(int(p), np.nan) for p in candidates]
        missing = np.isnan(scores)
        if missing.any():
            scores[missing] = self.vectors_at(candidates[missing]) @ qv_row
        return scores

    def vectors_at(self, positions: np.ndarray) -> np.ndarray:
        """The vectors of the postings at `positions` (from memory, or looked up)."""
        if self.vectors is not None:
            return self.vectors[positions]
        return np.ascontiguousarray(self._lookup(self.ids[positions]), dtype=np.float32)

    def _hit(self, position, score, parts, j, q_profile) -> Hit:
        shared: tuple[str, ...] = ()
        if q_profile is not None and self.profiles is not None:
            # Only the likeliest occupation of both, and only when the tagger is sure of it for both texts: a
            # wrong occupation named as a reason costs more trust than none (see OCCUPATION_REASON_MIN_WEIGHT).
            if (q_profile[0][0] == self.profiles[0][position][0]
                    and min(q_profile[1][0], self.profiles[1][position][0]) >= OCCUPATION_REASON_MIN_WEIGHT):
                shared = tuple(self.tagger.names(q_profile[0][:1]))
        return Hit(int(self.ids[position]), score, float(parts["dense"][j]), float(parts["lexical"][j]),
                   float(parts["occupation"][j]), self._company_names[position], shared)


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    n = min(n, len(scores))
    if n <= 0:
        return np.array([], dtype=np.int64)
    top = np.argpartition(-scores, n - 1)[:n]
    return top[np.isfinite(scores[top])]


def _company_key(name: str | None) -> str | None:
    key = " ".join((name or "").lower().split())
    return key or None
