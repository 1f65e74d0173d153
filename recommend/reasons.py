"""Why a posting is suggested: its rarest shared skills and occupation, and how it stands against the rejected
role (level, place or remote, salary). One short line of at most three items per suggestion, most informative
first, for the CLI and the digest."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from recommend.facts import SENIORITY_LEVELS, fold, is_remote, seniority_of, yearly_salary

SKILLS_SHOWN = 3
ITEMS_SHOWN = 3
# A skill named in more than this share of the open postings says nothing about one of them ("design and build").
GENERIC_SHARE = 0.15
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


def reason(query: Role, posting: Role, occupations: tuple[str, ...] = (), share=None,
           floor: tuple[float, str | None] | None = None) -> str:
    """One line of at most `ITEMS_SHOWN` items, most informative first: the rarest shared skills (`share` gives
    the share of open postings naming a skill; skills in more than `GENERIC_SHARE` of them are never named), the
    shared occupation (terms of `generic_skills` never), the level against the rejected role's, the place or remote, the salary against the
    rejection's (or the `floor`, a yearly (amount, currency) the user asked for)."""
    items = []
    generic = generic_skills()
    shared = list(dict.fromkeys(s for s in posting.skills if s in set(query.skills) and s not in generic))
    if share is not None:
        rarity = {s: share(s) for s in shared}
        shared = sorted((s for s in shared if rarity[s] <= GENERIC_SHARE), key=lambda s: (rarity[s], s))
    if shared:
        lead = 1.0 - rarity[shared[0]] if share is not None else 0.8
        items.append((lead, f"shared skills: {', '.join(shared[:SKILLS_SHOWN])}"))
    if occupations:
        items.append((0.75, f"same occupation: {occupations[0]}"))
    items.append(_level(query, posting))
    items.append(_place(query, posting))
    items.append(_salary(query, posting, floor))
    ranked = sorted((item for item in items if item), key=lambda item: -item[0])
    return "; ".join(text for _, text in ranked[:ITEMS_SHOWN])


@lru_cache(maxsize=1)
def generic_skills() -> frozenset[str]:
    """The skill terms no reason names (recommend/data/generic_skills.txt: words of ESCO labels found in any ad)."""
    text = resources.files("recommend").joinpath("data", "generic_skills.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _level(query: Role, posting: Role) -> tuple[float, str]:
    steps = SENIORITY_LEVELS.index(posting.seniority) - SENIORITY_LEVELS.index(query.seniority)
    if steps == 0:
        # "mid" is what a title without a level word reads as: two such titles say little by being alike.
        return (0.1 if posting.seniority == "mid" else 0.3), f"same level ({posting.seniority})"
    words = {1: "one level", 2: "two levels"}.get(abs(steps), f"{abs(steps)} levels")
    return (0.6 if abs(steps) == 1 else 0.7), f"{words} {'up' if steps > 0 else 'down'} ({posting.seniority})"


def _place(query: Role, posting: Role) -> tuple[float, str] | None:
    if posting.remote:
        return (0.5, "remote") if query.remote else (0.35, "remote (yours was not)")
    if not posting.places:
        return None
    same = [p for p in posting.places if fold(p.split(",")[0]) and fold(p.split(",")[0]) in query.places[0]]
    if same:
        return 0.5, f"same place: {same[0]}"
    return 0.2, f"in {posting.places[0]}" + (" (yours was remote)" if query.remote else "")


def _salary(query: Role, posting: Role, floor: tuple[float, str | None] | None = None) -> tuple[float, str] | None:
    low, high, currency = posting.salary
    if low is None and high is None:
        return None
    shown = f"{currency or ''} {_short(low)}{'–' + _short(high) if high is not None and high != low else ''}".strip()
    mid = _middle(low, high)
    if floor is not None and floor[0] and mid and (floor[1] or currency) == currency:
        top = high if high is not None else low
        side = "above" if (low if low is not None else top) >= floor[0] else "reaches" if top >= floor[0] else "below"
        return 0.55, f"{shown} a year ({side} your floor of {_short(floor[0])})"
    q_low, q_high, q_currency = query.salary
    q_mid = _middle(q_low, q_high)
    if q_mid and mid and q_currency == currency:
        change = (mid - q_mid) / q_mid
        if abs(change) >= 0.05:
            return 0.55, f"{shown} a year ({'+' if change > 0 else '−'}{abs(change):.0%} vs yours)"
        return 0.55, f"{shown} a year (like yours)"
    return 0.25, f"{shown} a year"


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
