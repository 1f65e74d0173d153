"""End to end with the real packaged model: demo boards on 127.0.0.1 → nightly flow → similar (CLI)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.main import cli
from demo.__main__ import DEMO, write_demo_sources
from mirror.board_server import BoardServer

pytestmark = pytest.mark.model


def plenty(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_boards_nightly_then_similar(home, tmp_path, prefect_harness):
    from flows.nightly import nightly_flow

    with BoardServer() as server:
        server.add_tree(DEMO / "boards")
        sources = write_demo_sources(tmp_path / "sources.toml", server.url)
        plenty("reject", "add", "--title", "Senior Backend Engineer, Payments Platform", "--company", "Ledgerline",
               "--file", str(DEMO / "rejection.md"))
        first = nightly_flow(sources_file=str(sources), home=str(home))

        assert len(first.sources) == 20 and first.failed_sources == []
        assert sum(s["new"] for s in first.sources) == 155
        assert first.embedded == 155 and first.index_added == 155 and first.matched_rejections == 1
        from datahome.night_progress import read_night_progress

        assert read_night_progress(home)["step"] == "finished"  # what the web app's home page reads

        # A posting's own text finds that posting first.
        exported = [json.loads(line) for line in plenty("export").splitlines()]
        assert len(exported) == 155
        nurse = next(p for p in exported if "Nurse" in p["title"])
        query = f"{nurse['title']} at {nurse['company']}\n\n{nurse['description']}"
        answer = json.loads(plenty("similar", "--text", query, "--k", "5", "--json"))
        assert answer["postings"][0]["posting_id"] == nurse["posting_id"]
        assert answer["postings"][0]["url"] == nurse["url"]
        assert answer["companies"] and answer["companies"][0]["company"]

        # The rejection's stored matches are backend roles.
        matches = json.loads(plenty("similar", "--rejection", "1", "--k", "5", "--json"))["postings"]
        assert sum("Backend" in p["title"] or "Engineer" in p["title"] for p in matches) >= 4

        # The board drops the nurse posting: next night closes it, embeds nothing, and it is never suggested.
        kind, board = nurse["source"], nurse["board"]
        board_file = DEMO / "boards" / kind / f"{board}.json"
        data = json.loads(board_file.read_text(encoding="utf-8"))
        shrunk = tmp_path / f"{board}.json"
        if kind == "lever":
            data = [p for p in data if p["id"] != nurse["source_id"]]
        else:
            data["jobs"] = [j for j in data["jobs"] if str(j["id"]) != nurse["source_id"]]
        shrunk.write_text(json.dumps(data), encoding="utf-8")
        server.add_board(kind, board, shrunk)
        second = nightly_flow(sources_file=str(sources), home=str(home))

    assert sum(s["closed"] for s in second.sources) == 1 and sum(s["new"] for s in second.sources) == 0
    assert second.embedded == 0 and (second.index_added, second.index_removed) == (0, 1)
    answer = json.loads(plenty("similar", "--text", query, "--k", "10", "--json"))
    assert nurse["posting_id"] not in [p["posting_id"] for p in answer["postings"]]
