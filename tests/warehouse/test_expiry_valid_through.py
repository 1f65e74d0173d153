"""Expiry by date: open postings past ``valid_through`` are closed (once), others are left alone, and the closures
are added to the run's per-source report."""

from __future__ import annotations

from datetime import datetime

from tests.support.warehouse_rows import con, night, posting, write_feed  # noqa: F401
from warehouse import load_feed
from warehouse.expiry import close_expired
from warehouse.runs import record_source_run


def test_postings_past_valid_through_close_and_report(con, tmp_path):  # noqa: F811
    records = [posting("1", valid_through="2026-03-03T00:00:00Z"), posting("2", valid_through="2026-04-01T00:00:00Z"),
               posting("3"), posting("4", valid_through="2026-03-02T12:00:00Z")]
    load_feed(con, write_feed(tmp_path / "a.jsonl", records), source="greenhouse", board="acme", complete=True,
              crawled_at=night(0))
    row = {"source": "greenhouse-acme", "kind": "greenhouse", "board": "acme", "complete": True, "fetched": 4,
           "new": 4, "updated": 0, "closed": 0, "dropped": {}, "errors": []}
    record_source_run(con, "run-1", row, night(0), night(0))
    assert close_expired(con, night(2), run_id="run-1") == {("greenhouse", "acme"): 2}
    closed = con.execute("select source_id, closed_at from postings where closed_at is not null order by 1").fetchall()
    assert closed == [("1", datetime(2026, 3, 3)), ("4", datetime(2026, 3, 2, 12))]
    assert con.execute("select count_closed from source_runs where run_id = 'run-1'").fetchone() == (2,)
    assert con.execute("select count_open_postings from companies").fetchone() == (2,)
    assert close_expired(con, night(2), run_id="run-1") == {}  # already closed: nothing changes
    assert con.execute("select count_closed from source_runs").fetchone() == (2,)


def test_a_posting_loaded_after_its_deadline_closes_no_earlier_than_first_seen(con, tmp_path):  # noqa: F811
    record = posting("1", source="jsonld", board="nhs", valid_through="2020-12-31T23:59:59Z")
    load_feed(con, write_feed(tmp_path / "a.jsonl", [record]),
              source="jsonld", board="nhs", complete=True, crawled_at=night(0))
    assert close_expired(con, night(0)) == {("jsonld", "nhs"): 1}
    assert con.execute("select closed_at = first_seen_at from postings").fetchone() == (True,)
