"""Lever paging by skip/limit end to end on the recorded 28-posting ``leverdemo`` board (lever-2015)."""

from __future__ import annotations

import json

import pytest

from mirror.board_server import BoardServer, Route
from tests.support.spiders import LEVER_2015, clean_title, run_crawl, shared


@pytest.fixture
def board():
    return shared(LEVER_2015 / "responses" / "leverdemo_mode_json.json")


@pytest.mark.parametrize("page_size, skips", [(5, [0, 5, 10, 15, 20, 25]), (7, [0, 7, 14, 21, 28])])
def test_pages_until_a_short_page(tmp_path, board, page_size, skips):
    postings = json.loads(board.read_text(encoding="utf-8"))
    assert len(postings) == 28
    with BoardServer() as server:
        server.add_board("lever", "leverdemo", board)
        code, status, items, stderr = run_crawl(tmp_path, "lever", "leverdemo", server.url,
                                                "--arg", f"page_size={page_size}")
        requested = [r for r in server.requests if r != "/robots.txt"]
    assert code == 0, stderr
    assert requested == [f"/v0/postings/leverdemo?mode=json&skip={s}&limit={page_size}" for s in skips]
    assert status["complete"] is True and status["items"] == 28 and status["dropped"] == {}
    assert [(i["source_id"], i["title"], i["url"]) for i in items] == [
        (p["id"], clean_title(p["text"]), p["hostedUrl"]) for p in postings]
    assert {i["company"] for i in items} == {"Leverdemo"}
    # One recorded posting (the intern) has no description and no lists at all.
    has_text = [bool(p.get("description", "").strip() or p["lists"]) for p in postings]
    assert [bool(i["description"]) for i in items] == has_text
    assert sum(not i["description"] for i in items) == 1


def test_the_recorded_404_for_an_unknown_account_is_an_incomplete_crawl(tmp_path):
    body = shared(LEVER_2015 / "responses" / "invalidaccount_mode_json.json").read_bytes()
    assert json.loads(body) == {"ok": False, "error": "Document not found"}
    with BoardServer() as server:
        server.routes["/v0/postings/invalidaccount"] = Route(body, 404)
        code, status, items, _ = run_crawl(tmp_path, "lever", "invalidaccount", server.url)
    assert code == 1
    assert status["complete"] is False and items == []
    assert len(status["errors"]) == 1 and status["errors"][0].startswith("HTTP 404 at ")
