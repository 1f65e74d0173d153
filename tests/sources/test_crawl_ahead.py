"""A run's crawl started ahead of Prefect: the run's crawl calls take those processes over (each board fetched
once), anything not taken over is stopped, and `plenty nightly` works this way end to end."""

from __future__ import annotations

from datetime import datetime, timezone

from click.testing import CliRunner

from cli.main import cli
from mirror.board_server import BoardServer
from sources import crawl_processes
from sources.crawl_processes import crawls_started_ahead, new_run_id, run_crawls, run_started
from sources.hosts import crawl_packs
from sources.sources_file import Source
from tests.support.spiders import OWN_FIXTURES

# Quick against our own loopback server (the settings the crawl ahead uses are the defaults: no overrides).
BOARDS = ("brightwater", "harbour")


def serve_boards(server: BoardServer) -> list[Source]:
    for board in BOARDS:
        server.add_board("greenhouse", board, OWN_FIXTURES / "greenhouse" / "brightwater.json")
    return [Source(kind="greenhouse", board=board, api_base=server.url) for board in BOARDS]


def board_requests(server: BoardServer, board: str) -> int:
    return sum(1 for path in server.requests if path.startswith(f"/v1/boards/{board}/jobs"))


def test_a_run_id_is_the_crawls_start_time():
    started = datetime(2026, 11, 28, 3, 4, 5, 678901, tzinfo=timezone.utc)
    assert new_run_id(started) == "20261128T030405678901Z"
    assert run_started(new_run_id(started)) == started


def test_the_runs_crawl_calls_take_over_the_crawl_started_ahead(tmp_path):
    with BoardServer() as server:
        sources = serve_boards(server)
        with crawls_started_ahead(sources, tmp_path / "feeds", tmp_path / "logs", user_agent="plenty-test/1") as run_id:
            results = [result for pack in crawl_packs(sources)
                       for result in run_crawls(pack, tmp_path / "feeds" / run_id, user_agent="plenty-test/1",
                                                log_dir=tmp_path / "logs" / run_id)]
            assert crawl_processes._started_ahead == {}  # every process taken over
        assert all(board_requests(server, board) == 1 for board in BOARDS), server.requests
    assert sorted(r.source.board for r in results) == sorted(BOARDS)
    assert all(r.complete and r.items == 2 and r.ok for r in results)
    assert [p.name for p in (tmp_path / "feeds").iterdir()] == [run_id]


def test_a_crawl_not_taken_over_is_stopped_and_the_call_crawls_itself(tmp_path):
    with BoardServer() as server:
        sources = serve_boards(server)
        with crawls_started_ahead(sources, tmp_path / "feeds", tmp_path / "logs", user_agent="plenty-test/1") as run_id:
            ahead = list(crawl_processes._started_ahead.values())
            # Another user agent is another plan: the call must not take over a crawl that says something else.
            results = run_crawls(sources, tmp_path / "feeds" / run_id, user_agent="plenty-other/2",
                                 log_dir=tmp_path / "logs" / run_id)
            assert list(crawl_processes._started_ahead.values()) == ahead
        assert crawl_processes._started_ahead == {}
        assert all(crawl.process.poll() is not None for crawl in ahead)  # stopped (or done), not left running
    assert all(r.complete and r.items == 2 for r in results)


def test_nightly_crawls_each_board_once_under_the_run_id_it_reports(home, tmp_path, prefect_harness):
    with BoardServer() as server:
        sources = serve_boards(server)
        sources_file = tmp_path / "sources.toml"
        sources_file.write_text("".join(f'[[source]]\nkind = "greenhouse"\nboard = "{s.board}"\n'
                                        f'api_base = "{server.url}"\n\n' for s in sources), encoding="utf-8")
        result = CliRunner().invoke(cli, ["nightly", "--sources", str(sources_file)])
        assert result.exit_code == 0, result.output
        assert all(board_requests(server, board) == 1 for board in BOARDS), server.requests
    run_id = next(line.split()[1] for line in result.output.splitlines() if line.startswith("Run "))
    assert [p.name for p in (home / "feeds").iterdir()] == [run_id]
    rows = {line.split()[0]: line.split() for line in result.output.splitlines() if line.startswith("greenhouse-")}
    assert rows["greenhouse-brightwater"][1:6] == ["2", "2", "0", "0", "ok"], result.output
    assert rows["greenhouse-harbour"][1:6] == ["2", "0", "0", "0", "ok"], result.output  # the same postings
