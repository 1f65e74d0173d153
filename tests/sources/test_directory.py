"""The board directory: the shipped file derived from ats-jobs-mcp, reading other directory files, finding boards."""

from __future__ import annotations

from datetime import date

import pytest

from sources.directory import (BUILTIN_LICENSE, DirectoryBoard, builtin_directory, find_boards, merged,
                               read_directory, write_directory)
from sources.directory_build import clean_rows, read_wheel
from sources.errors import SourcesError


def test_the_shipped_directory_lists_thousands_of_greenhouse_and_ashby_boards():
    boards = builtin_directory()
    kinds = {kind: sum(1 for b in boards if b.kind == kind) for kind in {b.kind for b in boards}}
    assert kinds == {"greenhouse": 4132, "ashby": 3045}
    assert len({b.key for b in boards}) == len(boards)  # case duplicates were folded
    gitlab = [b for b in boards if b.key == ("greenhouse", "gitlab")]
    assert gitlab == [DirectoryBoard("greenhouse", "gitlab", "GitLab", None, date(2026, 8, 24), "ats-jobs-mcp 1.1.0")]
    assert sum(b.jobs or 0 for b in boards) > 50_000


def test_the_shipped_directory_carries_its_mit_notice_and_provenance():
    text = BUILTIN_LICENSE.read_text(encoding="utf-8")
    assert "Copyright (c) 2026 Ground Truth" in text and "Permission is hereby granted" in text
    assert "ats-jobs-mcp 1.1.0" in text and "sha256" in text


def test_find_ranks_exact_then_prefix_then_substring_matches():
    boards = [DirectoryBoard("greenhouse", "gitlabber", "Labber", None, date(2026, 1, 1), "t"),
              DirectoryBoard("ashby", "mygitlab", None, 3, date(2026, 1, 1), "t"),
              DirectoryBoard("greenhouse", "gitlab", "GitLab", None, date(2026, 1, 1), "t"),
              DirectoryBoard("greenhouse", "other", "Other", None, date(2026, 1, 1), "t")]
    assert [b.board for b in find_boards(boards, "  GitLab ")] == ["gitlab", "gitlabber", "mygitlab"]
    assert find_boards(boards, "   ") == []
    assert [b.board for b in find_boards(list(builtin_directory()), "gitlab")][:1] == ["gitlab"]


def test_a_directory_file_round_trips_and_the_first_directory_listing_a_board_wins(tmp_path):
    path = tmp_path / "mine.tsv"
    write_directory(path, [{"kind": "lever", "board": "Acme", "company": "Acme Co", "jobs": 4, "checked": "2026-11-01"},
                           {"kind": "workable", "board": "beta", "company": None, "jobs": None,
                            "checked": "2026-11-02"}])
    mine = read_directory(path, "mine")
    assert mine == [DirectoryBoard("lever", "Acme", "Acme Co", 4, date(2026, 11, 1), "mine"),
                    DirectoryBoard("workable", "beta", None, None, date(2026, 11, 2), "mine")]
    other = [DirectoryBoard("lever", "acme", "Other", 9, date(2026, 1, 1), "other")]
    assert merged([mine, other]) == mine


@pytest.mark.parametrize("line, message", [
    ("monster\tacme\t\t\t2026-01-01", "kind 'monster' is not a board kind"),
    ("greenhouse\t\t\t\t2026-01-01", "empty board"),
    ("greenhouse\tacme\tAcme\tmany\t2026-01-01", "jobs must be a whole number"),
    ("greenhouse\tacme\tAcme\t-1\t2026-01-01", "jobs cannot be negative"),
    ("greenhouse\tacme", "expected 5 tab-separated columns"),
])
def test_a_bad_directory_row_names_the_file_and_line(tmp_path, line, message):
    path = tmp_path / "bad.tsv"
    path.write_text("kind\tboard\tcompany\tjobs\tchecked\n" + line + "\n", encoding="utf-8")
    with pytest.raises(SourcesError, match=f"board directory {path} line 2: {message}"):
        read_directory(path)


def test_a_file_without_the_header_is_refused(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("greenhouse\tacme\tAcme\t1\t2026-01-01\n", encoding="utf-8")
    with pytest.raises(SourcesError, match="the first line must name the columns"):
        read_directory(path)


def test_cleaning_folds_case_duplicates_and_collapses_spaces_and_drops_bad_tokens():
    rows, skipped = clean_rows([
        {"ats": "ashby", "board": "OpenAI", "company": None, "jobs": 7, "checked": "2026-08-24"},
        {"ats": "ashby", "board": "openai", "company": None, "jobs": 7, "checked": "2026-08-24"},
        {"ats": "greenhouse", "board": "nov", "company": "NovoEd,  Inc.", "jobs": None, "checked": "2026-08-24"},
        {"ats": "greenhouse", "board": "../x", "company": "X", "jobs": None, "checked": "2026-08-24"},
        {"ats": "taleo", "board": "y", "company": "Y", "jobs": None, "checked": "2026-08-24"},
    ])
    assert rows == [{"kind": "ashby", "board": "openai", "company": None, "jobs": 7, "checked": "2026-08-24"},
                    {"kind": "greenhouse", "board": "nov", "company": "NovoEd, Inc.", "jobs": None,
                     "checked": "2026-08-24"}]
    assert skipped == {"case_duplicate": 1, "bad_token": 1, "unknown_system": 1}


def test_a_wheel_that_is_not_the_recorded_one_is_refused(tmp_path):
    wheel = tmp_path / "fake.whl"
    wheel.write_bytes(b"not a wheel")
    with pytest.raises(SourcesError, match="not the recorded"):
        read_wheel(wheel)
