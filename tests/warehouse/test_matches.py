"""Match runs, stored matches per rejection, and the posting details `plenty similar` shows."""

from __future__ import annotations

import pytest

from tests.support.warehouse_rows import con, night, posting, write_feed  # noqa: F401
from warehouse import UnknownMatchRun, UnknownRejection, check_keys, load_feed, posting_id
from warehouse.matches import finish_match_run, latest_matches, posting_details, record_matches, start_match_run
from warehouse.rejections import add_rejection


def pid(source_id: str) -> int:
    return posting_id("greenhouse", source_id)


@pytest.fixture
def loaded(con, tmp_path):  # noqa: F811
    feed = write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2"), posting("3", locations=["Oslo", "Remote"])])
    load_feed(con, feed, source="greenhouse", board="acme", complete=True, crawled_at=night(0))
    return add_rejection(con, title="Data Engineer", company="Initech", text="pipelines")


def test_matches_of_the_latest_finished_run_are_returned_best_first(con, loaded):  # noqa: F811
    old = start_match_run(con, "m", run_id="run-1")
    record_matches(con, old, loaded, [(pid("1"), 0.9, 1)])
    finish_match_run(con, old)
    new = start_match_run(con, "m", run_id="run-2")
    record_matches(con, new, loaded, [(pid("3"), 0.7, 2), (pid("2"), 0.8, 1)])
    assert [row["posting_id"] for row in latest_matches(con, loaded)] == [pid("1")]  # run-2 not finished yet
    finish_match_run(con, new)
    rows = latest_matches(con, loaded)
    assert [(row["posting_id"], row["rank"], row["run_id"]) for row in rows] == [(pid("2"), 1, new), (pid("3"), 2, new)]
    assert rows[1]["location"] == "Oslo; Remote" and rows[1]["title"] == "Data Engineer 3"
    assert set(check_keys(con).values()) == {0}


def test_recording_again_replaces_that_run_and_rejection_only(con, loaded):  # noqa: F811
    other = add_rejection(con, title="Analyst", company=None, text="sql")
    run = start_match_run(con, "m")
    record_matches(con, run, loaded, [(pid("1"), 0.9, 1), (pid("2"), 0.5, 2)])
    record_matches(con, run, other, [(pid("3"), 0.4, 1)])
    record_matches(con, run, loaded, [(pid("2"), 0.95, 1)])
    finish_match_run(con, run)
    assert [(r["posting_id"], r["score"]) for r in latest_matches(con, loaded)] == [(pid("2"), 0.95)]
    assert [r["posting_id"] for r in latest_matches(con, other)] == [pid("3")]


def test_a_failed_replacement_keeps_the_previous_rows(con, loaded):  # noqa: F811
    run = start_match_run(con, "m")
    record_matches(con, run, loaded, [(pid("1"), 0.9, 1)])
    with pytest.raises(Exception):
        record_matches(con, run, loaded, [(pid("2"), 0.9, 1), (pid("2"), 0.8, 2)])
    with pytest.raises(Exception):
        record_matches(con, run, loaded, [(pid("2"), "not a score", 1)])
    finish_match_run(con, run)
    assert [r["posting_id"] for r in latest_matches(con, loaded)] == [pid("1")]


def test_a_run_stored_in_the_callers_transaction_is_kept_whole_or_not_at_all(con, loaded):  # noqa: F811
    from warehouse.db import transaction
    from warehouse.recommendations import record_match_reasons

    with pytest.raises(UnknownRejection):
        with transaction(con):
            run = start_match_run(con, "m", run_id="run-half")
            record_matches(con, run, loaded, [(pid("1"), 0.9, 1)], atomic=False)
            record_match_reasons(con, run, loaded, {pid("1"): "shared skills: sql"}, atomic=False)
            record_matches(con, run, 999, [(pid("2"), 0.8, 1)], atomic=False)  # no such rejection: fails mid-run
    assert con.execute("select count(*) from match_runs").fetchall() == [(0,)]
    assert con.execute("select count(*) from matches").fetchall() == [(0,)]
    assert con.execute("select count(*) from match_reasons").fetchall() == [(0,)]
    with transaction(con):
        run = start_match_run(con, "m", run_id="run-whole")
        record_matches(con, run, loaded, [(pid("1"), 0.9, 1)], atomic=False)
        record_match_reasons(con, run, loaded, {pid("1"): "shared skills: sql"}, atomic=False)
        finish_match_run(con, run)
    assert [row["posting_id"] for row in latest_matches(con, loaded)] == [pid("1")]


def test_closed_postings_are_left_out_of_matches(con, loaded, tmp_path):  # noqa: F811
    run = start_match_run(con, "m")
    record_matches(con, run, loaded, [(pid("1"), 0.9, 1), (pid("2"), 0.8, 2)])
    finish_match_run(con, run)
    feed = write_feed(tmp_path / "b.jsonl", [posting("2"), posting("3")])
    load_feed(con, feed, source="greenhouse", board="acme", complete=True, crawled_at=night(1))
    assert [r["posting_id"] for r in latest_matches(con, loaded)] == [pid("2")]
    assert len(latest_matches(con, loaded, include_closed=True)) == 2


def test_unknown_runs_and_rejections_are_named_errors(con, loaded):  # noqa: F811
    with pytest.raises(UnknownMatchRun):
        record_matches(con, "nope", loaded, [])
    with pytest.raises(UnknownMatchRun):
        finish_match_run(con, "nope")
    run = start_match_run(con, "m")
    with pytest.raises(UnknownRejection):
        record_matches(con, run, 999, [])
    with pytest.raises(UnknownRejection):
        latest_matches(con, 999)


def test_posting_details_keep_the_requested_order_and_show_closed_at(con, loaded, tmp_path):  # noqa: F811
    feed = write_feed(tmp_path / "b.jsonl", [posting("2"), posting("3")])
    load_feed(con, feed, source="greenhouse", board="acme", complete=True, crawled_at=night(1))
    rows = posting_details(con, [pid("3"), 12345, pid("1")])
    assert [row["posting_id"] for row in rows] == [pid("3"), pid("1")]
    first = rows[0]
    assert (first["title"], first["company"], first["source"], first["source_id"]) == (
        "Data Engineer 3", "Acme", "greenhouse", "3",
    )  # fmt: skip
    assert first["url"] == "https://boards.example/acme/jobs/3" and first["closed_at"] is None
    assert rows[1]["closed_at"] is not None
    assert posting_details(con, []) == []
