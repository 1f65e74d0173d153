"""The Workable widget spider's callback on the recorded ats-2026 response (descriptions cut at 600 characters
by the recorder: the text that is there is asserted)."""

from __future__ import annotations

from spiders.sources.workable import WorkableSpider
from tests.support.spiders import ATS_2026, as_dicts, response_for, shared

PAGE = "https://apply.workable.com/api/v1/widget/accounts/{board}?details=true"


def test_recorded_account_yields_exact_items():
    file = shared(ATS_2026 / "workable" / "michaeldinhmai__workable.json")
    items = as_dicts(WorkableSpider(board="vasion").parse(response_for(PAGE.format(board="vasion"), file)))
    descriptions = [item.pop("description") for item in items]
    none = dict(salary_min=None, salary_max=None, salary_currency=None, salary_period=None, updated_at=None,
                valid_through=None, credit=None)
    common = dict(source="workable", board="vasion", company="Vasion", department="Sales - International",
                  employment_type="Full-time", **none)
    assert items == [
        dict(common, source_id="74172297A5", url="https://apply.workable.com/j/74172297A5",
             title="Account Executive (Partner First) - APAC", locations=["New South Wales, Australia"],
             is_remote=True, posted_at="2026-08-05T00:00:00Z"),
        dict(common, source_id="15F16B8D99", url="https://apply.workable.com/j/15F16B8D99",
             title="Account Executive - UK&I / Northern Europe", locations=["London, England, United Kingdom"],
             is_remote=False, posted_at="2026-08-10T00:00:00Z"),
    ]
    assert descriptions[0].startswith("Vasion is a cloud-native SaaS platform that simplifies print management")
    assert "\n\nThe Opportunity\n\nWe're looking for an ambitious, commercially minded" in descriptions[0]
    assert descriptions[1].endswith("grow our footprint in the SMB and Commercial segment across UK&I a")
    assert all("<" not in text for text in descriptions)


def test_the_request_asks_for_details():
    spider = WorkableSpider(board="vasion", api_base="http://127.0.0.1:9/")
    assert spider.api_base == "http://127.0.0.1:9"
    assert spider.needs_board is True
