"""Faults in some sources of a nightly run: the others load, a failed board closes nothing, the report says why,
and only a run in which every source failed exits non-zero."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from cli.main import cli
from datahome.settings import load_settings
from mirror.board_server import Route
from sources.crawl_processes import run_crawl
from sources.loading import load_crawls
from sources.sources_file import Source
from tests.spiders.test_crawl_faults import greenhouse_board
from tests.support.faults import Fault, FaultServer
from warehouse import connect

QUICK = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 3, "RETRY_TIMES": 1}


def lever_board(ids) -> bytes:
    """A Lever postings API answer with one posting per id."""
    return json.dumps([{"id": str(i), "text": f"Courier {i}", "hostedUrl": f"https://jobs.example.test/{i}",
                        "categories": {"location": "Leeds"}, "descriptionPlain": "Deliver parcels."}
                       for i in ids]).encode()


def open_postings(home) -> dict[str, set[str]]:
    with connect(home / "plenty.duckdb") as con:
        rows = con.execute("select board, source_id from postings where closed_at is null").fetchall()
    found: dict[str, set[str]] = {}
    for board, source_id in rows:
        found.setdefault(board, set()).add(source_id)
    return found


def night(home, server, sources, run_id):
    """Crawl and load every source as the nightly flow does (without embedding), returning the report rows."""
    settings = load_settings(home)
    settings.ensure_dirs()
    results = [run_crawl(source, settings.feeds_dir / run_id, user_agent="plenty-test", scrapy_settings=QUICK)
               for source in sources]
    rows = load_crawls(settings, results, datetime.now(timezone.utc), run_id)
    return {row["board"]: row for row in rows}


def test_a_board_that_failed_to_crawl_closes_none_of_its_postings(home):
    with FaultServer() as server:
        sources = [Source("greenhouse", "alpha", api_base=server.url),
                   Source("greenhouse", "beta", api_base=server.url), Source("lever", "gamma", api_base=server.url)]
        server.routes["/v1/boards/alpha/jobs"] = Route(greenhouse_board({"id": 1}, {"id": 2}, {"id": 3}))
        server.routes["/v1/boards/beta/jobs"] = Route(greenhouse_board({"id": 11}, {"id": 12}))
        server.routes["/v0/postings/gamma"] = Route(lever_board(range(100, 250)))  # two pages of 100
        first = night(home, server, sources, "night-1")
        assert all(row["complete"] and not row["errors"] for row in first.values())
        assert open_postings(home) == {"alpha": {"1", "2", "3"}, "beta": {"11", "12"},
                                       "gamma": {str(i) for i in range(100, 250)}}

        # Night 2: alpha answers 503 every time, beta stopped listing 12, gamma's second page fails and its
        # first page no longer lists posting 100.
        server.faults["/v1/boards/alpha/jobs"] = Fault("status", status=503)
        server.routes["/v1/boards/beta/jobs"] = Route(greenhouse_board({"id": 11}))
        server.routes["/v0/postings/gamma"] = Route(lever_board(range(101, 250)))
        server.faults["/v0/postings/gamma?mode=json&skip=100&limit=100"] = Fault("reset")
        second = night(home, server, sources, "night-2")

    assert second["alpha"]["complete"] is False and second["alpha"]["closed"] == 0
    assert second["alpha"]["failures"] == {"http_503": 1} and "HTTP 503" in second["alpha"]["errors"][0]
    assert second["beta"]["complete"] is True and second["beta"]["closed"] == 1
    assert second["gamma"]["complete"] is False and second["gamma"]["closed"] == 0
    assert second["gamma"]["failures"] == {"connection": 1} and second["gamma"]["fetched"] == 100
    assert open_postings(home) == {"alpha": {"1", "2", "3"}, "beta": {"11"},
                                   "gamma": {str(i) for i in range(100, 250)}}
    with connect(home / "plenty.duckdb") as con:
        stored = dict(con.execute("select board, errors from source_runs where run_id = 'night-2'").fetchall())
    assert json.loads(stored["alpha"]) == second["alpha"]["errors"] and json.loads(stored["beta"]) == []


def test_every_source_failing_ends_the_run_with_a_report_and_exit_1(home, tmp_path, prefect_harness):
    with FaultServer() as server:
        server.routes["/v1/boards/gone/jobs"] = Route(b"not found", 404, "text/plain")
        server.faults["/v1/boards/down/jobs"] = Fault("status", status=503)
        server.routes["/posting-api/job-board/maint"] = Route(b"<html>maintenance</html>", 200, "text/html")
        sources = tmp_path / "sources.toml"
        sources.write_text("".join(f'[[source]]\nkind = "{kind}"\nboard = "{board}"\napi_base = "{server.url}"\n\n'
                                   for kind, board in [("greenhouse", "gone"), ("greenhouse", "down"),
                                                       ("ashby", "maint")]), encoding="utf-8")
        result = CliRunner().invoke(cli, ["nightly", "--sources", str(sources)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("greenhouse-gone") and "FAILED (http_404 1): HTTP 404 at" in line for line in lines)
    assert any(line.startswith("greenhouse-down") and "FAILED (http_503 1): HTTP 503 at" in line
               and "(after 2 retries)" in line for line in lines)
    assert any(line.startswith("ashby-maint") and "FAILED (not_json 1): UnexpectedResponse" in line for line in lines)
    assert lines[-1].startswith("Error: every source failed in run ") and "Traceback" not in result.output
    assert open_postings(home) == {}


@pytest.mark.model
def test_faulty_sources_are_counted_and_the_others_load(home, prefect_harness, capsys):
    from cli.nightly import print_report
    from flows.nightly import nightly_flow

    with FaultServer() as server:
        boards = {
            "good": Route(greenhouse_board({"id": 1, "title": "Warehouse Operative"},
                                           {"id": 2, "title": "Forklift Driver"})),
            "hangs": Route(greenhouse_board({"id": 3})),
            "resets": Route(greenhouse_board({"id": 4})),
            "html": Route(b"<!doctype html><title>Oops</title>", 200, "text/html"),
            "latin": Route(greenhouse_board({"id": 5, "title": "Café Manager"}).decode().encode("utf-8"), 200,
                           "application/json; charset=iso-8859-1"),
            "absurd": Route(greenhouse_board({"id": 6, "title": "Night Porter",
                                             "first_published": "9999-12-31T00:00:00Z"})),
        }
        for board, route in boards.items():
            server.routes[f"/v1/boards/{board}/jobs"] = route
        server.faults["/v1/boards/hangs/jobs"] = Fault("hang", seconds=8)
        server.faults["/v1/boards/resets/jobs"] = Fault("reset")
        sources = home.parent / "sources.toml"
        sources.write_text("".join(f'[[source]]\nkind = "greenhouse"\nboard = "{b}"\napi_base = "{server.url}"\n\n'
                                   for b in boards), encoding="utf-8")
        report = nightly_flow(sources_file=str(sources), home=str(home), scrapy_settings=QUICK)

    rows = {row["board"]: row for row in report.sources}
    assert {row["board"] for row in report.failed_sources} == {"hangs", "resets", "html"}
    assert (rows["hangs"]["failures"], rows["resets"]["failures"], rows["html"]["failures"]) == (
        {"timeout": 1}, {"connection": 1}, {"not_json": 1})
    assert rows["absurd"]["cleared"] == {"posted_at_out_of_range": 1} and rows["absurd"]["complete"]
    assert not report.all_failed and report.embedded == 4 and report.index_added == 4
    with connect(home / "plenty.duckdb") as con:
        titles = sorted(r[0] for r in con.execute("select title from postings where closed_at is null").fetchall())
        posted = con.execute("select posted_at from postings where source_id = '6'").fetchall()
    assert titles == ["Café Manager", "Forklift Driver", "Night Porter", "Warehouse Operative"]
    assert posted == [(None,)]

    capsys.readouterr()
    print_report(report)
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("greenhouse-hangs") and "FAILED (timeout 1): DownloadTimeoutError" in line
               for line in lines)
    assert any(line.startswith("greenhouse-good") and line.endswith(" ok") for line in lines)
    assert list(report.seconds) == ["crawl and load", "settle", "embed", "index", "tag", "match"]
    assert all(value >= 0 for value in report.seconds.values()) and report.seconds["crawl and load"] > 0
    assert any(line.startswith("Seconds: crawl and load ") for line in lines)
    assert [row["board"] for row in report.sources] == list(boards)  # the configured order, whatever finished first
