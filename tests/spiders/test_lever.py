"""The Lever spider's callback: items from our own and recorded responses, and paging by skip/limit."""

from __future__ import annotations

import json

import pytest

from spiders.errors import BadArgument
from spiders.items import PostingItem
from spiders.sources.lever import LeverSpider
from tests.support.spiders import ATS_2026, LEVER_2015, OWN_FIXTURES, as_dicts, response_for, shared

PAGE = "https://api.lever.co/v0/postings/{board}?mode=json&skip={skip}&limit={limit}"


def test_own_board_yields_clean_items_with_lists_and_salary():
    spider = LeverSpider(board="brightwater")
    results = list(spider.parse(response_for(PAGE.format(board="brightwater", skip=0, limit=100),
                                             OWN_FIXTURES / "lever" / "brightwater.json")))
    common = dict(source="lever", board="brightwater", company="Brightwater")
    assert results == [
        PostingItem(
            **common, source_id="b1c2d3e4-0000-4000-8000-000000000001",
            url="https://jobs.lever.co/brightwater/b1c2d3e4-0000-4000-8000-000000000001",
            title="Customer Support Specialist", locations=["Lisbon, Portugal", "Porto, Portugal"], is_remote=False,
            department="Operations", employment_type="Part-time", salary_min=18.0, salary_max=22.0,
            salary_currency="EUR", salary_period="hour",
            description=(
                "Brightwater Labs is hiring a support specialist.\n\n"
                "You answer customer questions by email and phone.\n\n"
                "What you bring\n\n- Portuguese and English\n- Patience & care\n\n"
                "We offer a yearly learning budget.\n\nApply with a CV in English."
            ),
            posted_at="2026-08-29T10:40:00Z",
        ),
        PostingItem(
            **common, source_id="b1c2d3e4-0000-4000-8000-000000000002",
            url="https://jobs.lever.co/brightwater/b1c2d3e4-0000-4000-8000-000000000002",
            title="Embedded Software Engineer", locations=["Remote"], is_remote=True, department="Engineering",
            employment_type="Full-time", description="Build firmware for our next sensor.",
            posted_at="2026-08-30T14:26:40Z",
        ),
    ]


def test_recorded_palantir_board_yields_exact_items():
    file = shared(ATS_2026 / "lever" / "ericleerepo__lever.json")
    items = as_dicts(LeverSpider(board="palantir", company="Palantir Technologies").parse(
        response_for(PAGE.format(board="palantir", skip=0, limit=100), file)))
    descriptions = [item.pop("description") for item in items]
    none = dict(salary_min=None, salary_max=None, salary_currency=None, salary_period=None, updated_at=None,
                valid_through=None, credit=None)
    common = dict(source="lever", board="palantir", company="Palantir Technologies", is_remote=False,
                  department="Administrative", employment_type="Full-time", **none)
    assert items == [
        dict(common, source_id="ac978161-6f46-4f6b-ad9e-a258e642751c",
             url="https://jobs.lever.co/palantir/ac978161-6f46-4f6b-ad9e-a258e642751c",
             title="Administrative Business Partner", locations=["London, United Kingdom"],
             posted_at="2024-03-25T21:50:16Z"),
        dict(common, source_id="0bbfd4f4-41ff-4ec6-b73f-5200efd5d4d3",
             url="https://jobs.lever.co/palantir/0bbfd4f4-41ff-4ec6-b73f-5200efd5d4d3",
             title="Administrative Business Partner - Security", locations=["Palo Alto, CA"],
             posted_at="2026-05-12T21:48:44Z"),
    ]
    for text in descriptions:
        assert text.startswith("A World-Changing Company\n\nPalantir builds the world’s leading software")
        assert "\n- " in text  # the posting's lists became bullet lines
        assert "Life at Palantir" in text  # the additional section is kept
        assert "<" not in text and "\xa0" not in text


def test_recorded_salary_range_becomes_salary_fields():
    file = shared(ATS_2026 / "lever" / "wule15__lever.json")
    response = response_for(PAGE.format(board="matchgroup", skip=0, limit=100), file)
    items = as_dicts(LeverSpider(board="matchgroup").parse(response))
    salary = [(i["salary_min"], i["salary_max"], i["salary_currency"], i["salary_period"]) for i in items]
    assert salary == [(150000.0, 180000.0, "USD", "year"), (None, None, None, None)]
    assert [i["company"] for i in items] == ["Matchgroup", "Matchgroup"]


def test_a_full_page_asks_for_the_next_and_a_short_page_ends():
    file = shared(LEVER_2015 / "responses" / "leverdemo_limit_10_mode_json.json")
    spider = LeverSpider(board="leverdemo", page_size=10)
    results = list(spider.parse(response_for(PAGE.format(board="leverdemo", skip=0, limit=10), file), skip=0))
    requests = [r for r in results if hasattr(r, "callback")]
    assert len(results) - len(requests) == 10
    assert [r.url for r in requests] == [PAGE.format(board="leverdemo", skip=10, limit=10)]
    assert requests[0].cb_kwargs == {"skip": 10}

    short = LEVER_2015 / "responses" / "leverdemo_limit_10_mode_json_skip_1.json"
    spider = LeverSpider(board="leverdemo", page_size=11)
    results = list(spider.parse(response_for(PAGE.format(board="leverdemo", skip=0, limit=11), short), skip=0))
    assert len(json.loads(short.read_text())) == 10
    assert not [r for r in results if hasattr(r, "callback")]


def test_a_page_size_must_be_positive():
    with pytest.raises(BadArgument):
        LeverSpider(board="x", page_size=0)
    with pytest.raises(BadArgument):
        LeverSpider(board="x", page_size="ten")
