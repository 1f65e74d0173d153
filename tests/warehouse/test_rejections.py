"""Rejections: add, list, get, archive, validation."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.warehouse_rows import con  # noqa: F401
from warehouse import InvalidInput, UnknownRejection, check_keys
from warehouse.rejections import add_rejection, archive_rejection, get_rejection, list_rejections


def test_add_then_get_returns_what_was_recorded(con):  # noqa: F811
    rejection_id = add_rejection(
        con, title=" Data Engineer ", company="Initech, Inc.", text="Build ETL pipelines in Python.",
        rejected_on=date(2026, 2, 14), stage="onsite", notes="ask again in spring",
    )  # fmt: skip
    row = get_rejection(con, rejection_id)
    assert row["rejection_id"] == rejection_id
    assert (row["title"], row["company"], row["company_id"]) == ("Data Engineer", "Initech, Inc.", "initech")
    assert (row["rejected_on"], row["stage"], row["notes"]) == (date(2026, 2, 14), "onsite", "ask again in spring")
    assert row["archived_at"] is None and row["created_at"] is not None


def test_ids_are_distinct_and_list_is_in_order(con):  # noqa: F811
    first = add_rejection(con, title="A", company=None, text="a")
    second = add_rejection(con, title="B", company="", text="b")
    assert first != second
    assert [row["title"] for row in list_rejections(con)] == ["A", "B"]
    assert get_rejection(con, second)["company"] is None
    assert set(check_keys(con).values()) == {0}


def test_archived_rejections_are_listed_only_on_request(con):  # noqa: F811
    keep = add_rejection(con, title="Keep", company="X", text="x")
    gone = add_rejection(con, title="Gone", company="Y", text="y")
    archived = archive_rejection(con, gone)
    assert archived["archived_at"] is not None
    assert archive_rejection(con, gone)["archived_at"] == archived["archived_at"]
    assert [row["rejection_id"] for row in list_rejections(con)] == [keep]
    assert [row["rejection_id"] for row in list_rejections(con, include_archived=True)] == [keep, gone]


@pytest.mark.parametrize(("title", "text", "message"), [("", "t", "title"), ("  ", "t", "title"), ("T", " \n", "text")])
def test_empty_title_or_text_is_invalid_and_writes_nothing(con, title, text, message):  # noqa: F811
    with pytest.raises(InvalidInput, match=message):
        add_rejection(con, title=title, company="X", text=text)
    assert list_rejections(con, include_archived=True) == []


@pytest.mark.parametrize("bad_id", [42, "7", "seven"])
def test_unknown_ids_raise_unknown_rejection(con, bad_id):  # noqa: F811
    with pytest.raises(UnknownRejection, match=f"no rejection {bad_id}"):
        get_rejection(con, bad_id)
    with pytest.raises(UnknownRejection):
        archive_rejection(con, bad_id)
