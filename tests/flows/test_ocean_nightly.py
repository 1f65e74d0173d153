"""A night over the user's own boards and the directory's, against a local fleet: the own boards are crawled,
loaded and matched first (match run RUN-own), then the directory's; the run says how far it is."""

from __future__ import annotations

import logging

import pytest

from mirror.fleet import Fleet, FleetBoard, FleetServer, fictional_names
from sources.directory import write_directory
from warehouse import connect
from warehouse.board_checks import board_checks
from warehouse.rejections import add_rejection

QUICK = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RETRY_TIMES": 0}


@pytest.mark.model
def test_own_boards_are_matched_first_then_the_directory_fills_in(home, prefect_harness, tmp_path):
    from flows.nightly import nightly_flow

    names = fictional_names(4, seed=3)
    fleet = Fleet([FleetBoard("greenhouse", "mine", 6, names[0]), FleetBoard("ashby", "deep", 20, names[1]),
                   FleetBoard("greenhouse", "wide", 9, names[2]), FleetBoard("greenhouse", "lost", 3, names[3])],
                  validators=False)
    fleet.gone.add("lost")
    write_directory(tmp_path / "fleet.tsv", [{"kind": b.kind, "board": b.token, "company": b.company,
                                             "jobs": b.size, "checked": "2026-12-01"} for b in fleet.boards])
    with connect(home / "plenty.duckdb") as con:
        add_rejection(con, title="Staff nurse", company="Elsewhere", text="Cares for patients on a hospital ward.")
    messages: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())
    logger = logging.getLogger("plenty")
    logger.addHandler(handler)
    level, logger.level = logger.level, logging.INFO
    with FleetServer(fleet) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(
            'include_directory = true\nshipped_directory = false\ndirectory_files = ["fleet.tsv"]\n'
            f'directory_api_base = {{greenhouse = "{server.url}", ashby = "{server.url}"}}\n\n'
            f'[[source]]\nkind = "greenhouse"\nboard = "mine"\napi_base = "{server.url}"\n', encoding="utf-8")
        try:
            report = nightly_flow(sources_file=str(sources), home=str(home), scrapy_settings=QUICK)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
    assert [row["board"] for row in report.sources] == ["mine", "deep", "wide", "lost"]
    assert list(report.seconds)[:6] == [f"own boards: {step}" for step in
                                        ("crawl and load", "settle", "embed", "index", "tag", "match")]
    assert report.embedded == fleet.listed_postings(0) and report.matched_rejections == 1
    with connect(home / "plenty.duckdb") as con:
        runs = [row[0] for row in con.execute("select run_id from match_runs order by started_at").fetchall()]
        checks = board_checks(con)
    assert runs == [f"{report.run_id}-own", report.run_id]
    assert checks[("greenhouse", "lost")]["last_outcome"] == "not_found"
    assert checks[("ashby", "deep")]["last_outcome"] == "jobs"
    progress = [message for message in messages if message.startswith("crawled ")]
    assert progress[-1].startswith("crawled 3/3 boards, ") and "done in" in progress[-1]
