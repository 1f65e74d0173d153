"""``plenty nightly`` killed with SIGKILL at each stage, then run again: every posting once, none lost, the index
holding exactly the open postings, the matches complete. And two runs at once: the second refuses."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.support.faults import Fault, FaultServer
from tests.support.killed import NightlyProcess, check_consistent, demo_boards, listed_ids, write_sources
from warehouse import connect

BOARDS = ["ledgerline", "maplebrookhealth", "driftbase", "harborviewclinics", "brightslate", "tidewellcare"]
HELD_PATH = "/v1/boards/maplebrookhealth/jobs"  # answers after two minutes while a test wants a run mid-crawl


@pytest.fixture(scope="module")
def model_cache(tmp_path_factory):
    """One model cache for every run of this module (an ONNX export is made once, not once per data home)."""
    return {"PLENTY_MODEL_CACHE": str(tmp_path_factory.mktemp("models"))}


@pytest.fixture
def served(tmp_path):
    """The demo boards on a local server, and a sources file for them."""
    boards = demo_boards(BOARDS)
    with FaultServer() as server:
        for (kind, board), file in boards.items():
            server.add_board(kind, board, file)
        yield server, boards, write_sources(tmp_path / "sources.toml", boards, server.url)


def add_rejection(home) -> None:
    result = CliRunner().invoke(cli, ["reject", "add", "--title", "Backend Engineer", "--company", "Ledgerline",
                                      "--text", "Python services, payments, PostgreSQL"])
    assert result.exit_code == 0, result.output


def hold_mid_crawl(run: NightlyProcess, server: FaultServer) -> None:
    """Wait until the run is crawling and its held board's request is waiting on the server."""
    run.wait_for(r"^plenty: run \S+: crawling 6 sources")
    deadline = time.monotonic() + 600
    while server.faults[HELD_PATH].hits == 0:
        assert time.monotonic() < deadline and run.proc.poll() is None, "\n".join(run.lines)
        time.sleep(0.05)


def assert_no_crawl_outlives(run: NightlyProcess) -> None:
    """Crawls die with the run that started them (the kernel sends them SIGKILL)."""
    deadline = time.monotonic() + 60
    while any("spiders.crawl" in cmd for _, cmd in run.group_members()):
        assert time.monotonic() < deadline, run.group_members()
        time.sleep(0.1)


STAGES = {
    "crawl": None,
    "load": r"^plenty: loaded ",
    "embed": r"^plenty: embedding \d+ ",
    "index": r"^plenty: updating the index",
    "match": r"^plenty: matching \d+ ",
}


@pytest.mark.model
@pytest.mark.parametrize("stage", list(STAGES))
def test_a_run_killed_mid_stage_then_run_again_loses_and_doubles_nothing(home, served, model_cache, stage):
    server, boards, sources = served
    add_rejection(home)
    server.faults[HELD_PATH] = Fault("delay", seconds=120, times=1 if stage == "crawl" else 0)

    first = NightlyProcess.start(home, sources, model_cache)
    try:
        if stage == "crawl":
            hold_mid_crawl(first, server)
        else:
            first.wait_for(STAGES[stage])
        first.kill()
        assert_no_crawl_outlives(first)
    finally:
        first.kill_all()
    run_id = next(line.split()[2].rstrip(":") for line in first.lines if line.startswith("plenty: run "))
    with connect(home / "plenty.duckdb") as con:
        reported = con.execute("select count(*) from source_runs where run_id = $r", {"r": run_id}).fetchall()[0][0]
        held = con.execute("select count(*) from source_runs where run_id = $r and source_key = $k",
                           {"r": run_id, "k": "greenhouse-maplebrookhealth"}).fetchall()[0][0]
        finished = con.execute("select count(*) from match_runs where finished_at is not null").fetchall()[0][0]
        half_stored = con.execute("select count(*) from match_runs where finished_at is null").fetchall()[0][0]
        loaded = con.execute("select count(*) from feed_loads where contains(feed_path, $r)", {"r": run_id}).fetchall()[0][0]
    assert half_stored == 0  # a match run is stored whole or not at all
    # The kill fell where it was meant to: mid-crawl the held board is not loaded (boards crawled before it may
    # be: finished boards are loaded every few seconds), mid-load only some sources are (a batch's report rows are
    # written after its feeds, so a kill inside the first batch leaves loaded feeds and no report row yet).
    if stage == "crawl":
        assert held == 0 and reported < len(boards)
    else:
        assert max(reported, loaded) >= 1
    if stage == "load":
        assert reported < len(boards) and loaded < len(boards)
    assert finished == 0

    second = NightlyProcess.start(home, sources, model_cache)
    assert second.finish() == 0, "\n".join(second.lines) + second.stdout
    check_consistent(home, listed_ids(boards), rejections=1)


@pytest.mark.model
def test_a_second_night_killed_while_updating_the_index_recovers(home, served, tmp_path, model_cache):
    server, boards, sources = served
    add_rejection(home)
    assert NightlyProcess.start(home, sources, model_cache).finish() == 0
    check_consistent(home, listed_ids(boards), rejections=1)

    # The boards change: ledgerline drops two postings, driftbase (Lever) gains one.
    kind, board = "greenhouse", "ledgerline"
    data = json.loads(boards[(kind, board)].read_text(encoding="utf-8"))
    data["jobs"] = data["jobs"][2:]
    boards[(kind, board)] = tmp_path / "ledgerline.json"
    boards[(kind, board)].write_text(json.dumps(data), encoding="utf-8")
    lever = json.loads(boards[("lever", "driftbase")].read_text(encoding="utf-8"))
    lever.append({**lever[0], "id": "0000-new-posting", "text": "Staff Platform Engineer"})
    boards[("lever", "driftbase")] = tmp_path / "driftbase.json"
    boards[("lever", "driftbase")].write_text(json.dumps(lever), encoding="utf-8")
    for (k, b), file in boards.items():
        server.add_board(k, b, file)

    killed = NightlyProcess.start(home, sources, model_cache)
    try:
        killed.wait_for(STAGES["index"])
        killed.kill()
    finally:
        killed.kill_all()
    again = NightlyProcess.start(home, sources, model_cache)
    assert again.finish() == 0, "\n".join(again.lines)
    check_consistent(home, listed_ids(boards), rejections=1)


def test_a_second_run_refuses_at_once_naming_the_first_and_a_killed_run_leaves_no_lock(home, served):
    server, boards, sources = served
    server.faults[HELD_PATH] = Fault("delay", seconds=120)
    first = NightlyProcess.start(home, sources)
    try:
        hold_mid_crawl(first, server)
        second = NightlyProcess.start(home, sources)
        assert second.finish(timeout=300) == 1
        assert second.lines[-1].startswith(f"Error: another plenty nightly is running (plenty nightly pid "
                                           f"{first.proc.pid} started "), second.lines
        assert len([line for line in second.lines if line.strip()]) == 1, second.lines
        assert not any("crawling" in line for line in second.lines)
        first.kill()
    finally:
        first.kill_all()

    third = NightlyProcess.start(home, sources)
    try:
        third.wait_for(r"^plenty: run \S+: crawling 6 sources")
    finally:
        third.kill_all()
