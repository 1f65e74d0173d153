"""Bad input on every command: a one-line error naming the problem, a non-zero exit, and nothing written.

Complements tests/test_cli_errors.py with the inputs a careless or hostile file or argument brings: blank or
absurd values, non-http URLs, unreadable dates, broken CSV quoting, board tokens that leave their URL path.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from cli.main import cli
from mirror.board_server import BoardServer
from tests.cli.test_errors import assert_one_line_error, rows
from tests.support.spiders import run_crawl


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("args, fragments", [
    (["--company", "  "], ["--company is empty"]),
    (["--date", "9999-12-31"], ["--date 9999-12-31", "not a past date"]),
    (["--date", (date.today() + timedelta(days=30)).isoformat()], ["not a past date"]),
    (["--date", "0001-01-01"], ["--date 0001-01-01"]),
    (["--date", "2026-02-30"], ["--date", "YYYY-MM-DD"]),
    (["--cooloff-days", "-3"], ["--cooloff-days"]),
])
def test_reject_add_refuses_blank_or_absurd_values_and_writes_nothing(home, args, fragments):
    base = {"--title": "Data Analyst", "--company": "Acme", "--text": "SQL"}
    for flag, value in zip(args[::2], args[1::2]):
        base[flag] = value
    result = run("reject", "add", *[part for pair in base.items() for part in pair])
    assert_one_line_error(result, *fragments)
    assert rows(home, "rejections") == 0


@pytest.mark.parametrize("args, fragment", [
    (["reject", "archive", "x1"], "'x1' is not a valid integer"),
    (["mark", "abc", "applied"], "'abc' is neither a posting id nor a rank like #3"),
    (["mark", "#1", "applied"], "no listing to take #1 from"),
    (["mark", "123", "applied"], "no posting 123"),
    (["mark", "123", "loved"], "'loved' is not one of"),
    (["matches", "--rejection", "4"], "no rejection 4"),
    (["similar", "--rejection", "99999999999999999999"], "no rejection 99999999999999999999"),
    (["similar", "--text", "x", "--k", "0"], "--k"),
    (["digest", "--week", "2026-W60"], "no week 60"),
])
def test_bad_ids_and_values_are_one_line_errors(home, args, fragment):
    assert_one_line_error(run(*args), fragment)
    assert rows(home, "posting_marks") == 0


def jsonl(path, *records) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def test_import_names_each_bad_record_by_line_and_loads_nothing_unless_asked(home, tmp_path):
    feed = jsonl(tmp_path / "jobs.jsonl",
                 {"title": "Nurse", "url": "https://jobs.example.test/1"},
                 {"title": "Clicker", "url": "javascript:alert(1)"},
                 {"title": "Baker", "posted_at": "yesterday"},
                 {"title": "Porter", "posted_at": "9999-12-31"},
                 {"title": "Cook", "salary_min": -5},
                 {"title": "Driver", "posted_at": "2026-11-20T08:00:00Z"})
    result = run("import", feed)
    assert_one_line_error(result, "4 bad record(s)", "nothing imported", "--skip-bad")
    assert f"{feed} line 2: url 'javascript:alert(1)' is not an http(s) URL" in result.output
    assert f"{feed} line 3: posted_at 'yesterday' is not an ISO 8601 date" in result.output
    assert f"{feed} line 4: posted_at '9999-12-31' is not a plausible date" in result.output
    assert f"{feed} line 5: salary_min -5 is not a positive amount" in result.output
    assert rows(home, "postings") == 0

    from sources.import_files import read_import_file
    from warehouse import connect
    from warehouse.postings import import_postings

    # --skip-bad loads exactly the good records (done here without the model the command would load to embed).
    batch = read_import_file(tmp_path / "jobs.jsonl")
    assert [line for line, _ in batch.rejected] == [2, 3, 4, 5]
    with connect(home / "plenty.duckdb") as con:
        import_postings(con, batch.records)
        titles = sorted(r[0] for r in con.execute("select title from postings").fetchall())
    assert titles == ["Driver", "Nurse"]


def test_a_csv_with_an_unterminated_quote_is_refused_whole(home, tmp_path):
    broken = tmp_path / "jobs.csv"
    broken.write_text('title,company\nNurse,Acme\n"Baker,Acme\nCook,Acme\n', encoding="utf-8")
    assert_one_line_error(run("import", str(broken)), "jobs.csv", "CSV error near line")
    assert rows(home, "postings") == 0


@pytest.mark.parametrize("board", ["../../admin", "acme?x=1", "acme#frag", "a/b"])
def test_a_board_token_that_leaves_its_url_path_is_refused_before_any_request(tmp_path, board):
    with BoardServer() as server:
        code, status, items, stderr = run_crawl(tmp_path, "greenhouse", board, server.url)
        assert server.requests == []
    assert code == 2 and items == [] and status["complete"] is False
    assert stderr.strip().endswith(f"Error: board {board!r} is not a board token"
                                   " (no /, \\, ?, #, .. or control characters)")
