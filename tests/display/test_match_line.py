"""An opening's age and salary as `plenty similar` prints them."""

from datetime import date

from display.match_line import age_of, salary_text

TODAY = date(2026, 12, 7)


def test_age_in_days_weeks_or_months():
    assert age_of("2026-12-07T08:00:00+00:00", TODAY) == "today"
    assert age_of("2026-12-06", TODAY) == "1 day ago"
    assert age_of("2026-11-30", TODAY) == "7 days ago"
    assert age_of("2026-11-01", TODAY) == "5 weeks ago"
    assert age_of("2026-06-01", TODAY) == "6 months ago"
    assert age_of(None, TODAY) is None and age_of("not a date", TODAY) is None


def test_salary_as_the_board_gave_it():
    assert salary_text({"min": 60000, "max": 75000, "currency": "EUR", "period": "year"}) == "EUR 60k–75k a year"
    assert salary_text({"min": 4000, "max": 4000, "currency": "EUR", "period": "month"}) == "EUR 4,000 a month"
    assert salary_text({"min": None, "max": 30, "currency": None, "period": "per hour"}) == "30 an hour"
    assert salary_text(None) is None and salary_text({"min": None, "max": None}) is None
