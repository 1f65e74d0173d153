"""Directory boards crawled against a local fleet over several nights: an unchanged board is not parsed or
loaded again (its postings stay open), a changed one is, a board answering 404 night after night is marked gone
and left alone until its monthly re-try, an empty one waits a week."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mirror.fleet import Fleet, FleetBoard, FleetServer, fictional_names
from sources.crawl_processes import run_crawls
from sources.directory import write_directory
from sources.loading import load_crawls
from sources.ocean import nightly_sources
from warehouse import connect
from warehouse.board_checks import GONE_AFTER_NOT_FOUND, board_checks

FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RETRY_TIMES": 0}
FIRST = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def world(tmp_path, monkeypatch):
    from datahome.settings import load_settings

    monkeypatch.setenv("PLENTY_HOME", str(tmp_path / "home"))
    names = fictional_names(5, seed=17)
    fleet = Fleet([FleetBoard("greenhouse", "alpha", 8, names[0]), FleetBoard("ashby", "beta", 30, names[1]),
                   FleetBoard("greenhouse", "steady", 5, names[2]), FleetBoard("ashby", "empty", 0, names[3]),
                   FleetBoard("greenhouse", "vanished", 4, names[4])], changed_share=0.0, validators=False)
    write_directory(tmp_path / "fleet.tsv", [
        {"kind": b.kind, "board": b.token, "company": b.company, "jobs": b.size or 0, "checked": "2026-11-30"}
        for b in fleet.boards])
    with FleetServer(fleet) as server:
        sources_file = tmp_path / "sources.toml"
        sources_file.write_text(
            'include_directory = true\nshipped_directory = false\ndirectory_files = ["fleet.tsv"]\n'
            f'directory_api_base = {{greenhouse = "{server.url}", ashby = "{server.url}"}}\n', encoding="utf-8")
        settings = load_settings()
        settings.ensure_dirs()
        yield fleet, settings, sources_file


def night(world, number: int, served: int | None = None) -> dict[str, dict]:
    """Crawl and load the fleet's directory boards due on night `number`, the fleet serving its boards as on
    night `served` (default: the same); their report rows by board."""
    fleet, settings, sources_file = world
    fleet.night = number if served is None else served
    at = FIRST + timedelta(days=number)
    with connect(settings.db_path) as con:
        sources = nightly_sources(con, sources_file, at)
    assert all(s.api_base for s in sources)
    results = run_crawls(sources, settings.feeds_dir / f"night{number}", user_agent="plenty-test",
                         scrapy_settings=FAST)
    return {row["board"]: row for row in load_crawls(settings, results, at)}


def open_postings(settings) -> dict[str, int]:
    with connect(settings.db_path) as con:
        return dict(con.execute("select board, count(*) from postings where closed_at is null group by all").fetchall())


def test_unchanged_boards_are_skipped_changed_ones_loaded_and_gone_ones_left_alone(world):
    fleet, settings, _ = world
    first = night(world, 0)
    assert set(first) == {"alpha", "beta", "steady", "vanished"}  # "empty" was listed empty two days ago
    opened = open_postings(settings)
    assert opened["alpha"] == 8 and opened["steady"] == 5 and 0 < opened["beta"] <= 30
    with connect(settings.db_path) as con:
        checks = board_checks(con)
    assert checks[("greenhouse", "alpha")]["last_outcome"] == "jobs" and checks[("greenhouse", "alpha")]["body_sha256"]

    fleet.changed_share = 0.5  # night 1: about half the postings change
    fleet.gone.add("vanished")
    second = night(world, 1)
    steady_changed = any(fleet.changes(fleet.boards[2], slot, 1) for slot in range(5))
    assert second["alpha"]["updated"] + second["alpha"]["new"] > 0 and not second["alpha"].get("unchanged")
    assert second["steady"].get("unchanged", False) is not steady_changed
    assert second["vanished"]["fetched"] == 0 and second["vanished"]["failures"] == {"http_404": 1}
    assert open_postings(settings)["vanished"] == 4  # one 404 closes nothing

    third = night(world, 2, served=1)  # nothing changed since night 1
    assert all(third[board].get("unchanged") for board in ("alpha", "beta", "steady"))
    assert all(third[board]["new"] == third[board]["updated"] == third[board]["closed"] == 0
               for board in ("alpha", "beta", "steady"))
    assert open_postings(settings)["alpha"] == 8
    for number in range(3, GONE_AFTER_NOT_FOUND + 1):  # a 404 on nights 1, 2, 3, ...
        assert "vanished" in night(world, number, served=1)
    with connect(settings.db_path) as con:
        gone = board_checks(con)[("greenhouse", "vanished")]
    assert gone["gone_at"] is not None and gone["not_found_runs"] == GONE_AFTER_NOT_FOUND
    assert "vanished" not in night(world, GONE_AFTER_NOT_FOUND + 1, served=1)  # gone: left alone ...
    assert "empty" in night(world, 7, served=1)  # ... while the empty board gets its weekly re-check
    with connect(settings.db_path) as con:
        checks = board_checks(con)
    assert checks[("ashby", "empty")]["last_outcome"] == "empty" and checks[("ashby", "empty")]["last_seen_jobs"] == 0
    assert "empty" not in night(world, 8, served=1)  # checked empty: next week again
