"""The nightly logic without Prefect: embed what is new, keep the index equal to the open postings, answer queries."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from corpus import embedding, index_sync
from corpus.encoders import stored_name
from datahome.settings import load_settings
from embeddings.encoder import HashingEncoder
from embeddings.index import VectorIndex
from recommend import matching
from recommend.recommender import Recommender
from tests.support.warehouse_rows import posting, write_feed
from warehouse import connect, load_feed
from warehouse.rejections import add_rejection

T0 = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)
TEXTS = {
    "1": ("Backend Engineer", "Build Python APIs on PostgreSQL and Kafka for our payments platform."),
    "2": ("Registered Nurse", "Care for patients on the cardiology ward; night shifts; NMC registration."),
    "3": ("Primary School Teacher", "Teach year 4 pupils maths and reading; plan lessons; QTS required."),
    "4": ("Accounts Payable Clerk", "Process supplier invoices, reconcile ledgers and prepare payment runs."),
    "5": ("Warehouse Operative", "Pick and pack orders, operate forklifts and keep the loading bay safe."),
}


def feed_records(ids=TEXTS, changed: dict | None = None) -> list[dict]:
    records = []
    for source_id in ids:
        title, text = (changed or {}).get(source_id, TEXTS[source_id])
        records.append(posting(source_id, title=title, description=text, company=f"Company {source_id}"))
    return records


@pytest.fixture
def settings(home):
    s = load_settings()
    s.ensure_dirs()
    return s


def load(settings, tmp_path, records, night: int, complete: bool = True):
    feed = write_feed(tmp_path / f"feed{night}.jsonl", records)
    with connect(settings.db_path) as con:
        return load_feed(con, feed, source="greenhouse", board="acme", complete=complete,
                         crawled_at=T0 + timedelta(days=night))


def open_ids(settings) -> set[int]:
    with connect(settings.db_path) as con:
        return {r[0] for r in con.execute("select posting_id from postings where closed_at is null").fetchall()}


def test_index_follows_the_open_postings_and_embeds_only_what_changed(settings, tmp_path):
    encoder = HashingEncoder()
    load(settings, tmp_path, feed_records(), 0)
    assert embedding.embed_missing(settings, encoder) == 5
    update = index_sync.refresh_index(settings, model=stored_name(settings, encoder))
    assert (update.added, update.removed, update.count) == (5, 0, 5)
    index = VectorIndex.load(settings.index_dir, expected_model=stored_name(settings, encoder))
    assert set(index.ids().tolist()) == open_ids(settings)

    # Same board again: nothing to embed, nothing to change.
    load(settings, tmp_path, feed_records(), 1)
    assert embedding.embed_missing(settings, encoder) == 0
    assert index_sync.refresh_index(settings, model=stored_name(settings, encoder)) == index_sync.IndexUpdate(count=5)

    # One posting changed, one vanished from the (complete) board.
    changed = {"3": ("Secondary Maths Teacher", "Teach GCSE and A-level maths.")}
    load(settings, tmp_path, feed_records([k for k in TEXTS if k != "5"], changed), 2)
    assert embedding.embed_missing(settings, encoder) == 1
    update = index_sync.refresh_index(settings, model=stored_name(settings, encoder))
    assert (update.added, update.removed, update.updated, update.count) == (0, 1, 1, 4)
    index = VectorIndex.load(settings.index_dir, expected_model=stored_name(settings, encoder))
    assert set(index.ids().tolist()) == open_ids(settings)
    scores, ids = index.search(encoder.encode(["Secondary Maths Teacher at Company 3"]), 1)
    with connect(settings.db_path) as con:
        (title,) = con.execute("select title from postings where posting_id = ?", [int(ids[0][0])]).fetchone()
    assert title == "Secondary Maths Teacher"


def test_a_new_embedded_text_re_embeds_every_posting_once_and_rebuilds_the_index(settings, tmp_path, monkeypatch):
    from embeddings import text

    encoder = HashingEncoder()
    load(settings, tmp_path, feed_records(), 0)
    assert embedding.embed_missing(settings, encoder) == 5
    before = stored_name(settings, encoder)
    assert before == f"{encoder.model_name}#text-v{text.TEXT_VERSION}"
    assert index_sync.refresh_index(settings, model=before).count == 5

    monkeypatch.setattr(text, "TEXT_VERSION", text.TEXT_VERSION + 1)
    after = stored_name(settings, encoder)
    assert after != before
    assert embedding.embed_missing(settings, encoder) == 5  # old vectors are of the old text: never mixed in
    assert embedding.embed_missing(settings, encoder) == 0
    update = index_sync.refresh_index(settings, model=after)  # the manifest names the old text: rebuilt
    assert (update.added, update.count) == (5, 5)
    with connect(settings.db_path) as con:  # and the old text's vectors are dropped
        assert con.execute("select model, count(*) from posting_vectors group by model").fetchall() == [(after, 5)]
    assert set(VectorIndex.load(settings.index_dir, expected_model=after).ids().tolist()) == open_ids(settings)
    (result,) = Recommender.open(settings, encoder=encoder).similar([f"{TEXTS['2'][0]}\n\n{TEXTS['2'][1]}"], k=1)
    assert result.postings[0]["title"] == "Registered Nurse"


def test_a_postings_own_text_finds_it_first_and_closed_postings_never_appear(settings, tmp_path):
    encoder = HashingEncoder()
    load(settings, tmp_path, feed_records(), 0)
    embedding.embed_missing(settings, encoder)
    index_sync.refresh_index(settings, model=stored_name(settings, encoder))
    recommender = Recommender.open(settings, encoder=encoder)
    for source_id, (title, text) in TEXTS.items():
        (result,) = recommender.similar([f"{title} at Company {source_id} (Berlin, Germany)\n\n{text}"], k=3)
        assert result.postings[0]["title"] == title
        assert result.postings[0]["source_id"] == source_id
        assert result.companies[0]["company"] == f"Company {source_id}"

    # The nurse posting is closed: the board stopped listing it. Even before the index is refreshed it never shows.
    load(settings, tmp_path, feed_records([k for k in TEXTS if k != "2"]), 1)
    (result,) = recommender.similar(["Registered Nurse cardiology ward night shifts"], k=10)
    assert "Registered Nurse" not in [p["title"] for p in result.postings]
    assert len(result.postings) == 4


def test_matches_are_stored_for_active_rejections(settings, tmp_path):
    encoder = HashingEncoder()
    load(settings, tmp_path, feed_records(), 0)
    embedding.embed_missing(settings, encoder)
    index_sync.refresh_index(settings, model=stored_name(settings, encoder))
    with connect(settings.db_path) as con:
        rejection_id = add_rejection(con, title="Staff Nurse", company="Elsewhere",
                                     text="Registered Nurse for the cardiology ward, night shifts.")
    assert matching.compute_matches(settings, "run-1", k=3, encoder=encoder) == 1
    with connect(settings.db_path) as con:
        rows = con.execute("select rejection_id, rank, p.title from matches m join postings p using (posting_id)"
                           " where run_id = 'run-1' order by rank").fetchall()
    assert [r[1] for r in rows] == [1, 2, 3]
    assert rows[0][0] == rejection_id and rows[0][2] == "Registered Nurse"


def test_rebuild_after_a_model_change(settings, tmp_path):
    load(settings, tmp_path, feed_records(), 0)
    small, large = HashingEncoder(dim=32), HashingEncoder(dim=64)
    embedding.embed_missing(settings, small)
    index_sync.refresh_index(settings, model=stored_name(settings, small))
    embedding.embed_missing(settings, large)
    update = index_sync.refresh_index(settings, model=stored_name(settings, large), rebuild=True)
    assert update.count == 5
    index = VectorIndex.load(settings.index_dir, expected_model=stored_name(settings, large))
    assert index.dim == 64 and np.isin(index.ids(), list(open_ids(settings))).all()


def test_nightly_refresh_rebuilds_when_the_model_setting_changed(settings, tmp_path):
    load(settings, tmp_path, feed_records(), 0)
    old, new = HashingEncoder(dim=32), HashingEncoder(dim=48)
    embedding.embed_missing(settings, old)
    index_sync.refresh_index(settings, model=stored_name(settings, old))
    embedding.embed_missing(settings, new)
    update = index_sync.refresh_index(settings, model=stored_name(settings, new))  # no explicit rebuild: the mismatch triggers it
    assert (update.added, update.count) == (5, 5)
    assert VectorIndex.load(settings.index_dir, expected_model=stored_name(settings, new)).dim == 48
