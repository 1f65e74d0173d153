"""`plenty import`: postings from records, lists of dicts or frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.support.warehouse_rows import con, night, posting, snapshot, write_feed  # noqa: F401
from warehouse import FeedError, check_keys, export_postings, import_postings, load_feed, posting_id


def test_records_with_only_a_title_are_imported_with_stable_ids(con):  # noqa: F811
    report = import_postings(con, [{"title": "Line Cook", "company": "Bistro", "locations": "Lyon"}])
    assert (report.fetched, report.new) == (1, 1)
    again = import_postings(con, [{"title": "Line Cook", "company": "Bistro", "locations": "Lyon"}])
    assert (again.new, again.unchanged) == (0, 1)
    (row,) = export_postings(con)
    assert row["source"] == "import" and row["title"] == "Line Cook" and row["locations"] == ["Lyon"]
    assert row["posting_id"] == posting_id("import", row["source_id"])


def test_a_record_keeps_its_own_source_and_id(con):  # noqa: F811
    import_postings(con, [posting("7", source="lever", board="")], source="import")
    (row,) = export_postings(con)
    assert (row["source"], row["source_id"]) == ("lever", "7")


def test_a_url_keys_a_record_without_source_id(con):  # noqa: F811
    import_postings(con, [{"title": "Nurse", "url": "https://jobs.example/n/1"}], source="indeed")
    assert export_postings(con)[0]["source_id"] == "https://jobs.example/n/1"


def test_a_pandas_frame_with_missing_values_imports(con):  # noqa: F811
    frame = pd.DataFrame(
        {
            "title": ["Welder", "Baker"],
            "company": ["Forge Ltd", None],
            "salary_min": [30000.0, math.nan],
            "is_remote": ["False", None],
            "posted_at": [pd.Timestamp("2026-02-01"), pd.NaT],
        }
    )
    report = import_postings(con, frame, source="jobspy")
    assert report.new == 2
    rows = {row["title"]: row for row in export_postings(con)}
    assert rows["Welder"]["salary_min"] == 30000.0 and rows["Welder"]["is_remote"] is False
    assert rows["Welder"]["posted_at"] == "2026-02-01T00:00:00Z"
    assert rows["Baker"]["salary_min"] is None and rows["Baker"]["company"] is None
    assert set(check_keys(con).values()) == {0}


def test_a_bad_record_names_its_number_and_writes_nothing(con):  # noqa: F811
    import_postings(con, [{"title": "Welder"}])
    before = snapshot(con)
    with pytest.raises(FeedError) as caught:
        import_postings(con, [{"title": "Baker"}, {"title": "  "}, {"title": "Chef"}])
    assert caught.value.line == 2 and "missing title" in str(caught.value)
    with pytest.raises(FeedError, match="salary_min must be a number"):
        import_postings(con, [{"title": "Baker", "salary_min": "lots"}])
    assert snapshot(con) == before


def test_skip_bad_imports_the_rest(con):  # noqa: F811
    report = import_postings(con, [{"title": "Baker"}, {"company": "x"}, "junk", {"title": "Chef"}], skip_bad=True)
    assert (report.new, report.skipped) == (2, 2)


def test_an_import_closes_nothing(con, tmp_path):  # noqa: F811
    load_feed(con, write_feed(tmp_path / "a.jsonl", [posting("1")]), source="greenhouse", board="acme",
              complete=True, crawled_at=night(0))  # fmt: skip
    report = import_postings(con, [{"title": "Chef"}])
    assert report.closed == 0
    assert len(export_postings(con)) == 2


@pytest.mark.parametrize("record, reason", [
    ({"title": "Clicker", "url": "javascript:alert(1)"}, "url 'javascript:alert(1)' is not an http(s) URL"),
    ({"title": "Baker", "posted_at": "yesterday"}, "posted_at 'yesterday' is not an ISO 8601 date"),
    ({"title": "Porter", "valid_through": "9999-12-31"}, "valid_through '9999-12-31' is not a plausible date"),
    ({"title": "Cook", "salary_max": -5}, "salary_max -5 is not a positive amount"),
])
def test_records_given_to_the_python_api_meet_the_same_rules_as_imported_files(con, record, reason):  # noqa: F811
    with pytest.raises(FeedError, match="import, line 2: " + reason.replace("(", r"\(").replace(")", r"\)")):
        import_postings(con, [{"title": "Nurse"}, record])
    assert export_postings(con) == []


def test_text_fields_are_trimmed_and_places_split_on_semicolons(con):  # noqa: F811
    import_postings(con, [{"title": "  Data \n Engineer ", "company": " Acme  Ltd", "locations": "Leeds; York"}])
    (row,) = export_postings(con)
    assert (row["title"], row["company"], row["locations"]) == ("Data Engineer", "Acme Ltd", ["Leeds", "York"])
