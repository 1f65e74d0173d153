"""Suggestions show one opening once: a copy on an aggregator is folded into the employer's posting, keeping the
output fields; excluding either copy excludes the opening."""

from __future__ import annotations

from datetime import datetime, timezone

from corpus import embedding, index_sync
from corpus.encoders import stored_name
from corpus.openings import settle_openings
from recommend.recommender import Recommender
from tests.support.digest_world import DATA_TEXT, ENCODER, OTHER_TEXT, ROLE, job, settings  # noqa: F401
from tests.support.warehouse_rows import write_feed
from warehouse import connect, load_feed, posting_id

NOW = datetime(2026, 11, 10, 2, 0, tzinfo=timezone.utc)
LONG_TEXT = DATA_TEXT + " You join a team of six, review code daily, and help run the on-call rotation for ingestion."


def _home(settings, tmp_path):  # noqa: F811
    ats = [job("1", "Data Engineer", "Acme", LONG_TEXT), job("2", "Ward Nurse", "Harbor", OTHER_TEXT)]
    copy = [dict(job("77", "Data Engineer (m/f/d)", "ACME Inc.", LONG_TEXT, url="https://remotive.com/jobs/77",
                     credit="Remotive"), source="remotive", board="")]
    with connect(settings.db_path) as con:
        load_feed(con, write_feed(tmp_path / "gh.jsonl", ats), source="greenhouse", board="acme", complete=True,
                  crawled_at=NOW)
        load_feed(con, write_feed(tmp_path / "rm.jsonl", copy), source="remotive", board="", complete=True,
                  crawled_at=NOW)
    embedding.embed_missing(settings, ENCODER)
    index_sync.refresh_index(settings, model=stored_name(settings, ENCODER))


def test_an_opening_on_two_boards_is_suggested_once(settings, tmp_path):  # noqa: F811
    _home(settings, tmp_path)
    recommender = Recommender.open(settings, encoder=ENCODER)
    query = [f"{ROLE[0]}\n{ROLE[1]}"]
    (before,) = recommender.similar(query, k=3)
    assert {p["source"] for p in before.postings[:2]} == {"greenhouse", "remotive"}  # both copies, not yet deduped
    rows = [{"kind": "greenhouse", "board": "acme", "closed": 0}, {"kind": "remotive", "board": "", "closed": 0}]
    report = settle_openings(settings, "run-1", rows, now=NOW)
    assert (report.expired, report.duplicates, report.openings) == (0, 1, 2)
    (after,) = recommender.similar(query, k=3)
    assert [(p["source"], p["source_id"]) for p in after.postings] == [("greenhouse", "1"), ("greenhouse", "2")]
    assert list(after.postings[0]) == list(before.postings[0])  # the same output fields
    assert after.postings[0]["score"] == max(p["score"] for p in before.postings[:2])
    (excluded,) = recommender.similar(query, k=3, exclude_posting_ids={posting_id("remotive", "77")})
    assert [p["source_id"] for p in excluded.postings] == ["2"]
