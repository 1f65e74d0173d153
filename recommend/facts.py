"""What a posting says about itself, read the same way wherever it is needed: its level from the title, its places
and whether it is remote, its salary as a yearly range.

A salary range is turned into a yearly range from its period (hour, day, week, month, year).
"""

from __future__ import annotations

import math
import re
import unicodedata

SENIORITY_LEVELS = ("intern", "junior", "mid", "senior", "lead", "executive")
_SENIORITY_WORDS = (  # first match wins, most specific first
    ("executive", r"\b(chief|cto|ceo|cfo|coo|vp|vice president|director|head of)\b"),
    ("lead", r"\b(lead|staff|principal|architect|manager)\b"),
    ("senior", r"\b(senior|sr|snr|expert)\b|\biii\b"),
    ("junior", r"\b(junior|jr|graduate|entry level|trainee|associate)\b"),
    ("intern", r"\b(intern|internship|apprentice|werkstudent|working student)\b"),
)
# Words that split one occupation into specialisms no one moves between on a rejection (an iOS engineer is not a
# backend engineer; an ICU nurse is not a community nurse). Each specialism is one bit of `specialisms_of`.
SPECIALISMS = (
    ("ios", r"\b(ios|swift|swiftui)\b"),
    ("android", r"\b(android|kotlin)\b"),
    ("frontend", r"\b(front ?end|frontend|react|vue|angular|ui engineer)\b"),
    ("backend", r"\b(back ?end|backend|server side|api engineer)\b"),
    ("mobile", r"\bmobile\b"),
    ("data", r"\b(data engineer|data engineering|etl|analytics engineer)\b"),
    ("ml", r"\b(machine learning|ml|ai engineer|deep learning)\b"),
    ("devops", r"\b(devops|sre|site reliability|platform engineer|infrastructure)\b"),
    ("embedded", r"\b(embedded|firmware)\b"),
    ("qa", r"\b(qa|test engineer|quality assurance|sdet)\b"),
    ("security", r"\b(security|secops|penetration)\b"),
    ("icu", r"\b(icu|itu|intensive care|critical care)\b"),
    ("community", r"\b(community|district)\b"),
    ("mental health", r"\b(mental health|psychiatric|rmn)\b"),
    ("paediatric", r"\b(paediatric|pediatric|children s|neonatal|nicu)\b"),
    ("theatre", r"\b(theatre|theatres|perioperative|scrub)\b"),
    ("emergency", r"\b(emergency|a e|urgent care)\b"),
)
_SPECIALISM_BIT = {name: 1 << bit for bit, (name, _) in enumerate(SPECIALISMS)}
_MOBILE = _SPECIALISM_BIT["mobile"]
_MOBILE_PLATFORMS = _SPECIALISM_BIT["ios"] | _SPECIALISM_BIT["android"]
PERIODS_PER_YEAR = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}
_PERIOD_ALIASES = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "yearly": "year",
                   "annual": "year", "annually": "year", "annum": "year", "hr": "hour", "yr": "year", "mo": "month"}

def fold(text: str | None) -> str:
    """Lower case without accents and with single spaces, for comparing places and names."""
    text = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def seniority_of(title: str | None) -> str:
    """The level a title names (one of `SENIORITY_LEVELS`); "mid" when it names none."""
    folded = re.sub(r"[^\w ]+", " ", fold(title))
    for level, pattern in _SENIORITY_WORDS:
        if re.search(pattern, folded):
            return level
    return "mid"


def level_of(title: str | None) -> int:
    """The level a title names as an ordinal: its position in `SENIORITY_LEVELS` (intern 0 ... executive 5)."""
    return SENIORITY_LEVELS.index(seniority_of(title))


def specialisms_of(title: str | None) -> int:
    """The specialisms a title names, as a bit set over `SPECIALISMS` (0 when it names none). A mobile title that
    names no platform counts as every mobile platform: a mobile developer is not another specialism than an iOS
    one, while iOS and Android are."""
    folded = re.sub(r"[^\w ]+", " ", fold(title))
    found = sum(1 << bit for bit, (_, pattern) in enumerate(SPECIALISMS) if re.search(pattern, folded))
    if found & _MOBILE and not found & _MOBILE_PLATFORMS:
        found |= _MOBILE_PLATFORMS
    return found


def period_of(period: str | None) -> str | None:
    """A salary period as one of `PERIODS_PER_YEAR`'s keys, or None when unknown."""
    word = fold(period).removeprefix("per ").strip()
    word = _PERIOD_ALIASES.get(word, word)
    return word if word in PERIODS_PER_YEAR else None


def yearly_salary(row: dict) -> tuple[float | None, float | None, str | None]:
    """(low, high, currency) of a posting's salary as yearly amounts; (None, None, None) when it gives none.

    A missing period is taken as yearly when the amount looks yearly (>= 1,000), else unknown.
    """
    low, high = _number(row.get("salary_min")), _number(row.get("salary_max"))
    if low is None and high is None:
        return None, None, None
    period = period_of(row.get("salary_period"))
    if period is None:
        if max(v for v in (low, high) if v is not None) < 1000:
            return None, None, None
        period = "year"
    factor = PERIODS_PER_YEAR[period]
    currency = (row.get("salary_currency") or "").strip().upper() or None
    return (None if low is None else low * factor), (None if high is None else high * factor), currency


def is_remote(row: dict) -> bool:
    """Whether a posting is remote: the board says so, or one of its places says "remote"."""
    if row.get("is_remote"):
        return True
    return any("remote" in fold(place) for place in places_of(row))


def places_of(row: dict) -> list[str]:
    """The places a posting names (its `locations`, else its one `location`), as strings."""
    places = row.get("locations")
    if places is None:
        places = [row.get("location")] if row.get("location") else []
    return [str(p) for p in places if p]


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
