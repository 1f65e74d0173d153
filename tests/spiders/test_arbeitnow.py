"""The Arbeitnow spider on the two recorded ats-2026 pages (envelopes reduced to ``data``), and its paging."""

from __future__ import annotations

import json

import pytest

from spiders.errors import BadArgument
from spiders.sources.arbeitnow import ArbeitnowSpider
from tests.support.spiders import ATS_2026, as_dicts, response_for, shared

PAGE = "https://www.arbeitnow.com/api/job-board-api?page={n}"
FIELDS = ("source_id", "title", "company", "locations", "is_remote", "posted_at")
EXPECTED = {
    "TheGamer406__arbeitnow.json": [
        ("praktikant-marketing-event-student-in-offenburg-442686", "Praktikant Marketing/Event (m/w/d) - Student: in",
         "Georg Kuhn GmbH", ["Offenburg"], False, "2026-08-15T15:30:24Z"),
        ("quereinsteiger-redaktion-marketing-vertrieb-berlin-308023",
         "Quereinsteiger: Redaktion, Marketing, Vertrieb (m/w/d)", "GITO mbH Verlag", ["Berlin"], False,
         "2026-08-15T15:00:26Z"),
        ("remote-senior-account-executive-enterprise-165386", "Senior Account Executive, Enterprise", "veeamsoftware",
         ["Remote"], True, "2026-08-15T14:55:32Z"),
    ],
    "lcarlini__arbeitnow.json": [
        ("ml-product-engineer-heidelberg-60723", "ML Product Engineer", "kausable GmbH", ["Heidelberg"], False,
         "2026-08-03T21:30:34Z"),
        ("machine-meta-learner-heidelberg-235959", "Machine (Meta) Learner", "kausable GmbH", ["Heidelberg"], False,
         "2026-08-03T21:30:34Z"),
        ("technical-co-founder-cto-aureas-munich-353142", "Technical Co-Founder/CTO aureas", "aureas", ["Munich"],
         False, "2026-08-03T21:30:33Z"),
        ("senior-product-owner-hamburg-berlin-302643", "Senior Product Owner m/w/d", "dept", ["Hamburg, Berlin"],
         False, "2026-08-03T21:16:52Z"),
        ("director-of-data-berlin-456700", "Director of Data (m/f/d)", "Moonfare", ["Berlin"], False,
         "2026-08-03T21:16:18Z"),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recorded_page_yields_exact_items(name):
    file = shared(ATS_2026 / "arbeitnow" / name)
    data = json.loads(file.read_text(encoding="utf-8"))["data"]
    results = list(ArbeitnowSpider().parse(response_for(PAGE.format(n=1), file), number=1))
    items = as_dicts(results)
    assert [tuple(item[f] for f in FIELDS) for item in items] == EXPECTED[name]
    assert [item["url"] for item in items] == [job["url"] for job in data]
    assert len(items) == len(results)  # a reduced envelope has no links.next: no further page
    for item in items:
        assert item["description"] and "<" not in item["description"] and "&lt;" not in item["description"]
        assert item["credit"] is None and item["source"] == "arbeitnow"


def test_escaped_html_descriptions_become_text():
    file = shared(ATS_2026 / "arbeitnow" / "lcarlini__arbeitnow.json")
    items = as_dicts(ArbeitnowSpider().parse(response_for(PAGE.format(n=1), file), number=1))
    assert items[3]["description"].startswith("Senior Product Owner (d/f/m)\nHamburg, Berlin, Hybrid\n\nDEPT®")
    assert items[3]["description"].endswith("Find more English Speaking Jobs in Germany on Arbeitnow")


def test_a_linked_next_page_is_requested_until_the_page_cap(tmp_path):
    data = json.loads(shared(ATS_2026 / "arbeitnow" / "TheGamer406__arbeitnow.json").read_text(encoding="utf-8"))
    page = tmp_path / "page.json"
    page.write_text(json.dumps(dict(data, links={"next": PAGE.format(n=2)}, meta={"current_page": 1})))
    spider = ArbeitnowSpider(max_pages=2)
    requests = [r for r in spider.parse(response_for(PAGE.format(n=1), page), number=1) if hasattr(r, "callback")]
    assert [(r.url, r.cb_kwargs) for r in requests] == [(PAGE.format(n=2), {"number": 2})]
    assert [r for r in spider.parse(response_for(PAGE.format(n=2), page), number=2) if hasattr(r, "callback")] == []
    assert spider.errors == ["stopped after 2 pages (max_pages); the rest of the board was not read"]


def test_board_keeps_matching_jobs_only():
    file = shared(ATS_2026 / "arbeitnow" / "lcarlini__arbeitnow.json")
    items = as_dicts(ArbeitnowSpider(board="data scientist").parse(response_for(PAGE.format(n=1), file), number=1))
    assert [i["source_id"] for i in items] == ["ml-product-engineer-heidelberg-60723",
                                               "machine-meta-learner-heidelberg-235959"]
    assert {i["company"] for i in items} == {"kausable GmbH"}  # an aggregator's board never names the company


def test_max_pages_must_be_positive():
    with pytest.raises(BadArgument):
        ArbeitnowSpider(max_pages=0)
