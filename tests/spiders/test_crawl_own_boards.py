"""``python -m spiders.crawl`` end to end against our own small boards on a local mirror (no ../shared needed)."""

from __future__ import annotations

import json

import pytest

from mirror.board_server import BoardServer
from tests.support.spiders import OWN_FIXTURES, run_crawl

FIELDS = ["source", "board", "source_id", "url", "title", "company", "locations", "is_remote", "department",
          "employment_type", "salary_min", "salary_max", "salary_currency", "salary_period", "description",
          "posted_at", "updated_at", "valid_through", "credit"]


@pytest.fixture
def server():
    with BoardServer() as board_server:
        for kind in ("greenhouse", "lever", "ashby"):
            board_server.add_board(kind, "brightwater", OWN_FIXTURES / kind / "brightwater.json")
        yield board_server


def test_greenhouse_feed_and_status(tmp_path, server):
    code, status, items, stderr = run_crawl(tmp_path, "greenhouse", "brightwater", server.url)
    assert code == 0, stderr
    assert status["complete"] is True and status["errors"] == []
    assert (status["kind"], status["board"], status["items"]) == ("greenhouse", "brightwater", 2)
    assert status["dropped"] == {"missing_title": 1}
    assert status["started_at"] <= status["finished_at"]
    assert [list(item) for item in items] == [FIELDS, FIELDS]
    assert [(i["title"], i["company"], i["url"]) for i in items] == [
        ("Senior Data Engineer", "Brightwater Labs", "https://job-boards.greenhouse.io/brightwater/jobs/7001001"),
        ("Field Technician", "Brightwater Labs", "https://job-boards.greenhouse.io/brightwater/jobs/7001002"),
    ]
    assert items[0]["description"].startswith("About the role\n\nBrightwater Labs builds water-quality sensors")
    assert server.requests == ["/robots.txt", "/v1/boards/brightwater/jobs?content=true"]


def test_lever_feed_pages_and_company_argument(tmp_path, server):
    code, status, items, stderr = run_crawl(tmp_path, "lever", "brightwater", server.url,
                                            "--company", "Brightwater Labs", "--arg", "page_size=1")
    assert code == 0, stderr
    assert status["complete"] is True and status["items"] == 2 and status["dropped"] == {}
    assert [(i["title"], i["company"], i["salary_period"]) for i in items] == [
        ("Customer Support Specialist", "Brightwater Labs", "hour"),
        ("Embedded Software Engineer", "Brightwater Labs", None),
    ]
    assert [r for r in server.requests if r.startswith("/v0/")] == [
        f"/v0/postings/brightwater?mode=json&skip={skip}&limit=1" for skip in (0, 1, 2)]


def test_ashby_feed_never_holds_unlisted_jobs(tmp_path, server):
    code, status, items, stderr = run_crawl(tmp_path, "ashby", "brightwater", server.url)
    assert code == 0, stderr
    assert status["complete"] is True and status["items"] == 2
    assert status["dropped"] == {"unlisted": 1}
    unlisted = [j["id"] for j in json.loads((OWN_FIXTURES / "ashby" / "brightwater.json").read_text())["jobs"]
                if j["isListed"] is False]
    assert unlisted and not {i["source_id"] for i in items} & set(unlisted)
    assert [(i["title"], i["salary_min"], i["salary_max"], i["salary_currency"]) for i in items] == [
        ("Product Designer", 70000.0, 90000.0, "EUR"), ("Data Analyst (Contract)", None, None, None)]


def test_http_cache_answers_when_the_board_is_gone(tmp_path):
    cache = tmp_path / "cache"
    with BoardServer() as board_server:
        board_server.add_board("ashby", "brightwater", OWN_FIXTURES / "ashby" / "brightwater.json")
        url = board_server.url
        code, _, first, stderr = run_crawl(tmp_path / "one", "ashby", "brightwater", url, "--http-cache", str(cache))
        assert code == 0, stderr
    code, status, again, stderr = run_crawl(tmp_path / "two", "ashby", "brightwater", url, "--http-cache", str(cache))
    assert code == 0, stderr
    assert status["complete"] is True
    assert again == first and len(again) == 2
