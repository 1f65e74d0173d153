"""How one suggested opening reads in a terminal: its age ("3 days ago") and its salary ("EUR 60k–75k a year")."""

from __future__ import annotations

from datetime import date, datetime


def age_of(posted_at, today: date) -> str | None:
    """How long ago an ISO date or datetime was, in days or weeks ("today", "1 day ago", "5 weeks ago")."""
    if not posted_at:
        return None
    try:
        when = datetime.fromisoformat(str(posted_at)).date()
    except ValueError:
        return None
    days = (today - when).days
    if days <= 0:
        return "today"
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''} ago"
    return f"{days // 7} weeks ago" if days < 70 else f"{days // 30} months ago"


def salary_text(salary: dict | None) -> str | None:
    """A board's salary as shown: currency, range, period ("EUR 60k–75k a year"); None when it gives none."""
    if not salary:
        return None
    low, high = salary.get("min"), salary.get("max")
    if low is None and high is None:
        return None
    amounts = [_short(v) for v in (low, high) if v is not None]
    shown = "–".join(dict.fromkeys(amounts))
    period = (salary.get("period") or "").strip().lower().removeprefix("per ")
    article = "an" if period[:1] in ("a", "e", "i", "o", "u", "h") and period != "year" else "a"
    return " ".join(p for p in (salary.get("currency") or "", shown, f"{article} {period}" if period else "") if p)


def _short(value) -> str:
    number = float(value)
    return f"{number / 1000:,.0f}k" if number >= 10_000 else f"{number:,.0f}"
