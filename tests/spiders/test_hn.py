"""The Hacker News "Who is hiring?" spider on the recorded April 2026 thread: headers read, several roles become
several postings, unparseable comments are counted and never guessed."""

from __future__ import annotations

import pytest
from scrapy.http import TextResponse

from spiders.errors import BadArgument
from spiders.sources.hn import HackerNewsSpider
from spiders.sources.hn_header import read_header
from tests.support.hn import THREAD_ID, item_body, recorded_comments, thread_item
from tests.support.spiders import as_dicts

API = "https://hacker-news.firebaseio.com/v0/item/{id}.json"


def _response(item: dict) -> TextResponse:
    return TextResponse(url=API.format(id=item["id"]), body=item_body(item), encoding="utf-8")


def _by_id() -> dict[int, dict]:
    return {c["id"]: c for c in recorded_comments()}


def _items(spider, comment) -> list[dict]:
    items = as_dicts(spider.parse_comment(_response(comment)))
    for item in items:
        item.pop("description")
    return items


def test_the_thread_asks_for_every_top_level_comment():
    comments = recorded_comments()
    spider = HackerNewsSpider(board=str(THREAD_ID))
    requests = list(spider.parse(_response(thread_item(comments))))
    assert [r.url for r in requests] == [API.format(id=c["id"]) for c in comments]
    assert len(requests) == 345 and spider.pages_requested == 345 and spider.pages_parsed == 1


def test_one_role_one_posting_with_exact_fields():
    spider = HackerNewsSpider(board=str(THREAD_ID))
    none = dict(department=None, updated_at=None, valid_through=None, credit=None)
    common = dict(source="hn", board=str(THREAD_ID), **none)
    assert _items(spider, _by_id()[47606059]) == [dict(
        common, source_id="47606059", url="https://news.ycombinator.com/item?id=47606059",
        title="Senior Software Engineer", company="Against Malaria Foundation", locations=["Remote (UK)"],
        is_remote=True, employment_type="Full-time", salary_min=None, salary_max=None, salary_currency=None,
        salary_period=None, posted_at="2026-04-01T20:23:31Z")]
    assert _items(spider, _by_id()[47604338]) == [dict(
        common, source_id="47604338", url="https://news.ycombinator.com/item?id=47604338",
        title="Senior Software Engineer", company="Bloomberg", locations=["Hybrid (NYC)"], is_remote=False,
        employment_type="Full-time", salary_min=160000.0, salary_max=240000.0, salary_currency="USD",
        salary_period=None, posted_at="2026-04-01T18:04:42Z")]


def test_several_roles_become_several_postings_sharing_the_comment():
    spider = HackerNewsSpider(board=str(THREAD_ID))
    comment = _by_id()[47780165]
    results = as_dicts(spider.parse_comment(_response(comment)))
    assert [(i["source_id"], i["title"]) for i in results] == [
        ("47780165-1", "Platform Engineer (Security)"), ("47780165-2", "DevSecOps Engineer"),
        ("47780165-3", "Full-stack Product Engineer")]
    assert {(i["company"], tuple(i["locations"]), i["is_remote"], i["url"]) for i in results} == {
        ("Coast", ("Hybrid", "NYC"), False, "https://news.ycombinator.com/item?id=47780165")}
    assert results[0]["description"].startswith("Coast | Platform Engineer (Security), DevSecOps Engineer")
    assert "<" not in results[0]["description"]


def test_roles_listed_in_the_body_when_the_header_names_none():
    spider = HackerNewsSpider(board=str(THREAD_ID))
    # "Oklo | Remote (US) or Santa Clara or Brooklyn | Full time | url", then "We are hiring for:" and a list.
    results = as_dicts(spider.parse_comment(_response(_by_id()[47603039])))
    assert [(i["source_id"], i["title"]) for i in results] == [
        ("47603039-1", "Software Engineer"), ("47603039-2", "Senior Software Engineer"),
        ("47603039-3", "Software Engineer (Infrastructure)"), ("47603039-4", "Software Quality Assurance Lead")]
    assert {(i["company"], i["is_remote"]) for i in results} == {("Oklo", True)}
    # "Lago (YC S21) | Europe+USA | Remote or Hybrid | Full-time |", then "Open Roles Include:" and a list.
    assert [i["title"] for i in as_dicts(spider.parse_comment(_response(_by_id()[47611767])))] == [
        "Account Executive (Remote USA)", "Product Engineer (Growth/Building AI Agents)(Europe or USA)",
        "Product Engineer (Core product)", "Infrastructure Engineer (Remote Europe, Canada or Brazil)"]


@pytest.mark.parametrize("comment_id", [
    47613432,  # "Checkly | Multiple Roles | REMOTE | ...": no concrete role, and the body lists none
    47607732,  # a question about flagged posts, not a job
    47723411,  # "HostGPO | Full-time | ...": the role is only in prose ("We're looking for a Lead Engineer to ...")
])
def test_unparseable_comments_are_counted_not_guessed(comment_id):
    spider = HackerNewsSpider(board=str(THREAD_ID))
    assert list(spider.parse_comment(_response(_by_id()[comment_id]))) == []
    assert spider.pages_parsed == 1


def test_the_whole_thread_parses_into_postings_and_counted_drops():
    comments = recorded_comments()
    from_header = [c for c in comments if (header := read_header(c["text"])) and header.titles]
    spider = HackerNewsSpider(board=str(THREAD_ID))
    items = [item for c in comments for item in as_dicts(spider.parse_comment(_response(c)))]
    # 196 comments name their roles in the header; 57 more list them in the body; 92 name none or no company.
    assert (len(comments), len(from_header), len(items)) == (345, 196, 420)
    assert len({i["source_id"].split("-")[0] for i in items}) == 253
    assert len({i["source_id"] for i in items}) == len(items)
    assert all(i["company"] and i["title"] and i["description"] for i in items)


def test_deleted_comments_are_counted():
    spider = HackerNewsSpider(board=str(THREAD_ID))
    gone = {"id": 1, "deleted": True, "type": "comment", "time": 1775060837}
    assert list(spider.parse_comment(_response(gone))) == []
    missing = TextResponse(url=API.format(id=2), body=b"null", encoding="utf-8")
    assert list(spider.parse_comment(missing)) == []
    assert spider.pages_parsed == 2 and spider.errors == []


def test_the_board_is_a_thread_id():
    with pytest.raises(BadArgument, match="item id"):
        HackerNewsSpider(board="who-is-hiring")
