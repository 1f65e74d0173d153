"""The SmartRecruiters spider: list pages by offset/limit, then each posting's detail for its text, on the recorded
ats-2026 responses (page 1: three postings, page 2: one, a detail whose sections the recorder cut at 600)."""

from __future__ import annotations

import pytest
from scrapy.http import TextResponse

from spiders.errors import BadArgument
from spiders.sources.smartrecruiters import SmartRecruitersSpider
from tests.support.spiders import ATS_2026, as_dicts, response_for, shared

API = "https://api.smartrecruiters.com/v1/companies/AutomationAnywhere1/postings"
RECORDED = ATS_2026 / "smartrecruiters"


def _requests(results):
    return [r for r in results if hasattr(r, "callback")]


def test_a_list_page_asks_for_each_detail_then_the_next_page():
    spider = SmartRecruitersSpider(board="AutomationAnywhere1")
    first = shared(RECORDED / "michaeldinhmai__smartrecruiters_page0.json")
    requests = _requests(spider.parse(response_for(f"{API}?offset=0&limit=100", first), offset=0))
    assert [r.url for r in requests] == [
        f"{API}/743999706414750", f"{API}/743999706405540", f"{API}/743999704892584", f"{API}?offset=3&limit=100"]
    assert requests[-1].cb_kwargs == {"offset": 3}
    # The recorded second page repeats a posting already listed: no second detail request, and no third page
    # (offset 3 + 1 reaches totalFound 4).
    second = RECORDED / "michaeldinhmai__smartrecruiters_page1.json"
    assert _requests(spider.parse(response_for(f"{API}?offset=3&limit=100", second), offset=3)) == []
    assert spider.pages_requested == 4 and spider.pages_parsed == 2


def test_the_detail_gives_the_text_and_the_list_the_fields():
    spider = SmartRecruitersSpider(board="AutomationAnywhere1")
    page = shared(RECORDED / "michaeldinhmai__smartrecruiters_page0.json")
    detail_request = _requests(spider.parse(response_for(f"{API}?offset=0&limit=100", page), offset=0))[0]
    detail = response_for(detail_request.url, RECORDED / "michaeldinhmai__smartrecruiters_detail.json")
    item = as_dicts([detail_request.callback(detail, **detail_request.cb_kwargs)])[0]
    description = item.pop("description")
    assert item == dict(
        source="smartrecruiters", board="AutomationAnywhere1", source_id="743999706414750",
        url="https://jobs.smartrecruiters.com/AutomationAnywhere1/743999706414750", title="Pricing Analyst",
        company="Automation Anywhere", locations=["San Jose, CA, United States"], is_remote=False,
        department="Information Technology", employment_type="Full-time", salary_min=None, salary_max=None,
        salary_currency=None, salary_period=None, posted_at="2020-02-06T19:42:44Z", updated_at=None,
        valid_through=None, credit=None,
    )
    paragraphs = description.split("\n\n")
    assert paragraphs[0].startswith("Automation Anywhere is the leader in Robotic Process Automation (RPA)")
    assert paragraphs[1].startswith("Pricing analysts work with complex data sets")
    assert paragraphs[-1] == "All your information will be kept confidential according to EEO guidelines."


def test_a_withdrawn_posting_is_counted_not_failed():
    spider = SmartRecruitersSpider(board="AutomationAnywhere1")
    gone = TextResponse(url=f"{API}/1", status=404, body=b'{"message": "not found"}', encoding="utf-8")
    assert spider.parse_detail(gone, summary={"id": "1"}) is None
    assert spider.pages_parsed == 1 and spider.errors == []


@pytest.mark.parametrize("size", [0, 101, "many"])
def test_page_size_is_bounded_by_the_api(size):
    with pytest.raises(BadArgument, match="page_size"):
        SmartRecruitersSpider(board="x", page_size=size)
