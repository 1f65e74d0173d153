"""Similar companies: a company's profile is what it hires for, the mean vector of its open postings and the
mix of their likely occupations; companies are compared with a role or with each other by those profiles."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

OPENINGS_SHOWN = 3
# Share of the score from the vectors; the rest from the occupation mix.
DENSE_SHARE = 0.5


@dataclass
class CompanyProfile:
    """What one company hires for."""

    company_id: str
    name: str
    positions: np.ndarray  # its open postings, as positions in the recommender's corpus
    centroid: np.ndarray  # unit mean of their vectors
    mix: dict[int, float]  # occupation position -> weight, unit length


def group_positions(company_ids: list[str | None]) -> dict[str, np.ndarray]:
    """Corpus positions per company id (postings without a company are left out)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for position, company_id in enumerate(company_ids):
        if company_id:
            groups[company_id].append(position)
    return {company_id: np.array(positions, dtype=np.int64) for company_id, positions in groups.items()}


def build_profile(company_id: str, name: str, positions: np.ndarray, vectors: np.ndarray,
                  profiles: tuple[np.ndarray, np.ndarray] | None) -> CompanyProfile:
    """The profile of a company from its postings' `vectors` (rows in `positions` order) and occupation profiles."""
    centroid = np.asarray(vectors, dtype=np.float32).mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
    mix: dict[int, float] = defaultdict(float)
    if profiles is not None:
        for position in positions:
            for occupation, weight in zip(profiles[0][position], profiles[1][position]):
                mix[int(occupation)] += float(weight)
    return CompanyProfile(company_id, name, positions, centroid, _unit(mix))


def profile_mix(positions: np.ndarray, weights: np.ndarray) -> dict[int, float]:
    """One text's occupation profile (as `OccupationTagger.profiles` gives a row) as a sparse mix."""
    return _unit({int(p): float(w) for p, w in zip(positions, weights)})


def similarity(vector: np.ndarray, mix: dict[int, float], company: CompanyProfile) -> float:
    """How alike a role or company (its vector and occupation mix) and a company are, in [-1, 1]."""
    dense = float(np.dot(vector, company.centroid))
    if not mix or not company.mix:
        return dense
    occupations = sum(weight * company.mix.get(occupation, 0.0) for occupation, weight in mix.items())
    return DENSE_SHARE * dense + (1 - DENSE_SHARE) * occupations


def _unit(mix: dict[int, float]) -> dict[int, float]:
    norm = float(np.sqrt(sum(w * w for w in mix.values())))
    return {k: w / norm for k, w in mix.items()} if norm > 0 else {}


def company_entry(profile: CompanyProfile, score: float, matching: int, openings: list[dict],
                  details: dict[int, dict]) -> dict:
    """A similar company as shown: name, score, openings counted, and a few current openings (title, url)."""
    return {
        "company": profile.name,
        "company_id": profile.company_id,
        "score": round(float(score), 4),
        "matching_postings": matching,
        "open_postings": int(len(profile.positions)),
        "examples": [o["title"] for o in openings],
        "openings": [{"posting_id": int(o["posting_id"]), "title": o["title"],
                      "url": details.get(o["posting_id"], {}).get("url")} for o in openings],
    }


def rank_companies(hits: list[dict], top: int = 5, per_company: int = 3) -> list[dict]:
    """Companies ranked by the mean of their best ``per_company`` scores among the given postings (the digest
    ranks a week's stored matches this way).

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
