"""Answer "what is like this role?" from the index: similar open postings and similar companies."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from flows.config import Settings

# How many index hits to read per requested result: closed or excluded postings are skipped after the search.
OVERSAMPLE = 5
MIN_CANDIDATES = 50
COMPANIES_SHOWN = 5


@dataclass
class SimilarResult:
    """The answer for one query: postings best first, and the companies hiring most like it."""

    postings: list[dict] = field(default_factory=list)
    companies: list[dict] = field(default_factory=list)


class Recommender:
    """The index, the encoder and the warehouse behind ``plenty similar`` and the nightly matches."""

    def __init__(self, settings: Settings, index, encoder, model: str):
        self.settings = settings
        self.index = index
        self._encoder = encoder
        self.model = model

    @classmethod
    def open(cls, settings: Settings, encoder=None) -> "Recommender":
        """Load the index of the configured model; the encoder is loaded on first query."""
        from embeddings.index import VectorIndex

        from flows.steps import model_identity

        model = encoder.model_name if encoder is not None else model_identity(settings)
        index = VectorIndex.load(settings.index_dir, expected_model=model)
        return cls(settings, index, encoder, model)

    @property
    def empty(self) -> bool:
        """True when the index holds no postings."""
        return len(self.index) == 0

    @property
    def encoder(self):
        """The sentence encoder, loaded when first needed."""
        if self._encoder is None:
            from flows.steps import load_encoder_for

            self._encoder = load_encoder_for(self.settings)
        return self._encoder

    def similar(self, texts: list[str], k: int = 10, exclude_companies: tuple[str, ...] = (),
                exclude_posting_ids: Iterable[int] = (),
                exclude_company_ids: Iterable[str] = ()) -> list[SimilarResult]:
        """The ``k`` most similar open postings and the most similar companies for each query text.

        ``exclude_companies`` are display names (case-insensitive), ``exclude_company_ids`` normalised company ids
        (companies in a cool-off) and ``exclude_posting_ids`` postings never to suggest (applied, dismissed). The
        search widens until every query has ``k`` postings left after the exclusions, or the index is exhausted.
        """
        if not texts:
            return []
        if self.empty:
            return [SimilarResult() for _ in texts]
        vectors = self.encoder.encode(list(texts))
        skip_ids = {int(i) for i in exclude_posting_ids}
        skip = (
            {c.casefold() for c in exclude_companies},
            {c for c in exclude_company_ids if c},
            skip_ids,
        )
        wanted = max(k * OVERSAMPLE, MIN_CANDIDATES) + len(skip_ids)
        while True:
            scores, ids = self.index.search(vectors, wanted)
            hits = self._hits(scores, ids, *skip)
            if wanted >= len(self.index) or all(len(row) >= k for row in hits):
                break
            wanted *= 4
        return [SimilarResult(postings=row[:k], companies=rank_companies(row)) for row in hits]

    def _hits(self, scores, ids, names: set[str], company_ids: set[str], posting_ids: set[int]) -> list[list[dict]]:
        """The candidate postings per query row, best first, without closed or excluded postings."""
        from warehouse.db import connect
        from warehouse.matches import posting_details

        wanted = {int(i) for row in ids for i in row}
        with connect(self.settings.db_path) as con:
            details = {d["posting_id"]: d for d in posting_details(con, sorted(wanted))}
        rows = []
        for row_scores, row_ids in zip(scores, ids):
            hits = []
            for score, posting_id in zip(row_scores, row_ids):
                posting = details.get(int(posting_id))
                if posting is None or posting.get("closed_at") is not None or int(posting_id) in posting_ids:
                    continue
                if (posting.get("company") or "").casefold() in names or posting.get("company_id") in company_ids:
                    continue
                hits.append(_shown(posting, float(score)))
            rows.append(hits)
        return rows


def _shown(posting: dict, score: float) -> dict:
    """The fields of a suggested posting, in a stable order for --json."""
    return {
        "posting_id": int(posting["posting_id"]),
        "title": posting["title"],
        "company": posting.get("company"),
        "location": posting.get("location"),
        "url": posting.get("url"),
        "score": round(score, 4),
        "source": posting.get("source"),
        "source_id": posting.get("source_id"),
    }


def rank_companies(hits: list[dict], top: int = COMPANIES_SHOWN, per_company: int = 3) -> list[dict]:
    """Companies ranked by the mean of their best ``per_company`` scores among the candidate postings.

    Averaging the few best (with missing ones counted as zero) favours a company that hires several roles like the
    query over one with a single lucky match.
    """
    by_company: dict[str, list[dict]] = defaultdict(list)
    for hit in hits:
        if hit.get("company"):
            by_company[hit["company"]].append(hit)
    ranked = []
    for company, postings in by_company.items():
        best = sorted((p["score"] for p in postings), reverse=True)[:per_company]
        ranked.append({
            "company": company,
            "score": round(sum(best) / per_company, 4),
            "matching_postings": len(postings),
            "examples": [p["title"] for p in postings[:3]],
        })
    ranked.sort(key=lambda c: (-c["score"], c["company"]))
    return ranked[:top]
