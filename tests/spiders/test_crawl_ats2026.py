"""Each spider end to end on the real recorded ats-2026 responses, served at their real API paths.

Expected values are read from the recorded JSON here and asserted exactly, for every listed posting.
"""

from __future__ import annotations

import json

import pytest

from mirror.board_server import BoardServer
from tests.support.spiders import ATS_2026, clean_title, recorded_boards, run_crawl

# Lever and Ashby board responses carry no company name: the spider derives it from the board token.
DERIVED_COMPANIES = {
    "palantir": "Palantir", "jumpcloud": "Jumpcloud", "matchgroup": "Matchgroup", "openevidence": "Openevidence",
    "notion": "Notion", "truelogic": "Truelogic", "render": "Render", "comand-ai": "Comand Ai",
}


def _expected(kind: str, board: str, file) -> list[tuple[str, str, str, str]]:
    """(source_id, title, company, url) of every posting the board lists, in board order."""
    data = json.loads(file.read_text(encoding="utf-8"))
    if kind == "greenhouse":
        return [(str(j["id"]), clean_title(j["title"]), j["company_name"], j["absolute_url"]) for j in data["jobs"]]
    if kind == "lever":
        return [(p["id"], clean_title(p["text"]), DERIVED_COMPANIES[board], p["hostedUrl"]) for p in data]
    return [(j["id"], clean_title(j["title"]), DERIVED_COMPANIES[board], j["jobUrl"])
            for j in data["jobs"] if j.get("isListed") is not False]


CASES = [(kind, board, file) for kind in ("greenhouse", "lever", "ashby") for board, file in recorded_boards(kind)]


@pytest.mark.skipif(not ATS_2026.exists(), reason="../shared is absent")
def test_every_recorded_board_is_found():
    assert sorted({kind for kind, _, _ in CASES}) == ["ashby", "greenhouse", "lever"]
    assert len(CASES) == 12


@pytest.mark.parametrize("kind, board, file", CASES, ids=[f"{k}-{b}" for k, b, _ in CASES])
def test_recorded_board_end_to_end(tmp_path, kind, board, file):
    with BoardServer() as server:
        server.add_board(kind, board, file)
        code, status, items, stderr = run_crawl(tmp_path, kind, board, server.url)
    expected = _expected(kind, board, file)
    assert code == 0, stderr
    assert status["complete"] is True and status["errors"] == []
    assert status["items"] == len(expected) == len(items)
    assert [(i["source_id"], i["title"], i["company"], i["url"]) for i in items] == expected
    for item in items:
        assert (item["source"], item["board"]) == (kind, board)
        assert item["description"].strip() and "</" not in item["description"]
        assert item["locations"] and all(loc.strip() for loc in item["locations"])
        assert item["posted_at"] and item["posted_at"].endswith("Z")
