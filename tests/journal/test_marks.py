"""Feedback shapes what comes next: marks on postings, `plenty matches`, archiving a rejection, per-rejection
cool-off from `plenty reject add`."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.support.digest_world import OTHER_TEXT, job, pid, settings, world  # noqa: F401
from warehouse import InvalidInput, check_keys, connect
from warehouse.feedback import current_marks, excluded_posting_ids, mark_posting, rejection_doors
from warehouse.matches import latest_matches

NIGHT = date(2026, 11, 10)


def three_jobs(world):  # noqa: F811
    rejection_id = world.reject(on=date(2026, 11, 2))
    world.night(NIGHT, add=[job("1", "Data Engineer", "Acme"), job("2", "Senior Data Engineer", "Globex"),
                            job("3", "Analytics Engineer", "Hooli")])
    return rejection_id


def matched(world, rejection_id):  # noqa: F811
    with connect(world.settings.db_path) as con:
        return [row["posting_id"] for row in latest_matches(con, rejection_id)]


def test_the_latest_mark_is_current_and_earlier_ones_stay_as_history(world):  # noqa: F811
    three_jobs(world)
    with connect(world.settings.db_path) as con:
        mark_posting(con, pid("1"), "saved", note=" call back ", now=datetime(2026, 11, 11, 9))
        current = mark_posting(con, pid("1"), "applied", now=datetime(2026, 11, 12, 9))
        assert (current["mark"], current["note"]) == ("applied", None)
        assert con.execute("select count(*) from posting_marks").fetchone()[0] == 2
        assert excluded_posting_ids(con) == [pid("1")]
        assert set(current_marks(con)) == {pid("1")}
        assert set(check_keys(con).values()) == {0}


def test_unknown_postings_and_marks_are_named_errors(world):  # noqa: F811
    three_jobs(world)
    with connect(world.settings.db_path) as con:
        with pytest.raises(InvalidInput, match="no posting 42; see 'plenty matches'"):
            mark_posting(con, 42, "saved")
        with pytest.raises(InvalidInput, match="unknown mark 'liked'"):
            mark_posting(con, pid("1"), "liked")
        assert con.execute("select count(*) from posting_marks").fetchone()[0] == 0


def test_applied_and_dismissed_postings_are_never_suggested_again_saved_ones_are(world):  # noqa: F811
    rejection_id = three_jobs(world)
    assert set(matched(world, rejection_id)) == {pid("1"), pid("2"), pid("3")}
    runner = CliRunner()
    for posting, mark in (("1", "applied"), ("2", "dismissed"), ("3", "saved")):
        result = runner.invoke(cli, ["mark", str(pid(posting)), mark, "--note", f"note {posting}"])
        assert result.exit_code == 0 and result.output == f"Marked posting {pid(posting)} {mark} (note {posting})\n"
    world.night(date(2026, 11, 11))
    assert matched(world, rejection_id) == [pid("3")]
    listing = runner.invoke(cli, ["matches"])
    assert listing.exit_code == 0
    assert "Rejection 1: Data Engineer at Initech" in listing.output
    assert f"id {pid('3')}  [saved: note 3]" in listing.output


def test_plenty_matches_shows_marks_of_the_current_run(world):  # noqa: F811
    rejection_id = three_jobs(world)
    runner = CliRunner()
    runner.invoke(cli, ["mark", str(pid("2")), "dismissed"])
    result = runner.invoke(cli, ["matches", "--rejection", str(rejection_id)])
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if "id " in line]
    assert len(lines) == 3 and sum("[dismissed]" in line for line in lines) == 1
    assert any(line.endswith(f"id {pid('2')}  [dismissed]") for line in lines)


@pytest.mark.parametrize(("arguments", "message"), [
    (["mark", "12345", "applied"], "Error: no posting 12345; see 'plenty matches' for posting ids\n"),
    (["matches", "--rejection", "99"], "Error: no rejection 99\n"),
])
def test_bad_ids_exit_non_zero_with_one_line(world, arguments, message):  # noqa: F811
    three_jobs(world)
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 1 and result.output == message


def test_an_archived_rejection_stops_producing_matches_and_keeps_its_history(world):  # noqa: F811
    rejection_id = three_jobs(world)
    other = world.reject(title="Staff Nurse", company="Harbor", text=OTHER_TEXT)
    world.night(date(2026, 11, 11))
    before = matched(world, rejection_id)
    result = CliRunner().invoke(cli, ["reject", "archive", str(rejection_id)])
    assert result.exit_code == 0
    world.night(date(2026, 11, 12))
    with connect(world.settings.db_path) as con:
        runs = con.execute("select distinct run_id from matches where rejection_id = $r order by 1",
                           {"r": rejection_id}).fetchall()
        assert runs == [("run-001",), ("run-002",)]  # nothing new after archiving, the old runs stay
        assert con.execute("select count(*) from matches where run_id = 'run-003' and rejection_id = $r",
                           {"r": other}).fetchone()[0] > 0
    assert matched(world, rejection_id) == before
    assert "Data Engineer at Initech" not in CliRunner().invoke(cli, ["matches"]).output


def test_reject_add_records_its_own_cooloff(home):  # noqa: F811
    runner = CliRunner()
    ok = runner.invoke(cli, ["reject", "add", "--title", "Data Engineer", "--company", "Initech GmbH", "--text", "x",
                             "--date", "2026-03-02", "--cooloff-days", "30"])
    assert ok.exit_code == 0, ok.output
    plain = runner.invoke(cli, ["reject", "add", "--title", "Analyst", "--company", "Globex", "--text", "y"])
    assert plain.exit_code == 0
    bad = runner.invoke(cli, ["reject", "add", "--title", "A", "--company", "B", "--text", "z", "--cooloff-days", "-1"])
    assert bad.exit_code == 2 and "--cooloff-days" in bad.output
    from datahome.settings import load_settings

    with connect(load_settings().db_path) as con:
        rows = rejection_doors(con)
    assert [(r["company_id"], r["cooloff_days"]) for r in rows] == [("initech", 30), ("globex", None)]
