"""Key data tests: zero failing rows on a healthy warehouse, and they do catch broken keys."""

from __future__ import annotations

from tests.support.warehouse_rows import con, night, posting, write_feed  # noqa: F401
from warehouse import check_keys, load_feed


def test_every_table_has_a_key_check(con):  # noqa: F811
    assert set(check_keys(con)) == {
        "board_checks", "companies", "digest_items", "digests", "feed_loads", "indexed_postings", "match_reasons", "match_runs",
        "matches", "dedupe_state", "posting_duplicates", "posting_marks", "posting_occupations", "posting_vectors", "postings",
        "raw_postings", "rejection_filters", "rejections", "source_runs",
        "posting_skills", "profiles", "rejection_feedback", "rejection_journal", "rejection_plans", "sent_drafts",
        "application_steps", "rejection_visits",
    }  # fmt: skip


def test_checks_find_duplicate_keys(con, tmp_path):  # noqa: F811
    load_feed(con, write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2")]), source="greenhouse",
              board="acme", complete=True, crawled_at=night(0))  # fmt: skip
    assert set(check_keys(con).values()) == {0}
    con.execute("insert into postings select * from postings where source_id = '1'")
    con.execute("insert into companies values ('acme', 'Acme again', 0, 0, now()::timestamp, now()::timestamp)")
    con.execute("insert into match_runs values ('r1', 'm', now()::timestamp, null)")
    con.execute("insert into match_runs values ('r1', 'm', now()::timestamp, null)")
    failing = check_keys(con)
    assert failing["postings"] == 2  # posting_id and posting_key both duplicated
    assert failing["companies"] == 1 and failing["match_runs"] == 1
    assert failing["rejections"] == 0


def test_companies_count_open_postings_per_normalised_name(con, tmp_path):  # noqa: F811
    records = [posting("1", company="Acme, Inc."), posting("2", company="ACME"), posting("3", company="Globex GmbH")]
    load_feed(con, write_feed(tmp_path / "a.jsonl", records), source="greenhouse", board="acme", complete=True,
              crawled_at=night(0))  # fmt: skip
    load_feed(con, write_feed(tmp_path / "b.jsonl", records[1:]), source="greenhouse", board="acme", complete=True,
              crawled_at=night(1))  # fmt: skip
    rows = con.execute("select company_id, count_open_postings, count_postings from companies order by 1").fetchall()
    assert rows == [("acme", 1, 2), ("globex", 1, 1)]
