"""The match percentage shown beside a suggestion: the fused ranking score mapped through a monotone
(isotonic) curve fitted on the dev data's tune half (bench/calibrate.py writes recommend/data/match_calibration.json),
so that among matches shown as about 70 %, about 70 % share the query's occupation.

The curve only rises with the fused score; down a shown list the percentage is also kept from rising where
the list's order is not the fused order (the per-company cap moves some postings down).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

CALIBRATION_FILE = "match_calibration.json"


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


@lru_cache(maxsize=1)
def shipped_calibration() -> Calibration:
    """The calibration fitted for the shipped ranker settings (read once per process)."""
    data = json.loads(resources.files("recommend").joinpath("data", CALIBRATION_FILE).read_text(encoding="utf-8"))
    return Calibration(tuple(float(x) for x in data["scores"]), tuple(float(y) for y in data["chances"]),
                       str(data.get("fitted_on", "")))


def match_percent(chance: float) -> int:
    """A chance as the whole percentage shown to the user."""
    return int(round(100 * chance))
