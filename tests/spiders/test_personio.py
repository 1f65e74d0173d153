"""The Personio XML spider on our own feed in Personio's documented shape (no real recording exists)."""

from __future__ import annotations

import pytest
from scrapy.http import XmlResponse

from spiders.errors import UnexpectedResponse
from spiders.items import PostingItem
from spiders.sources.personio import PersonioSpider
from tests.support.spiders import OWN_FIXTURES

FEED = OWN_FIXTURES / "personio" / "brightwater.xml"


def _parse(spider, body: bytes, url: str = "https://brightwater.jobs.personio.de/xml?language=en"):
    return list(spider.parse(XmlResponse(url=url, body=body)))


def test_positions_become_items_with_sections_and_offices():
    spider = PersonioSpider(board="brightwater")
    items = _parse(spider, FEED.read_bytes())
    common = dict(source="personio", board="brightwater")
    assert items[:2] == [
        PostingItem(**common, source_id="1204711", url="https://brightwater.jobs.personio.de/job/1204711",
                    title="Backend Engineer (Python)", company="Brightwater Labs GmbH", locations=["Berlin", "Hamburg"],
                    department="Engineering", employment_type="Full-time",
                    description=("Your mission\n\nYou build the services behind our sensor platform.\n\n"
                                 "- Python & PostgreSQL\n- On call one week in six\n\n"
                                 "Your profile\n\nThree years of backend work."),
                    posted_at="2026-09-01T08:30:00Z"),
        PostingItem(**common, source_id="1204712", url="https://brightwater.jobs.personio.de/job/1204712",
                    title="Working Student Operations", company="Brightwater", locations=["Remote"], is_remote=True,
                    department="Operations", employment_type="Part-time",
                    description="About the role\n\nTwenty hours a week with our operations team.",
                    posted_at="2026-09-03T10:00:00Z"),
    ]
    assert items[2].title == ""  # left for the validation pipeline to drop
    assert spider.pages_parsed == 1


def test_api_base_replaces_the_company_origin_in_requests_and_urls():
    spider = PersonioSpider(board="brightwater", api_base="http://127.0.0.1:8000")
    items = _parse(spider, FEED.read_bytes(), url="http://127.0.0.1:8000/xml?language=en")
    assert items[0].url == "http://127.0.0.1:8000/job/1204711"
    assert PersonioSpider(board="acme").api_base == "https://acme.jobs.personio.de"


def test_a_page_that_is_not_a_personio_feed_is_an_error():
    with pytest.raises(UnexpectedResponse, match="workzag-jobs"):
        _parse(PersonioSpider(board="brightwater"), b"<html><body>Maintenance</body></html>")
