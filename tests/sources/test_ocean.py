"""Which directory boards the nightly crawls: own sources first, boards with jobs every night, empty ones weekly,
gone ones monthly; the body hash of a board last read whole goes with it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from sources.directory import DirectoryBoard, write_directory
from sources.errors import SourcesError
from sources.ocean import OceanBoard, directory_hit, nightly_sources
from warehouse import connect
from warehouse.board_checks import GONE_AFTER_NOT_FOUND, board_checks, record_checks

NOW = datetime(2026, 12, 7, 2, 0)


def board(jobs, checked=date(2026, 12, 1)):
    return DirectoryBoard("ashby", "acme", None, jobs, checked, "test")


def check(outcome="jobs", jobs=3, days_ago=1, gone=False):
    at = NOW - timedelta(days=days_ago)
    return {"last_outcome": outcome, "last_seen_jobs": jobs, "last_check_at": at, "gone_at": at if gone else None}


@pytest.mark.parametrize("ocean, due", [
    (OceanBoard(board(5), None), True),  # listed with jobs, never checked
    (OceanBoard(board(None), None), True),  # not counted (every Greenhouse board): crawled
    (OceanBoard(board(0, date(2026, 12, 3)), None), False),  # listed empty 4 days ago
    (OceanBoard(board(0, date(2026, 11, 29)), None), True),  # listed empty 8 days ago: re-checked
    (OceanBoard(board(5), check("empty", 0, days_ago=6)), False),
    (OceanBoard(board(5), check("empty", 0, days_ago=7)), True),  # the weekly re-check of an empty board
    (OceanBoard(board(0), check("jobs", 2, days_ago=1)), True),
    (OceanBoard(board(5), check("unchanged", 2, days_ago=1)), True),
    (OceanBoard(board(5), check("not_found", None, days_ago=1)), True),  # not gone yet: tried again
    (OceanBoard(board(5), check("not_found", None, days_ago=29, gone=True)), False),
    (OceanBoard(board(5), check("not_found", None, days_ago=30, gone=True)), True),  # the monthly re-try
])
def test_which_directory_boards_are_due(ocean, due):
    assert ocean.due(NOW) is due


def test_a_board_is_gone_after_404s_in_a_row_and_back_when_it_answers():
    con = connect(":memory:")
    for night in range(GONE_AFTER_NOT_FOUND):
        assert board_checks(con).get(("ashby", "acme"), {}).get("gone_at") is None
        record_checks(con, [{"kind": "ashby", "board": "Acme", "outcome": "not_found",
                             "checked_at": NOW + timedelta(days=night)}])
    gone = board_checks(con)[("ashby", "acme")]
    assert gone["gone_at"] == NOW + timedelta(days=GONE_AFTER_NOT_FOUND - 1)
    assert OceanBoard(board(5), gone).state == "gone"
    record_checks(con, [{"kind": "ashby", "board": "acme", "outcome": "jobs", "jobs": 4, "body_sha256": "ab",
                         "checked_at": NOW + timedelta(days=40)}])
    back = board_checks(con)[("ashby", "acme")]
    assert (back["gone_at"], back["not_found_runs"], back["last_seen_jobs"], back["body_sha256"]) == (None, 0, 4, "ab")
    record_checks(con, [{"kind": "ashby", "board": "acme", "outcome": "failed", "checked_at": NOW + timedelta(days=41)}])
    failed = board_checks(con)[("ashby", "acme")]
    assert (failed["last_seen_jobs"], failed["body_sha256"]) == (4, None)  # a failed read forgets the hash


def test_nightly_sources_put_own_boards_first_then_due_directory_boards(tmp_path):
    directory = tmp_path / "mine.tsv"
    write_directory(directory, [
        {"kind": "greenhouse", "board": "own", "company": "Own", "jobs": None, "checked": "2026-12-01"},
        {"kind": "greenhouse", "board": "big", "company": "Big", "jobs": None, "checked": "2026-12-01"},
        {"kind": "ashby", "board": "quiet", "company": None, "jobs": 0, "checked": "2026-12-06"},
        {"kind": "ashby", "board": "fresh", "company": None, "jobs": 9, "checked": "2026-12-06"},
    ])
    sources_file = tmp_path / "sources.toml"
    sources_file.write_text('include_directory = true\ndirectory_files = ["mine.tsv"]\n'
                            'directory_api_base = {greenhouse = "http://127.0.0.1:9", ashby = "http://127.0.0.1:8"}\n'
                            '[[source]]\nkind = "greenhouse"\nboard = "OWN"\n', encoding="utf-8")
    con = connect(":memory:")
    record_checks(con, [{"kind": "greenhouse", "board": "big", "outcome": "jobs", "jobs": 3, "body_sha256": "f00",
                         "checked_at": NOW - timedelta(days=1)}])
    chosen = nightly_sources(con, sources_file, NOW)
    assert [(s.kind, s.board) for s in chosen[:3]] == [("greenhouse", "OWN"), ("greenhouse", "big"), ("ashby", "fresh")]
    assert chosen[1].api_base == "http://127.0.0.1:9" and chosen[1].options["unchanged_sha256"] == "f00"
    assert "unchanged_sha256" not in chosen[0].options
    assert ("ashby", "quiet") not in {(s.kind, s.board) for s in chosen}
    assert len(chosen) > 3000  # the shipped directory follows the file's own
    sources_file.write_text('[[source]]\nkind = "greenhouse"\nboard = "OWN"\n', encoding="utf-8")
    assert [(s.kind, s.board) for s in nightly_sources(con, sources_file, NOW)] == [("greenhouse", "OWN")]


def test_a_directory_hit_by_name_must_be_one_board():
    assert directory_hit(None, "  gitlab ").board == "gitlab"
    with pytest.raises(SourcesError, match="no board of the directory is called 'no such co'"):
        directory_hit(None, "no such co")


def test_bad_directory_settings_are_named(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text('include_directory = "yes"\n', encoding="utf-8")
    with pytest.raises(SourcesError, match="include_directory must be true or false"):
        nightly_sources(connect(":memory:"), path, NOW)
    path.write_text('include_directory = true\ndirectory_api_base = {monster = "x"}\n', encoding="utf-8")
    with pytest.raises(SourcesError, match="directory_api_base must map source kinds"):
        nightly_sources(connect(":memory:"), path, NOW)
