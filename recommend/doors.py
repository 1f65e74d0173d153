"""Keep a door open: a cool-off after each rejection, then the rejecting company's new openings, and "role reopened".

Every date is passed in (``today``), never read from the clock here, so tests control the windows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable

import numpy as np

DEFAULT_COOLOFF_DAYS = 120
# Cosine between the rejected role's text and a posting at that company above which it is a door kept open.
DEFAULT_DOOR_MIN_SCORE = 0.45
# Cosine above which a posting at the rejecting company is taken to be the rejected role itself, re-posted.
DEFAULT_REOPENED_MIN_SCORE = 0.9
DOORS_SHOWN = 5

_BRACKETS = re.compile(r"[\(\[\{][^\)\]\}]*[\)\]\}]")
_NON_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Door:
    """One rejection's company and its cool-off window: openings there are held back until ``ends``."""

    rejection_id: int
    company_id: str | None
    company: str | None
    starts: date
    ends: date

    def cooling(self, today: date) -> bool:
        """True while the cool-off runs (from the rejection date up to, not including, ``ends``)."""
        return today < self.ends


@dataclass
class DoorOpening:
    """A new opening at a rejecting company, scored against the rejected role."""

    rejection_id: int
    posting_id: int
    score: float
    reopened: bool


@dataclass
class DoorReport:
    """Per rejection: doors kept open (after the cool-off) and role-reopened notices (any time)."""

    doors: dict[int, list[DoorOpening]] = field(default_factory=dict)
    reopened: dict[int, list[DoorOpening]] = field(default_factory=dict)


def rejection_query(title: str, text: str) -> str:
    """The text embedded for a rejected role (the same the nightly matches use)."""
    return f"{title}\n{text}"


def door_of(rejection: dict, default_days: int = DEFAULT_COOLOFF_DAYS) -> Door:
    """The cool-off window of a rejection: from its date (or the day it was recorded) for its own number of days,
    or ``default_days`` when it has none."""
    starts = rejection.get("rejected_on") or _as_date(rejection["created_at"])
    days = rejection.get("cooloff_days")
    days = default_days if days is None else int(days)
    return Door(int(rejection["rejection_id"]), rejection.get("company_id"), rejection.get("company"), starts,
                starts + timedelta(days=days))


def cooling_company_ids(rejections: list[dict], today: date, default_days: int = DEFAULT_COOLOFF_DAYS) -> set[str]:
    """The companies of the given rejections whose cool-off still runs on ``today``: held back from suggestions."""
    doors = (door_of(r, default_days) for r in rejections)
    return {d.company_id for d in doors if d.company_id and d.cooling(today)}


def normalise_title(title: str | None) -> str:
    """A title folded for comparison: accents and case dropped, bracketed asides ("(m/w/d)") and punctuation removed."""
    text = unicodedata.normalize("NFKD", title or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _BRACKETS.sub(" ", text)
    return " ".join(_NON_WORD.sub(" ", text).replace("_", " ").split())


def is_near_duplicate(rejected_title: str, posting_title: str, cosine: float,
                      min_cosine: float = DEFAULT_REOPENED_MIN_SCORE) -> bool:
    """Whether a posting at the rejecting company is the rejected role again.

    Near-duplicate means: the normalised titles are equal (see `normalise_title`), or the embedding cosine
    between the rejected role's text and the posting's text is at least ``min_cosine`` (0.9 by default: a
    re-posted ad with small edits, not merely a similar role).
    """
    same_title = bool(normalise_title(rejected_title)) and normalise_title(rejected_title) == normalise_title(
        posting_title)
    return same_title or cosine >= min_cosine


def find_doors(
    rejections: list[dict],
    openings: list[dict],
    encode: Callable[[list[str]], np.ndarray],
    today: date,
    *,
    default_days: int = DEFAULT_COOLOFF_DAYS,
    min_score: float = DEFAULT_DOOR_MIN_SCORE,
    reopened_score: float = DEFAULT_REOPENED_MIN_SCORE,
    per_rejection: int = DOORS_SHOWN,
) -> DoorReport:
    """Match each rejection against the new openings at its own company.

    ``openings`` are rows of open postings (posting_id, company_id, title, company, locations, description,
    first_seen_at, vector or None) as `warehouse.digests.company_openings` returns them; only those first seen
    on or after the rejection date count as new. After the cool-off, openings scoring at least ``min_score``
    (or near-duplicates) are doors kept open, best first; a near-duplicate is a role-reopened notice at any time.
    ``encode`` embeds texts (L2-normalised rows) and is called only when there is something to score.
    """
    from embeddings.text import pasted_text, posting_text

    report = DoorReport()
    todo = []
    for rejection in rejections:
        door = door_of(rejection, default_days)
        if not door.company_id:
            continue
        since = datetime.combine(door.starts, time.min)
        mine = [o for o in openings if o["company_id"] == door.company_id and o["first_seen_at"] >= since]
        if mine:
            todo.append((rejection, door, mine))
    if not todo:
        return report
    queries = encode([pasted_text(rejection_query(r["title"], r["text"])) for r, _, _ in todo])
    missing = [o for _, _, mine in todo for o in mine if o.get("vector") is None]
    fresh = dict(zip((o["posting_id"] for o in missing), encode(
        [posting_text(o["title"], o["company"], o["description"], o["locations"] or []) for o in missing]
    ))) if missing else {}
    for query, (rejection, door, mine) in zip(queries, todo):
        scored = []
        for opening in mine:
            vector = opening.get("vector")
            vector = fresh[opening["posting_id"]] if vector is None else np.asarray(vector, dtype=np.float32)
            score = float(np.dot(query, vector))
            reopened = is_near_duplicate(rejection["title"], opening["title"], score, reopened_score)
            scored.append(DoorOpening(door.rejection_id, int(opening["posting_id"]), round(score, 4), reopened))
        scored.sort(key=lambda o: (-o.reopened, -o.score, o.posting_id))
        if door.cooling(today):
            notices = [o for o in scored if o.reopened]
            if notices:
                report.reopened[door.rejection_id] = notices
        else:
            kept = [o for o in scored if o.reopened or o.score >= min_score][:per_rejection]
            if kept:
                report.doors[door.rejection_id] = kept
    return report


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class DoorSettings:
    """The `[doors]` table of config.toml: default cool-off and the two similarity thresholds."""

    cooloff_days: int = DEFAULT_COOLOFF_DAYS
    min_score: float = DEFAULT_DOOR_MIN_SCORE
    reopened_score: float = DEFAULT_REOPENED_MIN_SCORE


def door_settings(settings) -> DoorSettings:
    """Read `[doors] cooloff_days, min_score, reopened_score` from config.toml; raises ConfigError when malformed."""
    from datahome.errors import ConfigError

    table = settings.section("doors")
    try:
        days = int(table.get("cooloff_days", DEFAULT_COOLOFF_DAYS))
        min_score = float(table.get("min_score", DEFAULT_DOOR_MIN_SCORE))
        reopened = float(table.get("reopened_score", DEFAULT_REOPENED_MIN_SCORE))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[doors] in {settings.config_file} holds a value that is not a number ({exc})") from None
    if days < 0:
        raise ConfigError(f"[doors] cooloff_days in {settings.config_file} must be >= 0")
    return DoorSettings(days, min_score, reopened)


@dataclass(frozen=True)
class HeldBack:
    """What suggestions leave out: postings marked applied or dismissed, and companies in a cool-off."""

    posting_ids: frozenset[int] = frozenset()
    company_ids: frozenset[str] = frozenset()


def held_back(con, today: date, default_days: int = DEFAULT_COOLOFF_DAYS,
              include_rejecting_company: bool = False) -> HeldBack:
    """The postings and companies to leave out of suggestions on ``today`` (active rejections' cool-offs)."""
    from warehouse.feedback import excluded_posting_ids, rejection_doors

    companies = set() if include_rejecting_company else cooling_company_ids(rejection_doors(con), today, default_days)
    return HeldBack(frozenset(excluded_posting_ids(con)), frozenset(companies))
