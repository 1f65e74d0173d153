"""Dedupe in the warehouse: the same opening loaded from an ATS board and an aggregator is one opening with both
links; a closed canonical hands the opening to the remaining copy; keys stay valid."""

from __future__ import annotations

from tests.support.warehouse_rows import con, night, posting, write_feed  # noqa: F401
from warehouse import check_keys, load_feed
from warehouse.dedupe import dedupe_openings, duplicate_of, opening_links
from warehouse.identity import posting_id

TEXT = ("We are looking for a data engineer to build and run the pipelines that feed our analytics platform. "
        "You will work with Python, SQL and DuckDB, own data quality checks, and mentor two junior engineers.")


def _load(con, tmp_path, name, records, source, board, when=0):  # noqa: F811
    feed = write_feed(tmp_path / f"{name}.jsonl", [dict(r, source=source, board=board) for r in records])
    return load_feed(con, feed, source=source, board=board, complete=True, crawled_at=night(when))


def test_one_opening_on_two_boards_keeps_both_links(con, tmp_path):  # noqa: F811
    ats = posting("101", title="Data Engineer", company="Acme GmbH", description=TEXT, locations=["Berlin, Germany"])
    copy = posting("r-9", title="Data Engineer (m/w/d)", company="ACME", description=TEXT[:150],
                   locations=["Berlin"], url="https://remotive.com/remote-jobs/9", credit="Remotive")
    other = posting("102", title="Data Engineer", company="Acme GmbH", description=TEXT, locations=["Munich, Germany"])
    _load(con, tmp_path, "gh", [ats, other], "greenhouse", "acme")
    _load(con, tmp_path, "rm", [copy], "remotive", "")
    report = dedupe_openings(con)
    assert (report.open_postings, report.duplicates, report.openings) == (3, 1, 2)
    canonical, duplicate = posting_id("greenhouse", "101"), posting_id("remotive", "r-9")
    assert duplicate_of(con) == {duplicate: canonical}
    assert duplicate_of(con, [canonical, duplicate]) == {duplicate: canonical}
    assert duplicate_of(con, []) == {}
    links = opening_links(con, [canonical])[canonical]
    assert [(link["source"], link["url"], link["credit"]) for link in links] == [
        ("greenhouse", "https://boards.example/acme/jobs/101", None),
        ("remotive", "https://remotive.com/remote-jobs/9", "Remotive")]
    assert con.execute("select count(*) from openings").fetchone()[0] == 2
    assert set(check_keys(con).values()) == {0}


def test_rerunning_is_stable_and_a_closed_canonical_releases_its_copy(con, tmp_path):  # noqa: F811
    ats = posting("101", title="Data Engineer", company="Acme", description=TEXT)
    copy = posting("r-9", title="Data Engineer", company="Acme", description=TEXT)
    _load(con, tmp_path, "gh", [ats], "greenhouse", "acme")
    _load(con, tmp_path, "rm", [copy], "remotive", "")
    dedupe_openings(con)
    first = con.execute("select posting_id, canonical_posting_id, rule, similarity from posting_duplicates").fetchall()
    dedupe_openings(con)
    assert con.execute("select posting_id, canonical_posting_id, rule, similarity from posting_duplicates"
                       ).fetchall() == first == [(posting_id("remotive", "r-9"), posting_id("greenhouse", "101"),
                                                  "same_company", 1.0)]
    _load(con, tmp_path, "gh2", [posting("555", description="Another role entirely, in sales.")], "greenhouse", "acme",
          when=1)  # the complete crawl no longer lists 101: closed
    report = dedupe_openings(con)
    assert (report.duplicates, report.openings) == (0, 2)
    assert duplicate_of(con) == {}


def test_a_pass_over_unchanged_open_postings_keeps_the_last_result(con, tmp_path):  # noqa: F811
    ats = posting("101", title="Data Engineer", company="Acme", description=TEXT)
    copy = posting("r-9", title="Data Engineer", company="Acme", description=TEXT)
    _load(con, tmp_path, "gh", [ats], "greenhouse", "acme")
    _load(con, tmp_path, "rm", [copy], "remotive", "")
    first = dedupe_openings(con)
    assert not first.reused and first.duplicates == 1
    # The same boards again (as on an unchanged night): nothing the rule reads changed, so nothing is recomputed.
    _load(con, tmp_path, "gh-again", [ats], "greenhouse", "acme", when=1)
    _load(con, tmp_path, "rm-again", [copy], "remotive", "", when=1)
    again = dedupe_openings(con)
    assert again.reused and (again.open_postings, again.duplicates, again.openings) == (2, 1, 1)
    # A stale result is never kept: a changed text is read again (here: the copy is no longer a copy).
    _load(con, tmp_path, "rm-changed", [dict(copy, description="A different role: night shift warehouse lead.")],
          "remotive", "", when=2)
    changed = dedupe_openings(con)
    assert not changed.reused and changed.duplicates == 0 and duplicate_of(con) == {}
    assert not dedupe_openings(con, force=True).reused
    assert set(check_keys(con).values()) == {0}
