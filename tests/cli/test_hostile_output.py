"""Hostile scraped text reaches no terminal, page or mail as markup or control sequences.

Postings whose title, company, location and description carry ``<script>``, event-handler attributes, Markdown
links and headings, ANSI/OSC escape sequences, a C1 CSI and a bidi override are loaded the way imports are (no
crawl-time cleaning), then shown by every command that prints them: matches, reject list, similar (text and
JSON), export (JSON lines and CSV), the nightly report and the weekly digest (Markdown and HTML).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timezone

import pytest
from click.testing import CliRunner

from cli.main import cli
from corpus import embedding, index_sync
from corpus.encoders import stored_name
from datahome.settings import load_settings
from display.safe_text import safe_json, safe_line, safe_text
from embeddings.encoder import HashingEncoder
from recommend import matching
from tests.support.warehouse_rows import posting, write_feed
from warehouse import connect, load_feed
from warehouse.rejections import add_rejection

ENCODER = HashingEncoder(dim=128)
ESCAPES = "\x1b[2J\x1b]0;owned\x07\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\\x9b31m\u202egnp.exe"
TITLE = f'<script>alert(1)</script><img src=x onerror="alert(2)"> Data Engineer {ESCAPES}'
COMPANY = "[Acme](javascript:alert(3)) # Corp\n## Injected heading"
LOCATION = "Berlin\x1b[31m\r\n* list item"
# Raw bytes a terminal acts on: ESC, BEL, C1 controls, bidi overrides, carriage return.
TERMINAL_ACTIVE = re.compile("[\x1b\x07\x80-\x9f\u202a-\u202e\u2066-\u2069\r]")


@pytest.fixture
def hostile_home(home, tmp_path):
    settings = load_settings()
    settings.ensure_dirs()
    records = [posting("1", title=TITLE, company=COMPANY, locations=[LOCATION], url="https://jobs.example.test/1",
                       description=f"Build data pipelines in Python and SQL. {ESCAPES}"),
               posting("2", title="Data Engineer", company="Initech", description="Build data pipelines in SQL.")]
    with connect(settings.db_path) as con:
        load_feed(con, write_feed(tmp_path / "feed.jsonl", records), source="greenhouse", board="acme",
                  complete=True, crawled_at=datetime(2026, 11, 20, 2, tzinfo=timezone.utc))
        add_rejection(con, title=f"Data Engineer {ESCAPES}", company="Umbrella\x1b[5m", text="data pipelines SQL",
                      rejected_on=date(2026, 11, 1), stage="onsite\x1b[8m")
    embedding.embed_missing(settings, ENCODER)
    index_sync.refresh_index(settings, model=stored_name(settings, ENCODER))
    matching.compute_matches(settings, "run-001", k=5, encoder=ENCODER, today=date(2026, 11, 21))
    return settings


def assert_inert(text: str) -> None:
    assert not TERMINAL_ACTIVE.search(text), repr(TERMINAL_ACTIVE.search(text).group())


def plenty(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_safe_line_and_safe_text_make_every_control_visible():
    assert safe_line("a\x1b[31mb\r\nc\u202ed\x9b") == "a\\x1b[31mb c\\u202ed\\x9b"
    assert safe_text("one\ntwo\tthree\x07") == "one\ntwo\tthree\\x07"
    assert json.loads(safe_json({"t": TITLE})) == {"t": TITLE}  # escaping in JSON loses nothing
    assert_inert(safe_json({"t": TITLE}))


def test_a_lone_surrogate_is_shown_as_its_escape_and_never_breaks_the_output():
    # A command-line byte that is not UTF-8 reaches Python as a lone surrogate; UTF-8 output cannot hold it.
    assert safe_line("Acme\udcff") == "Acme\\udcff" and safe_text("a\ud800\nb") == "a\\ud800\nb"
    document = {"company": "Acme\udcff", "city": "Zürich"}
    assert json.loads(safe_json(document)) == document
    safe_json(document).encode("utf-8")
    safe_line("Acme\udcff").encode("utf-8")


def test_matches_and_reject_list_print_no_control_sequences(hostile_home):
    matches = plenty("matches")
    assert_inert(matches)
    assert "\\x1b[2J" in matches and "<script>alert(1)</script>" in matches  # shown as text, visibly
    lines = matches.splitlines()
    assert sum(bool(re.match(r"\s*\d+\. +\d+ %  ", line)) for line in lines) == 2
    assert not any(line.lstrip().startswith(("## Injected", "* list item")) for line in lines)
    listed = plenty("reject", "list")
    assert_inert(listed)
    assert "Umbrella\\x1b[5m [onsite\\x1b[8m]" in listed


def test_similar_text_and_json_output_is_inert_and_json_is_lossless(hostile_home, capsys):
    from cli.similar import print_result
    from recommend.recommender import Recommender

    result = Recommender.open(hostile_home, encoder=ENCODER).similar(["data pipelines python sql"], k=5)[0]
    print_result(result, as_json=False)
    text = capsys.readouterr().out
    assert_inert(text)
    lines = text.splitlines()
    # Nothing a posting carries starts a line of its own: one ranked line per posting, no injected lines.
    assert sum(bool(re.match(r"\s*#\d+ +\d+ %  ", line)) for line in lines) == len(result.postings) == 2
    assert not any(line.lstrip().startswith(("## Injected", "* list item")) for line in lines)
    print_result(result, as_json=True)
    raw = capsys.readouterr().out
    assert_inert(raw)
    titles = {p["title"] for p in json.loads(raw)["postings"]}
    assert TITLE in titles


def test_export_jsonl_and_csv_are_inert(hostile_home, tmp_path):
    raw = plenty("export")
    assert_inert(raw)
    assert {json.loads(line)["title"] for line in raw.splitlines()} == {TITLE, "Data Engineer"}
    table = plenty("export", "--format", "csv")
    assert_inert(table)
    rows = list(csv.DictReader(io.StringIO(table)))
    assert {row["title"] for row in rows} == {safe_text(TITLE), "Data Engineer"}
    plenty("export", "--out", str(tmp_path / "out.jsonl"))
    assert_inert((tmp_path / "out.jsonl").read_text(encoding="utf-8"))


def test_an_export_that_cannot_be_written_says_so_and_leaves_nothing(hostile_home, tmp_path):
    result = CliRunner().invoke(cli, ["export", "--out", str(tmp_path / "no-such-dir" / "out.jsonl")])
    assert result.exit_code == 1 and result.output.startswith("Error: cannot write ")
    assert "Traceback" not in result.output and not (tmp_path / "no-such-dir").exists()


def test_the_nightly_report_shows_server_text_inertly(capsys):
    from cli.nightly import print_report
    from flows.nightly import NightlyReport

    report = NightlyReport(run_id="r1", sources=[{
        "source": "greenhouse-acme", "complete": False, "fetched": 0, "new": 0, "updated": 0, "closed": 0,
        "dropped": {}, "failures": {"not_json": 1}, "errors": [f"UnexpectedResponse: {ESCAPES}\nsecond line"]}])
    print_report(report)
    out = capsys.readouterr().out
    assert_inert(out)
    assert len(out.splitlines()) == 4 and "FAILED (not_json 1): UnexpectedResponse: \\x1b[2J" in out


def test_the_digest_markdown_and_html_are_inert(hostile_home):
    from digest import run_digest

    result = run_digest(hostile_home, week="2026-W47", encoder=ENCODER)
    markdown = result.markdown_path.read_text(encoding="utf-8")
    html = result.html_path.read_text(encoding="utf-8")
    assert_inert(markdown)
    assert_inert(html)
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert not re.search(r"(?<!\\)<(script|img)", markdown, re.IGNORECASE)  # only escaped: \<script
    assert "](javascript:" not in markdown and "\n## Injected" not in markdown
    assert "\\x1b\\[2J" in markdown and "\\x1b[2J" in html
