"""Text a user or a board gives that UTF-8 cannot hold (a lone surrogate) is stored with U+FFFD, never refused
with a driver error half-way through a write."""

from __future__ import annotations

from datetime import date

from tests.support.warehouse_rows import con  # noqa: F401
from warehouse import export_postings, import_postings
from warehouse.feedback import current_marks, mark_posting
from warehouse.recommendations import rejection_filters, set_rejection_filters
from warehouse.rejections import add_rejection, get_rejection
from warehouse.text import storable


def test_storable_replaces_lone_surrogates_only():
    assert storable("a\ud800b\udcffc 🐟") == "a\ufffdb\ufffdc 🐟"
    assert storable(["\ud800", ("x", "\udfff")]) == ["\ufffd", ("x", "\ufffd")]
    assert storable({"k": "\ud800"}) == {"k": "\ufffd"} and storable(5) == 5 and storable(None) is None


def test_an_import_record_with_lone_surrogates_is_stored(con):  # noqa: F811
    import_postings(con, [{"title": "Nurse \ud800", "company": "\udcffAcme", "locations": ["Leeds\ud800"],
                           "description": "Care\udfff", "department": "\ud800"}])
    (row,) = export_postings(con)
    assert (row["title"], row["company"], row["locations"]) == ("Nurse \ufffd", "\ufffdAcme", ["Leeds\ufffd"])


def test_a_rejection_its_filters_and_a_note_with_lone_surrogates_are_stored(con):  # noqa: F811
    # A command-line argument with a byte that is not UTF-8 reaches Python as a lone surrogate (\udcff).
    rejection_id = add_rejection(con, title="Nurse \udcff", company="Acme\udcff", text="Ward\udcff",
                                 rejected_on=date(2026, 11, 1), stage="onsite\udcff", notes="\udcff")
    stored = get_rejection(con, rejection_id)
    assert (stored["title"], stored["company"], stored["text"]) == ("Nurse \ufffd", "Acme\ufffd", "Ward\ufffd")
    set_rejection_filters(con, rejection_id, location="Leeds\udcff", exclude_companies=["Globex\udcff"])
    assert rejection_filters(con, rejection_id)["location"] == "Leeds\ufffd"
    import_postings(con, [{"title": "Nurse"}])
    (row,) = export_postings(con)
    mark_posting(con, row["posting_id"], "saved", note="call back \udcff")
    assert current_marks(con)[row["posting_id"]]["note"] == "call back \ufffd"
