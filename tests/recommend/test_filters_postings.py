"""Suggestion filters: seniority from titles, yearly salaries, place/remote, dates, companies."""

from datetime import date, datetime

import pytest

from datahome.errors import InputError
from recommend.facts import seniority_of, specialisms_of, yearly_salary
from recommend.filters import Filters

TODAY = date(2026, 11, 20)


def row(**fields) -> dict:
    base = {"title": "Backend Engineer", "company": "Acme GmbH", "company_id": "acme", "locations": ["Berlin, Germany"],
            "is_remote": False, "salary_min": None, "salary_max": None, "salary_currency": None,
            "salary_period": None, "posted_at": datetime(2026, 11, 18), "first_seen_at": datetime(2026, 11, 18)}
    base.update(fields)
    return base


def test_seniority_is_read_from_the_title():
    assert [seniority_of(t) for t in ("Senior Backend Engineer", "Sr. Data Analyst", "Junior Nurse",
                                      "Backend Engineer", "Head of Data", "Staff Engineer", "Software Intern")] == [
        "senior", "senior", "junior", "mid", "executive", "lead", "intern"]


def test_specialisms_conflict_only_between_distinct_ones():
    def conflict(a, b):
        mine, theirs = specialisms_of(a), specialisms_of(b)
        return bool(mine and theirs and not mine & theirs)

    assert conflict("Senior Backend Engineer", "Senior iOS Engineer")
    assert conflict("ICU Nurse", "Community Nurse (Band 6)")
    assert conflict("iOS Developer", "Android Developer")
    assert conflict("Mobile Developer", "Backend Developer")
    assert not conflict("Mobile Developer", "iOS Developer")  # a mobile title naming no platform takes any
    assert not conflict("Mobile Engineer (Android)", "Android Developer")
    assert not conflict("Senior Backend Engineer", "Software Engineer")  # one names none: no conflict
    assert specialisms_of("Backend Engineer, Route Optimisation at Swiftlane") == specialisms_of("Backend Engineer")


def test_salaries_become_yearly_amounts_with_their_currency():
    assert yearly_salary(row(salary_min=30, salary_max=40, salary_currency="usd", salary_period="hour")) == (
        30 * 2080, 40 * 2080, "USD")
    assert yearly_salary(row(salary_min=5000, salary_currency="EUR", salary_period="monthly")) == (60000, None, "EUR")
    assert yearly_salary(row(salary_max=70000, salary_currency="GBP")) == (None, 70000, "GBP")  # no period: yearly
    assert yearly_salary(row()) == (None, None, None)


def test_min_salary_compares_yearly_amounts_in_the_same_currency_only():
    wanted = Filters(min_salary=60000, currency="EUR")
    assert not wanted.allows(row(salary_min=4000, salary_max=4500, salary_currency="EUR", salary_period="month"), TODAY)
    assert wanted.allows(row(salary_min=5000, salary_max=5500, salary_currency="EUR", salary_period="month"), TODAY)
    assert wanted.allows(row(salary_min=40000, salary_currency="USD", salary_period="year"), TODAY)  # not comparable
    assert wanted.allows(row(), TODAY)  # gives no salary: kept


def test_remote_location_seniority_dates_and_companies():
    remote = row(locations=["Remote (EU)"], is_remote=None)
    assert Filters(remote=True).allows(remote, TODAY) and not Filters(remote=True).allows(row(), TODAY)
    assert Filters(location="berlin").allows(row(), TODAY) and not Filters(location="Paris").allows(row(), TODAY)
    assert Filters(remote=True, location="Berlin").mask([remote, row(), row(locations=["Paris"])], TODAY).tolist() == [
        True, True, False]
    assert Filters(seniority=("senior", "lead")).mask(
        [row(), row(title="Senior Backend Engineer")], TODAY).tolist() == [False, True]
    old = row(posted_at=datetime(2026, 10, 1), first_seen_at=datetime(2026, 10, 1))
    assert Filters(posted_within_days=7).mask([row(), old], TODAY).tolist() == [True, False]
    assert not Filters(exclude_companies=("ACME, Inc.",)).allows(row(), TODAY)
    assert Filters(exclude_companies=("Globex",)).allows(row(), TODAY)


def test_stored_filters_round_trip_and_options_take_precedence():
    stored = Filters(remote=True, seniority=("senior",), min_salary=50000, exclude_companies=("Initech",))
    assert Filters.from_stored(stored.to_stored()) == stored.merged(Filters(currency="EUR"))
    merged = stored.merged(Filters(location="Berlin", exclude_companies=("Globex",)))
    assert merged.location == "Berlin" and merged.remote and merged.exclude_companies == ("Initech", "Globex")
    assert not Filters().active and Filters(remote=True).active


def test_bad_values_are_input_errors():
    with pytest.raises(InputError):
        Filters(seniority=("wizard",))
    with pytest.raises(InputError):
        Filters(min_salary=-1)
