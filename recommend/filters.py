"""Filters on suggestions (`plenty similar --remote ...` and per-rejection settings).

Salaries are compared as yearly amounts in one currency (see `recommend.facts.yearly_salary`) and only when the
posting's currency is the filter's. A posting that gives no salary, or gives it in another currency, is kept:
most boards publish none, and no exchange rate is guessed here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from datahome.errors import InputError
from recommend.facts import SENIORITY_LEVELS, fold, is_remote, places_of, seniority_of, yearly_salary

if TYPE_CHECKING:
    import numpy as np

DEFAULT_CURRENCY = "EUR"


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
    def from_options(cls, remote: bool = False, location: str | None = None, seniority: str | None = None,
                     min_salary: float | None = None, currency: str | None = None,
                     posted_within: int | None = None, exclude_company=()) -> Filters:
        """Filters as a user gives them (the CLI's options, the web app's fields): `seniority` comma-separated,
        blank texts filter nothing."""
        levels = tuple(s.strip().lower() for s in (seniority or "").split(",") if s.strip())
        return cls(remote=bool(remote), location=(location or "").strip() or None, seniority=levels,
                   min_salary=min_salary, currency=(currency or "").strip().upper() or None,
                   posted_within_days=posted_within,
                   exclude_companies=tuple(c.strip() for c in exclude_company if c.strip()))

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
            place_ok = bool(self.location) and any(fold(self.location) in fold(p) for p in places_of(row))
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


def _moment(value) -> datetime | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return value if isinstance(value, datetime) else None
