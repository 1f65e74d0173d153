"""The applications board as a library: stages, marks kept in step, one rejection per rejected posting."""

from __future__ import annotations

import pytest

from datahome.errors import InputError
from journal.applications import application_board, move_application, next_stages
from tests.support.warehouse_rows import con, night, posting, write_feed  # noqa: F401
from warehouse import load_feed
from warehouse.feedback import current_marks


@pytest.fixture
def loaded(con, tmp_path):  # noqa: F811
    load_feed(con, write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2")]), source="greenhouse",
              board="acme", complete=True, crawled_at=night(0))
    return con, [r[0] for r in con.execute("select posting_id from postings order by source_id").fetchall()]


def test_moves_keep_the_mark_in_step_and_rejected_records_one_rejection(loaded):
    con, (first, second) = loaded
    assert move_application(con, first, "saved")["stage"] == "saved"
    assert current_marks(con)[first]["mark"] == "saved"
    move_application(con, first, "interviewing")
    assert current_marks(con)[first]["mark"] == "applied"  # never suggested again from here on
    rejected = move_application(con, first, "rejected")
    title, company, text = con.execute("select title, company_name, text from rejections where rejection_id = $r",
                                       {"r": rejected["rejection_id"]}).fetchone()
    assert (title, company) == con.execute("select title, company_name from postings where posting_id = $p",
                                           {"p": first}).fetchone()
    assert text
    move_application(con, first, "offer")
    assert move_application(con, first, "rejected")["rejection_id"] == rejected["rejection_id"]
    assert con.execute("select count(*) from rejections").fetchone()[0] == 1
    board = application_board(con)
    assert [c["posting_id"] for c in board["rejected"]] == [first] and board["saved"] == []
    assert second not in current_marks(con)


def test_an_unknown_stage_or_posting_is_an_input_error_and_writes_nothing(loaded):
    con, (first, _) = loaded
    with pytest.raises(InputError, match="unknown stage 'hired'"):
        move_application(con, first, "hired")
    with pytest.raises(InputError, match="no posting 999999"):
        move_application(con, 999999, "applied")
    assert con.execute("select count(*) from application_steps").fetchone()[0] == 0


def test_the_next_stage_is_offered_first():
    assert next_stages("applied")[0] == "interviewing" and "applied" not in next_stages("applied")
    assert next_stages(None)[0] == "saved"
