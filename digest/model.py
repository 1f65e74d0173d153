"""What a digest holds, independent of how it is rendered, and the small formatters both renderings share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote, urlsplit

# Characters kept as they are in a link; everything else (quotes, brackets, spaces, parentheses) is %-encoded.
_URL_SAFE = ":/?#@!$&*+,;=%~-._[]"


@dataclass
class Entry:
    """One posting as the digest shows it."""

    posting_id: int
    title: str
    company: str | None
    location: str | None
    salary: str | None
    freshness: str
    score: float | None
    credit: str
    url: str | None
    reopened: bool = False
    note: str | None = None
    reason: str | None = None  # why a match was suggested (flows/reasons.py)


@dataclass
class Group:
    """Everything the digest says about one active rejection."""

    rejection_id: int
    title: str
    company: str | None
    matches: list[Entry] = field(default_factory=list)
    companies: list[dict] = field(default_factory=list)
    doors: list[Entry] = field(default_factory=list)
    reopened: list[Entry] = field(default_factory=list)
    cooloff_ends: date | None = None
    cooling: bool = False
    next_steps: object | None = None  # journal.next_steps.NextSteps (digest/next_steps.py)

    @property
    def is_empty(self) -> bool:
        """True when there is nothing new for this rejection."""
        return not (self.matches or self.doors or self.reopened)


@dataclass
class Digest:
    """One week's digest: a group per active rejection, and the saved postings still open."""

    week: str
    today: date
    monday: date
    sunday: date
    groups: list[Group] = field(default_factory=list)
    saved: list[Entry] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when no rejection has anything new (saved postings alone do not make a week)."""
        return all(group.is_empty for group in self.groups)

    def items(self) -> list[tuple[int, int, str, float | None]]:
        """(rejection_id, posting_id, section, score) of every posting shown, to record as shown."""
        rows = []
        for group in self.groups:
            for section, entries in (("match", group.matches), ("door", group.doors), ("reopened", group.reopened)):
                rows.extend((group.rejection_id, e.posting_id, section, e.score) for e in entries)
        return rows

    @property
    def subject(self) -> str:
        """The mail subject: the week and how many new openings."""
        count = sum(len(g.matches) + len(g.doors) + len(g.reopened) for g in self.groups)
        if not count:
            return f"plenty {self.week}: nothing new this week"
        return f"plenty {self.week}: {count} new opening{'s' if count != 1 else ''} for you"


def entry_from(row: dict, today: date, score: float | None, reopened: bool = False, note: str | None = None) -> Entry:
    """An entry from a posting's details (see warehouse marts/posting_details)."""
    return Entry(
        posting_id=int(row["posting_id"]),
        title=row["title"],
        company=row.get("company"),
        location=row.get("location") or ("Remote" if row.get("is_remote") else None),
        salary=format_salary(row),
        freshness=freshness(row.get("posted_at"), row.get("first_seen_at"), today),
        score=None if score is None else round(float(score), 4),
        credit=row.get("credit") or f"via {row.get('source') or 'unknown source'}",
        url=safe_url(row.get("url")),
        reopened=reopened,
        note=note,
    )


def format_salary(row: dict) -> str | None:
    """``EUR 60,000–80,000 per year`` from the salary fields, or None when the posting gives none."""
    low, high = row.get("salary_min"), row.get("salary_max")
    if low is None and high is None:
        return None
    currency = (row.get("salary_currency") or "").strip()
    unit = f"{currency} " if currency else ""
    if low is not None and high is not None:
        amount = f"{unit}{_money(low)}" + (f"–{_money(high)}" if high != low else "")
    elif low is not None:
        amount = f"from {unit}{_money(low)}"
    else:
        amount = f"up to {unit}{_money(high)}"
    period = (row.get("salary_period") or "").strip()
    return f"{amount} per {period}" if period else amount


def _money(value: float) -> str:
    return f"{value:,.0f}" if abs(float(value)) >= 100 else f"{value:,.2f}"


def freshness(posted_at: datetime | None, first_seen_at: datetime | None, today: date) -> str:
    """``posted 3 days ago`` (or ``first seen ...`` when the board gives no date), relative to ``today``."""
    moment, verb = (posted_at, "posted") if posted_at else (first_seen_at, "first seen")
    if moment is None:
        return "date unknown"
    days = (today - (moment.date() if isinstance(moment, datetime) else moment)).days
    if days <= 0:
        return f"{verb} today"
    if days == 1:
        return f"{verb} yesterday"
    if days < 14:
        return f"{verb} {days} days ago"
    if days < 60:
        return f"{verb} {days // 7} weeks ago"
    return f"{verb} on {moment:%d %b %Y}"


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s) with a host, %-encoding anything that could break out of a link; else None."""
    if not url:
        return None
    text = str(url).strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(text, safe=_URL_SAFE)

