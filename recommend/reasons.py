"""Why a posting is suggested: shared occupation and skills, and how it differs from the rejected role
(seniority, place or remote, salary). One short line per suggestion, for the CLI and the digest."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from recommend.facts import fold, is_remote, seniority_of, yearly_salary

SKILLS_SHOWN = 4
_CURRENCY_SIGNS = {"€": "EUR", "£": "GBP", "$": "USD"}
_AMOUNT = r"(\d{1,3}(?:[,.\s]\d{3})+|\d+(?:\.\d+)?)\s*(k)?"
_SALARY = re.compile(
    rf"(?P<sign>[€£$])\s*{_AMOUNT}(?:\s*(?:-|–|to)\s*[€£$]?\s*{_AMOUNT})?"
    rf"|(?P<code>EUR|GBP|USD|CHF|CAD|AUD)\s*{_AMOUNT}(?:\s*(?:-|–|to)\s*{_AMOUNT})?",
    re.I,
)


@dataclass(frozen=True)
class Role:
    """What the reason compares: a role's level, places, remote flag, yearly salary and skill terms."""

    title: str
    seniority: str
    places: tuple[str, ...] = ()
    remote: bool = False
    salary: tuple[float | None, float | None, str | None] = (None, None, None)
    skills: tuple[str, ...] = field(default_factory=tuple)


def rejected_role(title: str, text: str, skills: list[str]) -> Role:
    """The facts of a rejected role from its title and text (its place is whatever places the text names)."""
    folded = fold(text)
    return Role(title=title, seniority=seniority_of(title), remote="remote" in folded,
                salary=salary_in_text(text), skills=tuple(skills), places=(folded,))


def posting_role(row: dict, skills: list[str]) -> Role:
    """The facts of a posting (a ranking-corpus row)."""
    places = tuple(str(p) for p in (row.get("locations") if row.get("locations") is not None else []) if p)
    return Role(title=row.get("title") or "", seniority=seniority_of(row.get("title")), places=places,
                remote=is_remote(row), salary=yearly_salary(row), skills=tuple(skills))


def salary_in_text(text: str) -> tuple[float | None, float | None, str | None]:
    """The first salary a text states with a currency ("€60,000–75,000", "GBP 45k"), read as yearly when it
    is at least 1,000; else (None, None, None)."""
    for match in _SALARY.finditer(text or ""):
        groups = match.groups()
        if match.group("sign"):
            currency, low, high = _CURRENCY_SIGNS[match.group("sign")], _amount(*groups[1:3]), _amount(*groups[3:5])
        else:
            currency, low, high = match.group("code").upper(), _amount(*groups[6:8]), _amount(*groups[8:10])
        if low is not None and low >= 1000:
            return low, high, currency
    return None, None, None


def reason(query: Role, posting: Role, occupations: tuple[str, ...] = ()) -> str:
    """One line: what the posting shares with the rejected role, then the differences that matter."""
    parts = []
    if occupations:
        parts.append(f"same occupation: {occupations[0]}")
    shared = [s for s in posting.skills if s in set(query.skills)][:SKILLS_SHOWN]
    if shared:
        parts.append(f"shared skills: {', '.join(shared)}")
    if posting.seniority != query.seniority:
        parts.append(f"{posting.seniority} level (yours: {query.seniority})")
    parts.append(_place(query, posting))
    salary = _salary(query, posting)
    if salary:
        parts.append(salary)
    return "; ".join(p for p in parts if p)


def _place(query: Role, posting: Role) -> str | None:
    if posting.remote:
        return "remote" if query.remote else "remote (yours was not)"
    if not posting.places:
        return None
    same = [p for p in posting.places if fold(p.split(",")[0]) and fold(p.split(",")[0]) in query.places[0]]
    if same:
        return f"same place: {same[0]}"
    return f"in {posting.places[0]}" + (" (yours was remote)" if query.remote else "")


def _salary(query: Role, posting: Role) -> str | None:
    low, high, currency = posting.salary
    if low is None and high is None:
        return None
    shown = f"{currency or ''} {_short(low)}{'–' + _short(high) if high is not None and high != low else ''}".strip()
    q_low, q_high, q_currency = query.salary
    q_mid, mid = _middle(q_low, q_high), _middle(low, high)
    if q_mid and mid and q_currency == currency:
        change = (mid - q_mid) / q_mid
        if abs(change) >= 0.05:
            return f"{shown} a year ({'+' if change > 0 else '−'}{abs(change):.0%} vs yours)"
        return f"{shown} a year (like yours)"
    return f"{shown} a year"


def _middle(low, high):
    values = [v for v in (low, high) if v is not None]
    return sum(values) / len(values) if values else None


def _short(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value / 1000:,.0f}k" if value >= 10_000 else f"{value:,.0f}"


def _amount(number: str | None, thousands: str | None) -> float | None:
    if not number:
        return None
    digits = re.sub(r"[,.\s](?=\d{3}\b)", "", number)
    try:
        value = float(digits)
    except ValueError:
        return None
    return value * 1000 if thousands else value
