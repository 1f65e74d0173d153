"""The Recruitee spider on the recorded ats-2026 offers (descriptions cut at 600 characters by the recorder),
and ``api_base`` replacing the company's own origin."""

from __future__ import annotations

from spiders.sources.recruitee import RecruiteeSpider, remote_flag
from tests.support.spiders import ATS_2026, as_dicts, response_for, shared


def test_recorded_offers_yield_exact_items():
    file = shared(ATS_2026 / "recruitee" / "michaeldinhmai__recruitee.json")
    spider = RecruiteeSpider(board="aikidosecurity")
    items = as_dicts(spider.parse(response_for("https://aikidosecurity.recruitee.com/api/offers/", file)))
    descriptions = [item.pop("description") for item in items]
    common = dict(source="recruitee", board="aikidosecurity", company="Aikido Security", employment_type="Full-time",
                  valid_through=None, credit=None)
    no_salary = dict(salary_min=None, salary_max=None, salary_currency=None, salary_period=None)
    assert items == [
        dict(common, **no_salary, source_id="2707521", title="Customer Success Engineer Tel Aviv",
             url="https://aikidosecurity.recruitee.com/o/customer-success-engineer-tel-aviv",
             locations=["Tel Aviv, Israel"], is_remote=True, department="Sales",
             posted_at="2026-08-11T20:45:29Z", updated_at="2026-08-11T20:45:29Z"),
        dict(common, **no_salary, source_id="2707517", title="Customer Success Engineer Dubai",
             url="https://aikidosecurity.recruitee.com/o/customer-success-engineer-dubai",
             locations=["Dubai, United Arab Emirates"], is_remote=True, department="Sales",
             posted_at="2026-08-11T20:42:44Z", updated_at="2026-08-11T20:42:44Z"),
        dict(common, source_id="2705729", title="Office Manager Chicago",
             url="https://aikidosecurity.recruitee.com/o/office-manager-chicago",
             locations=["Chicago, Illinois, United States"], is_remote=False, department="Operations",
             salary_min=75.0, salary_max=95.0, salary_currency="USD", salary_period="year",
             posted_at="2026-08-10T15:13:59Z", updated_at="2026-08-10T19:18:44Z"),
    ]
    assert descriptions[0].startswith("🌍 We’re making security suck less for developers.\n\nSecurity tools")
    assert "- Medior/Senior profile with prior experience in customer success" in descriptions[0]  # requirements
    assert all("<" not in text for text in descriptions)


def test_api_base_replaces_the_company_origin():
    assert RecruiteeSpider(board="acme").api_base == "https://acme.recruitee.com"
    assert RecruiteeSpider(board="acme", api_base="http://127.0.0.1:8000/").api_base == "http://127.0.0.1:8000"


def test_remote_flag_reads_the_three_work_modes():
    assert remote_flag({"remote": True, "on_site": False}) is True
    assert remote_flag({"remote": False, "hybrid": True}) is False
    assert remote_flag({}) is None
