"""Salary fields from free text as aggregators and Hacker News write it (``$45,000 - $50,000``, ``$18 - $22/hr``,
``€60k–80k``). Only what the text states is kept: no currency marker, no salary; no period word, no period.
"""

from __future__ import annotations

import re

_CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP", "usd": "USD", "eur": "EUR", "gbp": "GBP", "chf": "CHF",
               "cad": "CAD", "aud": "AUD"}
_CURRENCY = re.compile(r"[$€£]|\b(usd|eur|gbp|chf|cad|aud)\b", re.IGNORECASE)
# 45,000 | 31,2k (a decimal comma) | 150K | 82.5k
_AMOUNT = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+(?:[.,]\d+)?)\s*([kK])?\b")
_PERIODS = (
    (re.compile(r"/\s*h(ou)?r\b|\bper hour\b|\bhourly\b|\b/h\b", re.IGNORECASE), "hour"),
    (re.compile(r"/\s*day\b|\bper day\b|\bdaily\b", re.IGNORECASE), "day"),
    (re.compile(r"/\s*mo(nth)?\b|\bper month\b|\bmonthly\b", re.IGNORECASE), "month"),
    (re.compile(r"/\s*y(ea)?r\b|\bper (year|annum)\b|\bannual(ly)?\b|\byearly\b|\bp\.?a\.?\b", re.IGNORECASE), "year"),
)


def _number(digits: str, thousands: str | None) -> float:
    if re.fullmatch(r"\d{1,3}(,\d{3})+", digits):
        value = float(digits.replace(",", ""))
    else:
        value = float(digits.replace(",", "."))
    return value * 1000 if thousands else value


def parse_salary(text: object) -> dict:
    """``salary_min``/``salary_max``/``salary_currency``/``salary_period`` stated in ``text`` (``{}`` if none)."""
    if not text:
        return {}
    text = str(text)
    currency = _CURRENCY.search(text)
    if not currency:
        return {}
    amounts = [_number(digits, k) for digits, k in _AMOUNT.findall(text)]
    # "$150K-$250K": a "k" on the upper bound applies to a bare lower bound written in the same range.
    if len(amounts) >= 2 and amounts[0] < 1000 <= amounts[1] and re.search(r"\d\s*[kK]\b", text):
        amounts[0] *= 1000
    amounts = [a for a in amounts if a > 0][:2]
    if not amounts:
        return {}
    result = {"salary_min": min(amounts), "salary_max": max(amounts),
              "salary_currency": _CURRENCIES[currency.group().lower()]}
    for pattern, period in _PERIODS:
        if pattern.search(text):
            result["salary_period"] = period
            break
    return result
