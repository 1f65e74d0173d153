"""Bad input on the command line: non-zero exit, one line naming the problem, nothing half-written."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli.main import cli
from warehouse import connect


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def rows(home, table: str) -> int:
    db = home / "plenty.duckdb"
    if not db.exists():
        return 0
    with connect(db) as con:
        return con.execute(f"select count(*) from {table}").fetchall()[0][0]


def assert_one_line_error(result, *fragments: str):
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("Error: "), result.output
    for fragment in fragments:
        assert fragment in lines[-1]
    assert "Traceback" not in result.output


def test_reject_add_then_list(home):
    result = run("reject", "add", "--title", "Data Analyst", "--company", "Acme", "--text", "SQL and dashboards",
                 "--date", "2026-11-20", "--stage", "onsite")
    assert result.exit_code == 0 and result.output == "Recorded rejection 1: Data Analyst at Acme\n"
    listed = run("reject", "list").output
    assert "2026-11-20" in listed and "Data Analyst at Acme [onsite]" in listed


@pytest.mark.parametrize("args, fragments", [
    (["--text", "   "], ["text", "empty"]),
    (["--file", "nowhere.txt"], ["nowhere.txt", "not found"]),
    ([], ["exactly one of --text or --file"]),
    (["--text", "x", "--file", "y.txt"], ["exactly one of --text or --file"]),
    (["--text", "x", "--date", "20/11/2026"], ["--date", "YYYY-MM-DD"]),
])
def test_reject_add_bad_input_writes_nothing(home, args, fragments):
    result = run("reject", "add", "--title", "Data Analyst", "--company", "Acme", *args)
    assert_one_line_error(result, *fragments)
    assert rows(home, "rejections") == 0


def test_unknown_rejection_id(home):
    assert_one_line_error(run("reject", "archive", "7"), "7")
    assert_one_line_error(run("similar", "--rejection", "7"), "7")


def test_similar_needs_exactly_one_query(home):
    assert_one_line_error(run("similar"), "exactly one of")
    assert_one_line_error(run("similar", "--text", "a", "--rejection", "1"), "exactly one of")


def test_similar_before_any_index_says_what_to_do(home):
    result = run("similar", "--text", "nurse")
    assert_one_line_error(result)
    assert "nightly" in result.output or "import" in result.output


def test_similar_on_an_index_of_an_older_embedded_text_says_to_rebuild(home):
    from corpus.encoders import model_identity
    from datahome.settings import load_settings
    from embeddings.index import VectorIndex

    settings = load_settings()
    VectorIndex.new(model_identity(settings), 384).save(settings.index_dir)  # as plenty saved it before text 2
    result = run("similar", "--text", "nurse")
    assert_one_line_error(result, "older version of the embedded text", "plenty index rebuild")
    assert result.exit_code == 1


def test_malformed_queries_file(home, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": 1, "text": "nurse"}\n{"id": 2}\n', encoding="utf-8")
    assert_one_line_error(run("similar", "--queries", str(queries)), "line 2")


def test_malformed_sources_file(home, tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nkind = "monster"\nboard = "x"\n', encoding="utf-8")
    assert_one_line_error(run("nightly", "--sources", str(sources)), "unknown kind 'monster'")
    assert_one_line_error(run("nightly", "--sources", str(tmp_path / "none.toml")), "not found")
    assert rows(home, "postings") == 0


def test_unreadable_csv_imports_nothing(home, tmp_path):
    bad = tmp_path / "jobs.csv"
    bad.write_bytes(b"\xff\xfe\x00\x01title")
    assert_one_line_error(run("import", str(bad)), "jobs.csv")
    no_title = tmp_path / "other.csv"
    no_title.write_text("name,company\nx,y\n", encoding="utf-8")
    assert_one_line_error(run("import", str(no_title)), "no 'title' column")
    assert_one_line_error(run("import", str(tmp_path / "missing.csv")), "not found")
    assert rows(home, "postings") == 0


def test_import_with_bad_records_needs_skip_bad(home, tmp_path):
    feed = tmp_path / "jobs.jsonl"
    feed.write_text('{"title": "Nurse"}\n{"company": "no title"}\n', encoding="utf-8")
    result = run("import", str(feed))
    assert_one_line_error(result, "1 bad record", "--skip-bad")
    assert "line 2: missing title" in result.output
    assert rows(home, "postings") == 0
