"""``plenty sources list`` and ``plenty sources add``: the configured sources with their crawl history, and
validated additions that leave the file untouched on any error."""

from __future__ import annotations

import json
import tomllib
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from cli.main import cli
from sources.sources_file import load_sources
from tests.support.warehouse_rows import posting, write_feed
from warehouse import connect, load_feed
from warehouse.runs import record_source_run

SOURCES = '''[[source]]
kind = "greenhouse"
board = "acme"
company = "Acme"

[[source]]
kind = "remotive"
'''


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def sources_file(home, tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(SOURCES, encoding="utf-8")
    return path


def test_add_appends_a_valid_source(sources_file):
    result = run("sources", "add", "lever", "palantir", "--company", "Palantir", "--sources", str(sources_file))
    assert result.exit_code == 0, result.output
    assert result.output == f"Added lever-palantir to {sources_file}.\n"
    assert [(s.kind, s.board, s.company) for s in load_sources(sources_file)] == [
        ("greenhouse", "acme", "Acme"), ("remotive", "", None), ("lever", "palantir", "Palantir")]
    assert sources_file.read_text(encoding="utf-8").startswith(SOURCES)  # appended, nothing rewritten


def test_add_jsonld_and_hn_sources(sources_file):
    assert run("sources", "add", "jsonld", "nhs", "--sitemap", "https://jobs.example/sitemap.xml",
               "--url", "https://jobs.example/v/1", "--sources", str(sources_file)).exit_code == 0
    assert run("sources", "add", "hn", "47601859", "--sources", str(sources_file)).exit_code == 0
    added = tomllib.loads(sources_file.read_text(encoding="utf-8"))["source"][-2:]
    assert added == [{"kind": "jsonld", "board": "nhs", "urls": ["https://jobs.example/v/1"],
                      "sitemap": "https://jobs.example/sitemap.xml"}, {"kind": "hn", "board": "47601859"}]


@pytest.mark.parametrize("args, message", [
    (("monster", "acme"), "Error: cannot add the source: unknown kind 'monster'; use one of greenhouse, lever,"),
    (("greenhouse", "  "), "Error: cannot add the source: kind 'greenhouse' needs a non-empty board"),
    (("lever",), "Error: cannot add the source: kind 'lever' needs a non-empty board"),
    (("greenhouse", "acme"), "Error: greenhouse board 'acme' is already in"),
    (("remotive",), "Error: remotive (whole board) is already in"),
    (("hn", "who-is-hiring"), "Error: cannot add the source: kind 'hn' needs the thread's item id as board"),
    (("jsonld", "nhs"), "Error: cannot add the source: kind 'jsonld' needs urls = [...] or sitemap"),
])
def test_bad_additions_are_one_line_errors_and_leave_the_file_untouched(sources_file, args, message):
    before = sources_file.read_bytes()
    result = run("sources", "add", *args, "--sources", str(sources_file))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.output
    assert sources_file.read_bytes() == before
    assert not sources_file.with_name("sources.toml.tmp").exists()


def test_a_broken_sources_file_is_not_appended_to(home, tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text("[[source]\nkind = ", encoding="utf-8")
    result = run("sources", "add", "lever", "x", "--sources", str(path))
    assert result.exit_code == 1 and "is not valid TOML" in result.output and "fix it before adding" in result.output
    assert path.read_text(encoding="utf-8") == "[[source]\nkind = "


def test_add_without_a_file_uses_the_data_homes_default_list(home):
    result = run("sources", "add", "workable", "vasion")
    assert result.exit_code == 0, result.output
    shipped = load_sources(home / "sources.toml")
    assert len(shipped) > 30 and (shipped[-1].kind, shipped[-1].board) == ("workable", "vasion")


def test_list_shows_last_crawl_postings_and_errors(home, sources_file, tmp_path):
    crawled = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
    with connect(home / "plenty.duckdb") as con:
        load_feed(con, write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2")]), source="greenhouse",
                  board="acme", complete=True, crawled_at=crawled)
        load_feed(con, write_feed(tmp_path / "b.jsonl", [posting("2")]), source="greenhouse", board="acme",
                  complete=True, crawled_at=crawled.replace(day=21))
        ok = {"source": "greenhouse-acme", "kind": "greenhouse", "board": "acme", "complete": True, "fetched": 1,
              "errors": []}
        failed = {"source": "remotive-all", "kind": "remotive", "board": "", "complete": False, "fetched": 0,
                  "errors": ["HTTP 503 at https://remotive.com/api/remote-jobs"]}
        record_source_run(con, "r1", ok, crawled, crawled.replace(minute=5))
        record_source_run(con, "r1", failed, crawled, crawled.replace(minute=6))
    result = run("sources", "list", "--sources", str(sources_file))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["kind", "board", "company", "last", "crawl", "seen", "open", "status"]
    assert lines[1].split() == ["greenhouse", "acme", "Acme", "2026-11-20T02:05:00Z", "2", "1", "ok"]
    assert lines[2].split()[:5] == ["remotive", "(all)", "2026-11-20T02:06:00Z", "0", "0"]
    assert lines[2].endswith("FAILED: HTTP 503 at https://remotive.com/api/remote-jobs (1 of 1 runs failed)")
    rows = [json.loads(line) for line in run("sources", "list", "--json", "--sources", str(sources_file)).output
            .splitlines()]
    assert [(r["source"], r["postings_seen"], r["postings_open"], r["errors"]) for r in rows] == [
        ("greenhouse-acme", 2, 1, []), ("remotive-all", 0, 0, ["HTTP 503 at https://remotive.com/api/remote-jobs"])]


def test_list_before_any_crawl(home, sources_file):
    result = run("sources", "list", "--sources", str(sources_file))
    assert result.exit_code == 0
    assert [line.split()[-2:] for line in result.output.splitlines()[1:]] == [["never", "crawled"]] * 2


@pytest.mark.parametrize("body, message", [
    ('kind = "jsonld"\nboard = "nhs"\n', "needs urls = [...] or sitemap"),
    ('kind = "jsonld"\nboard = "nhs"\nurls = "https://a.example/1"\n', "urls must be a list of http(s) URLs"),
    ('kind = "jsonld"\nboard = "nhs"\nsitemap = "a.example/sitemap.xml"\n', "is not an http(s) URL"),
    ('kind = "lever"\nboard = "x"\nsitemap = "https://a.example/s.xml"\n', "for kind 'jsonld' only"),
    ('kind = "hn"\nboard = "april"\n', "item id as board (digits)"),
    ('kind = "smartrecruiters"\n', "needs a non-empty board"),
    ('kind = "lever"\nboard = "x"\nenabled = "no"\n', "enabled must be true or false"),
])
def test_kind_specific_options_are_checked(tmp_path, body, message):
    from sources.errors import SourcesError

    path = tmp_path / "s.toml"
    path.write_text("[[source]]\n" + body, encoding="utf-8")
    with pytest.raises(SourcesError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        load_sources(path)


def test_aggregators_need_no_board_and_jsonld_keeps_its_pages(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[[source]]\nkind = "remoteok"\n\n[[source]]\nkind = "arbeitnow"\nboard = "python"\n\n'
                    '[[source]]\nkind = "jsonld"\nboard = "nhs"\nurls = ["https://a.example/1"]\n'
                    'sitemap = "https://a.example/sitemap.xml"\n', encoding="utf-8")
    sources = load_sources(path)
    assert [(s.key, s.options) for s in sources] == [
        ("remoteok-all", {}), ("arbeitnow-python", {}),
        ("jsonld-nhs", {"urls": ["https://a.example/1"], "sitemap": "https://a.example/sitemap.xml"})]


def test_a_fresh_home_lists_the_directory_beside_the_default_sources(home):
    result = run("sources", "list", "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    own = [row for row in rows if row["origin"] == "own"]
    directory = [row for row in rows if row["origin"] != "own"]
    assert len(rows) >= 3000 and len(own) > 30 and len(directory) > 7000
    assert ("greenhouse", "gitlab") in {(row["kind"], row["board"]) for row in own}
    assert ("greenhouse", "gitlab") not in {(row["kind"], row["board"]) for row in directory}  # listed once
    assert {row["state"] for row in directory} <= {"new", "empty"}


def test_find_prints_a_company_board_and_open_jobs(home):
    result = run("sources", "find", "gitlab")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].split() == ["greenhouse", "gitlab", "GitLab", "?"]
    found = [json.loads(line) for line in run("sources", "find", "OpenAI", "--json").output.splitlines()]
    assert found[0]["kind"] == "ashby" and found[0]["board"] == "openai" and found[0]["jobs"] > 100
    assert run("sources", "find", "zzznothing").output == "No board of the directory matches 'zzznothing'.\n"


def test_add_a_directory_board_by_name(sources_file):
    result = run("sources", "add", "GitLab", "--sources", str(sources_file))
    assert result.exit_code == 0, result.output
    added = load_sources(sources_file)[-1]
    assert (added.kind, added.board, added.company) == ("greenhouse", "gitlab", "GitLab")
    before = sources_file.read_bytes()
    for name, message in [("amplitude", "Error: 2 directory boards are called 'amplitude' (ashby amplitude, "
                                        "greenhouse amplitude); give KIND BOARD instead"),
                          ("nosuchco", "Error: no board of the directory is called 'nosuchco'")]:
        result = run("sources", "add", name, "--sources", str(sources_file))
        assert result.exit_code == 1 and result.output.startswith(message), result.output
    assert sources_file.read_bytes() == before
