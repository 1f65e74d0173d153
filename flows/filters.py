"""Filters on suggestions (`plenty similar --remote ...` and per-rejection settings), and the posting facts they
read: seniority from the title, place and remote, yearly salary.

Salaries are compared as yearly amounts in one currency: a posting's range is turned into a yearly range from
its period (hour, day, week, month, year) and compared only when its currency is the filter's. A posting that
gives no salary, or gives it in another currency, is kept: most boards publish none, and no exchange rate is
guessed here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from flows.errors import InputError

if TYPE_CHECKING:
    import numpy as np

SENIORITY_LEVELS = ("intern", "junior", "mid", "senior", "lead", "executive")
_SENIORITY_WORDS = (  # first match wins, most specific first
    ("executive", r"\b(chief|cto|ceo|cfo|coo|vp|vice president|director|head of)\b"),
    ("lead", r"\b(lead|staff|principal|architect|manager)\b"),
    ("senior", r"\b(senior|sr|snr|expert)\b|\biii\b"),
    ("junior", r"\b(junior|jr|graduate|entry level|trainee|associate)\b"),
    ("intern", r"\b(intern|internship|apprentice|werkstudent|working student)\b"),
)
PERIODS_PER_YEAR = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}
_PERIOD_ALIASES = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "yearly": "year",
                   "annual": "year", "annually": "year", "annum": "year", "hr": "hour", "yr": "year", "mo": "month"}
DEFAULT_CURRENCY = "EUR"


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
    return any("remote" in fold(place) for place in _places(row))


@dataclass(frozen=True)
class Filters:
    """Which postings may be suggested; the defaults let every posting through."""

    remote: bool = False
    location: str | None = None
    seniority: tuple[str, ...] = ()
    min_salary: float | None = None
    currency: str | None = None
    posted_within_days: int | None = None
    exclude_companies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = [s for s in self.seniority if s not in SENIORITY_LEVELS]
        if unknown:
            raise InputError(f"unknown seniority {', '.join(unknown)}; use {', '.join(SENIORITY_LEVELS)}")
        if self.min_salary is not None and self.min_salary < 0:
            raise InputError("the minimum salary cannot be negative")
        if self.posted_within_days is not None and self.posted_within_days < 0:
            raise InputError("--posted-within needs a number of days >= 0")

    @property
    def active(self) -> bool:
        """True when any filter is set."""
        return self != Filters()

    @property
    def salary_currency(self) -> str:
        """The currency a minimum salary is in."""
        return (self.currency or DEFAULT_CURRENCY).upper()

    def merged(self, other: Filters) -> Filters:
        """These filters with every setting of `other` that is set taking precedence; excluded companies add up."""
        changes = {f.name: getattr(other, f.name) for f in fields(Filters)
                   if getattr(other, f.name) not in (None, False, ())}
        changes["exclude_companies"] = tuple(dict.fromkeys(self.exclude_companies + other.exclude_companies))
        return Filters(**{**{f.name: getattr(self, f.name) for f in fields(Filters)}, **changes})

    def to_stored(self) -> dict:
        """The warehouse's `rejection_filters` fields."""
        return {"is_remote": self.remote or None, "location": self.location,
                "seniority": ",".join(self.seniority) or None, "min_salary": self.min_salary,
                "salary_currency": self.salary_currency if self.min_salary is not None else None,
                "posted_within_days": self.posted_within_days,
                "exclude_companies": list(self.exclude_companies) or None}

    @classmethod
    def from_stored(cls, row: dict | None) -> Filters:
        """Filters from a `rejection_filters` row (None or all-null: no filters)."""
        row = row or {}
        return cls(remote=bool(row.get("is_remote")), location=row.get("location"),
                   seniority=tuple(s for s in (row.get("seniority") or "").split(",") if s),
                   min_salary=row.get("min_salary"), currency=row.get("salary_currency"),
                   posted_within_days=row.get("posted_within_days"),
                   exclude_companies=tuple(row.get("exclude_companies") or ()))

    def describe(self) -> str:
        """The filters in words, for the CLI's header line."""
        parts = []
        if self.remote or self.location:
            parts.append(" or ".join(p for p in ("remote" if self.remote else None,
                                                 f"in {self.location}" if self.location else None) if p))
        if self.seniority:
            parts.append("/".join(self.seniority))
        if self.min_salary is not None:
            parts.append(f"at least {self.salary_currency} {self.min_salary:,.0f} a year")
        if self.posted_within_days is not None:
            parts.append(f"posted within {self.posted_within_days} days")
        if self.exclude_companies:
            parts.append(f"not at {', '.join(self.exclude_companies)}")
        return "; ".join(parts)

    def allows(self, row: dict, today: date) -> bool:
        """Whether one posting (a ranking-corpus row) passes every filter."""
        if self.remote or self.location:
            remote_ok = self.remote and is_remote(row)
            place_ok = bool(self.location) and any(fold(self.location) in fold(p) for p in _places(row))
            if not (remote_ok or place_ok):
                return False
        if self.seniority and seniority_of(row.get("title")) not in self.seniority:
            return False
        if self.min_salary is not None:
            low, high, currency = yearly_salary(row)
            best = high if high is not None else low
            if currency == self.salary_currency and best is not None and best < self.min_salary:
                return False
        if self.posted_within_days is not None:
            moment = _moment(row.get("posted_at")) or _moment(row.get("first_seen_at"))
            if moment is not None and moment.date() < today - timedelta(days=self.posted_within_days):
                return False
        if self.exclude_companies:
            names = {fold(n) for n in self.exclude_companies}
            ids = {_company_key(n) for n in self.exclude_companies}
            if fold(row.get("company")) in names or (row.get("company_id") or "") in ids:
                return False
        return True

    def mask(self, rows: list[dict], today: date) -> np.ndarray:
        """A boolean array: which of `rows` pass."""
        import numpy as np  # here: the CLI imports this module, and numpy is only needed when ranking

        if not self.active:
            return np.ones(len(rows), dtype=bool)
        return np.fromiter((self.allows(row, today) for row in rows), dtype=bool, count=len(rows))


def _company_key(name: str) -> str:
    # The warehouse's company_id_of, in Python: words joined by '-', legal suffixes dropped.
    key = re.sub(r"[^\w]+", "-", fold(name)).strip("-").replace("_", "-")
    return re.sub(r"(-(inc|llc|ltd|limited|gmbh|corp|corporation|plc|ag|sa|bv|srl|oy|ab))+$", "", key)


def _places(row: dict) -> list[str]:
    places = row.get("locations")
    if places is None:
        places = [row.get("location")] if row.get("location") else []
    return [str(p) for p in places if p]


def _moment(value) -> datetime | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return value if isinstance(value, datetime) else None


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
