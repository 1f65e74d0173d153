"""The match percentage shown beside a suggestion: the fused ranking score mapped through a monotone
(isotonic) curve fitted on the dev data's tune half (bench/calibrate.py writes recommend/data/match_calibration.json),
so that among matches shown as about 70 %, about 70 % share the query's occupation.

The fused score is rank fusion plus the raw cosine and occupation agreement (`RankerConfig.cosine`, `.agreement`),
so it says how close a query's best match is, not only that it came first. There is one curve per kind of query:
a role's ad (title and text; fitted on the hand-labelled dev ads) and a bare title or short phrase (fitted on the
dev titles, where a title alone often does not settle the occupation, so the same score means less).

The curve only rises with the fused score; down a shown list the percentage is also kept from rising where
the list's order is not the fused order (the per-company cap moves some postings down).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from recommend.errors import CalibrationError

CALIBRATION_FILE = "match_calibration.json"
QUERY_KINDS = ("ad", "title")
# A query of at most this many words is a title (or a short phrase), not an ad: the dev titles run to 12 words,
# an ad's requirements alone to many more.
TITLE_QUERY_MAX_WORDS = 15


@dataclass(frozen=True)
class Calibration:
    """A monotone map from fused score to the chance a match shares the query's occupation."""

    scores: tuple[float, ...]
    chances: tuple[float, ...]
    fitted_on: str = ""

    def chance(self, fused: float) -> float:
        """The calibrated chance (0..1) of one fused score (flat beyond the fitted range)."""
        if not self.scores:
            return 0.0
        return float(np.interp(float(fused), self.scores, self.chances))

    def along(self, fused_in_order: list[float]) -> list[float]:
        """The chances of a ranked list's fused scores, never rising down the list."""
        out, lowest = [], 1.0
        for fused in fused_in_order:
            lowest = min(lowest, self.chance(fused))
            out.append(lowest)
        return out


def query_kind(text: str) -> str:
    """Which curve a query's matches are read with: "title" for a bare title or short phrase, else "ad"."""
    return "title" if len(text.split()) <= TITLE_QUERY_MAX_WORDS else "ad"


@lru_cache(maxsize=1)
def _shipped() -> dict:
    return json.loads(resources.files("recommend").joinpath("data", CALIBRATION_FILE).read_text(encoding="utf-8"))


def shipped_calibration(kind: str = "ad") -> Calibration:
    """The curve fitted for the shipped ranker settings and one kind of query (the file is read once per process)."""
    if kind not in QUERY_KINDS:
        raise CalibrationError(f"no match calibration for {kind!r} queries; kinds are {', '.join(QUERY_KINDS)}")
    data = _shipped()["maps"][kind]
    return Calibration(tuple(float(x) for x in data["scores"]), tuple(float(y) for y in data["chances"]),
                       str(data.get("fitted_on", "")))


def calibrated_ranker() -> dict[str, float]:
    """The ranker weights the shipped curves were fitted with (a test holds them to the default `RankerConfig`)."""
    return {name: float(value) for name, value in _shipped()["ranker"].items()}


def match_percent(chance: float) -> int:
    """A chance as the whole percentage shown to the user."""
    return int(round(100 * chance))
