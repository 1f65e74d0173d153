"""Loading crawl feeds: idempotence, updates, closing, reopening, all-or-nothing."""

from __future__ import annotations

import json

import pytest

from tests.support.warehouse_rows import con, night, posting, snapshot, write_feed  # noqa: F401
from warehouse import FeedError, check_keys, load_feed, posting_id


def load(con, path, n, complete=True, **kwargs):  # noqa: F811
    return load_feed(con, path, source="greenhouse", board="acme", complete=complete, crawled_at=night(n), **kwargs)


def states(con):  # noqa: F811
    rows = con.execute("select source_id, closed_at is null from postings order by source_id").fetchall()
    return dict(rows)


def test_first_load_adds_every_posting_with_identity(con, tmp_path):  # noqa: F811
    feed = write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2")])
    report = load(con, feed, 0)
    assert (report.fetched, report.new, report.updated, report.closed) == (2, 2, 0, 0)
    rows = con.execute(
        "select posting_id, posting_key, first_seen_at, last_seen_at, closed_at from postings order by posting_key"
    ).fetchall()
    assert [row[1] for row in rows] == ["greenhouse:1", "greenhouse:2"]
    assert [row[0] for row in rows] == [posting_id("greenhouse", "1"), posting_id("greenhouse", "2")]
    assert all(row[2] == row[3] == night(0).replace(tzinfo=None) and row[4] is None for row in rows)


def test_loading_the_same_feed_twice_changes_nothing(con, tmp_path):  # noqa: F811
    feed = write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2")])
    load(con, feed, 0)
    before = snapshot(con)
    again = load(con, feed, 0)
    assert again.already_loaded and again.new == again.updated == again.closed == 0
    assert snapshot(con) == before


def test_the_same_content_crawled_on_a_later_night_only_moves_last_seen(con, tmp_path):  # noqa: F811
    feed = write_feed(tmp_path / "a.jsonl", [posting("1")])
    load(con, feed, 0)
    report = load(con, feed, 1)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 1)
    first, last = con.execute("select first_seen_at, last_seen_at from postings").fetchone()
    assert (first, last) == (night(0).replace(tzinfo=None), night(1).replace(tzinfo=None))


def test_a_changed_posting_is_updated_and_its_hash_changes(con, tmp_path):  # noqa: F811
    load(con, write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2")]), 0)
    old = dict(con.execute("select source_id, content_hash from postings").fetchall())
    changed = [posting("1", title="Senior Data Engineer"), posting("2", url="https://elsewhere.example/2")]
    report = load(con, write_feed(tmp_path / "b.jsonl", changed), 1)
    assert (report.updated, report.unchanged, report.new) == (1, 1, 0)
    query = "select source_id, content_hash, title, url, changed_at from postings"
    rows = {row[0]: row[1:] for row in con.execute(query).fetchall()}
    assert rows["1"][0] != old["1"] and rows["1"][1] == "Senior Data Engineer"
    assert rows["1"][3] == night(1).replace(tzinfo=None)
    # the url is not part of the content: same hash, no re-embedding, but the new url is kept
    assert rows["2"][0] == old["2"] and rows["2"][2] == "https://elsewhere.example/2"
    assert rows["2"][3] == night(0).replace(tzinfo=None)


def test_a_complete_crawl_closes_what_the_board_stopped_listing(con, tmp_path):  # noqa: F811
    load(con, write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2"), posting("3")]), 0)
    report = load(con, write_feed(tmp_path / "b.jsonl", [posting("1")]), 1)
    assert report.closed == 2
    assert states(con) == {"1": True, "2": False, "3": False}
    closed_at = con.execute("select closed_at from postings where source_id = '2'").fetchone()[0]
    assert closed_at == night(1).replace(tzinfo=None)


def test_an_incomplete_crawl_closes_nothing(con, tmp_path):  # noqa: F811
    load(con, write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2")]), 0)
    report = load(con, write_feed(tmp_path / "b.jsonl", [posting("1")]), 1, complete=False)
    assert report.closed == 0
    assert states(con) == {"1": True, "2": True}


def test_closing_is_limited_to_the_crawled_board(con, tmp_path):  # noqa: F811
    load(con, write_feed(tmp_path / "a.jsonl", [posting("1")]), 0)
    other = write_feed(tmp_path / "o.jsonl", [posting("9", board="globex", company="Globex")])
    load_feed(con, other, source="greenhouse", board="globex", complete=True, crawled_at=night(0))
    load(con, write_feed(tmp_path / "empty.jsonl", []), 1)
    assert states(con) == {"1": False, "9": True}


def test_a_posting_that_reappears_is_reopened(con, tmp_path):  # noqa: F811
    load(con, write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2")]), 0)
    load(con, write_feed(tmp_path / "b.jsonl", [posting("1")]), 1)
    report = load(con, write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2")]), 2)
    assert (report.reopened, report.unchanged, report.closed) == (1, 2, 0)
    assert states(con) == {"1": True, "2": True}


def test_a_late_older_crawl_neither_reopens_nor_overwrites(con, tmp_path):  # noqa: F811
    load(con, write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2")]), 0)
    load(con, write_feed(tmp_path / "b.jsonl", [posting("1", title="Newest title")]), 2)
    report = load(con, write_feed(tmp_path / "c.jsonl", [posting("1", title="Old title"), posting("2")]), 1)
    assert report.stale == 2 and report.reopened == 0
    assert states(con) == {"1": True, "2": False}
    assert con.execute("select title from postings where source_id = '1'").fetchone()[0] == "Newest title"


def test_a_posting_listed_twice_in_one_feed_is_one_opening(con, tmp_path):  # noqa: F811
    feed = write_feed(tmp_path / "a.jsonl", [posting("1", title="First"), posting("1", title="Second")])
    report = load(con, feed, 0)
    assert (report.fetched, report.new) == (2, 1)
    assert con.execute("select title from postings").fetchall() == [("Second",)]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"source_id": "3", "title": "Broken", ', "not valid JSON"),
        ('["not", "an", "object"]', "expected a JSON object"),
        ('{"source_id": "3", "description": "no title"}', "missing title"),
        ('{"source_id": "3", "title": "T", "salary_min": "lots"}', "salary_min must be a number"),
        ('{"source_id": "3", "title": "T", "locations": "Paris"}', "locations must be a list"),
        ('{"source_id": "3", "title": "T", "source": "lever"}', "source lever but the feed is loaded as greenhouse"),
    ],
)
def test_a_malformed_line_names_its_line_and_changes_nothing(con, tmp_path, line, reason):  # noqa: F811
    load(con, write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2")]), 0)
    before = snapshot(con)
    feed = write_feed(tmp_path / "bad.jsonl", [posting("1", title="Changed")])
    with feed.open("a", encoding="utf-8") as out:
        out.write("\n" + line + "\n")  # a blank line 2 first: the line number must count it
    with pytest.raises(FeedError) as caught:
        load(con, feed, 1)
    assert caught.value.line == 3 and str(feed) in str(caught.value) and reason in caught.value.reason
    assert snapshot(con) == before


def test_skip_bad_loads_the_good_lines_and_counts_the_bad(con, tmp_path):  # noqa: F811
    feed = write_feed(tmp_path / "a.jsonl", [posting("1")])
    with feed.open("a", encoding="utf-8") as out:
        out.write("{oops\n")
        out.write('{"source_id": "", "title": "no id"}\n')
        out.write(json.dumps(posting("2")) + "\n")
    report = load(con, feed, 0, skip_bad=True)
    assert (report.new, report.skipped) == (2, 2)
    assert states(con) == {"1": True, "2": True}


def test_a_missing_feed_file_is_a_feed_error(con, tmp_path):  # noqa: F811
    with pytest.raises(FeedError, match="cannot read the feed"):
        load(con, tmp_path / "nowhere.jsonl", 0)


def test_keys_hold_after_loads(con, tmp_path):  # noqa: F811
    load(con, write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2"), posting("2")]), 0)
    load(con, write_feed(tmp_path / "b.jsonl", [posting("2", title="x"), posting("3")]), 1)
    load(con, write_feed(tmp_path / "c.jsonl", [posting("1")]), 2, complete=False)
    assert set(check_keys(con).values()) == {0}


def test_timestamps_are_stored_in_utc(con, tmp_path):  # noqa: F811
    load(con, write_feed(tmp_path / "a.jsonl", [posting("1", posted_at="2026-02-20T10:00:00+02:00")]), 0)
    assert str(con.execute("select posted_at from postings").fetchone()[0]) == "2026-02-20 08:00:00"
