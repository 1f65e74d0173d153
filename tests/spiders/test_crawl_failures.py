"""Crawls that cannot be complete say so: status ``complete: false`` and exit 1 (2 for an unknown kind)."""

from __future__ import annotations

import json

from mirror.board_server import BoardServer, Route
from tests.support.spiders import OWN_FIXTURES, run_crawl


def test_an_unknown_board_is_an_incomplete_crawl(tmp_path):
    with BoardServer() as server:
        origin = server.url
        code, status, items, stderr = run_crawl(tmp_path, "greenhouse", "no-such-board", origin)
    assert code == 1
    assert status["complete"] is False and status["items"] == 0 and items == []
    assert status["errors"] == [f"HTTP 404 at {origin}/v1/boards/no-such-board/jobs?content=true"]
    assert "HTTP 404" in stderr


def test_robots_txt_disallow_means_no_items_and_not_complete(tmp_path):
    with BoardServer() as server:
        server.add_board("lever", "brightwater", OWN_FIXTURES / "lever" / "brightwater.json")
        server.robots_txt = "User-agent: *\nDisallow: /\n"
        code, status, items, _ = run_crawl(tmp_path, "lever", "brightwater", server.url)
        assert server.requests == ["/robots.txt"]
    assert code == 1
    assert status["complete"] is False and items == [] and status["items"] == 0
    assert len(status["errors"]) == 1 and "robots.txt" in status["errors"][0]


def test_robots_txt_for_other_agents_does_not_block(tmp_path):
    with BoardServer() as server:
        server.add_board("lever", "brightwater", OWN_FIXTURES / "lever" / "brightwater.json")
        server.robots_txt = "User-agent: SomeOtherBot\nDisallow: /\n"
        code, status, items, stderr = run_crawl(tmp_path, "lever", "brightwater", server.url)
    assert code == 0, stderr
    assert status["complete"] is True and len(items) == 2


def test_a_page_that_is_not_json_is_an_error(tmp_path):
    with BoardServer() as server:
        server.routes["/posting-api/job-board/brightwater"] = Route(b"<html>maintenance</html>", 200, "text/html")
        code, status, items, _ = run_crawl(tmp_path, "ashby", "brightwater", server.url)
    assert code == 1
    assert status["complete"] is False and items == []
    assert len(status["errors"]) == 1 and status["errors"][0].startswith("UnexpectedResponse: ")


def test_a_json_page_of_the_wrong_shape_is_an_error(tmp_path):
    with BoardServer() as server:
        server.routes["/v1/boards/brightwater/jobs"] = Route(json.dumps({"error": "gone"}).encode())
        code, status, _, _ = run_crawl(tmp_path, "greenhouse", "brightwater", server.url)
    assert code == 1
    assert status["complete"] is False and "did not hold a list under 'jobs'" in status["errors"][0]


def test_an_unreachable_api_is_an_error(tmp_path):
    with BoardServer() as server:
        gone = server.url
    code, status, items, _ = run_crawl(tmp_path, "ashby", "brightwater", gone)
    assert code == 1
    assert status["complete"] is False and items == [] and status["errors"]


def test_an_unknown_kind_exits_2_with_a_clear_message(tmp_path):
    code, status, items, stderr = run_crawl(tmp_path, "monster", "acme", "http://127.0.0.1:9")
    assert code == 2
    assert stderr.strip() == ("Error: unknown source kind 'monster'; known kinds: arbeitnow, ashby, greenhouse, hn, "
                              "jsonld, lever, personio, recruitee, remoteok, remotive, smartrecruiters, workable")
    assert status["complete"] is False and status["errors"] == [stderr.strip().removeprefix("Error: ")]
    assert items == []


def test_a_bad_spider_argument_exits_2_and_fetches_nothing(tmp_path):
    with BoardServer() as server:
        code, status, items, stderr = run_crawl(tmp_path, "lever", "brightwater", server.url, "--arg", "page_size=0")
        assert server.requests == []
    assert code == 2
    assert stderr.strip().endswith("Error: page_size must be a positive integer, not 0")
    assert status["complete"] is False and status["errors"] == ["page_size must be a positive integer, not 0"]
    assert items == []


def test_a_malformed_setting_exits_2(tmp_path):
    code, status, _, stderr = run_crawl(tmp_path, "lever", "brightwater", "http://127.0.0.1:9", "--set", "NOEQUALS")
    assert code == 2
    assert stderr.strip() == "Error: expected KEY=VALUE, got 'NOEQUALS'"
    assert status["complete"] is False
