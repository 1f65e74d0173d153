"""The BM25 index is kept in the data home between processes, keyed by exactly which postings it covers."""

from __future__ import annotations

import logging

import numpy as np

from corpus.ranking import Corpus, lexical_index
from datahome.settings import load_settings
from embeddings.lexical import LEXICAL_META, LexicalIndex

TEXTS = ["Senior Python developer, Django and PostgreSQL", "ICU nurse on night shifts in Leeds",
         "Data analyst: SQL, dashboards and Python", "Warehouse operative, forklift licence"]
QUERIES = ["python developer", "night nurse", "forklift"]


def corpus(texts: list[str], hashes: list[str] | None = None) -> Corpus:
    rows = [{"posting_id": i + 1, "content_hash": (hashes or texts)[i]} for i in range(len(texts))]
    return Corpus(rows, np.arange(1, len(texts) + 1, dtype=np.int64), texts, None)


def test_saved_index_scores_like_the_built_one(tmp_path):
    built = LexicalIndex(TEXTS)
    built.save(tmp_path / "bm25", "k1")
    loaded = LexicalIndex.load(tmp_path / "bm25", "k1")
    assert loaded is not None and loaded.size == len(TEXTS)
    np.testing.assert_allclose(loaded.scores(QUERIES), built.scores(QUERIES))
    assert [list(p) for p in loaded.top(QUERIES, 2)[1]] == [list(p) for p in built.top(QUERIES, 2)[1]]


def test_load_refuses_another_key_a_missing_or_a_broken_folder(tmp_path):
    LexicalIndex(TEXTS).save(tmp_path / "bm25", "k1")
    assert LexicalIndex.load(tmp_path / "bm25", "other") is None
    assert LexicalIndex.load(tmp_path / "missing", "k1") is None
    (tmp_path / "bm25" / LEXICAL_META).write_text("{not json", encoding="utf-8")
    assert LexicalIndex.load(tmp_path / "bm25", "k1") is None


def test_corpus_index_is_reused_until_the_postings_change(home, monkeypatch):
    settings = load_settings()
    first = lexical_index(settings, corpus(TEXTS))
    root = settings.home / "cache" / "bm25"
    [saved] = list(root.iterdir())
    with monkeypatch.context() as patch:
        def no_build(self, texts):
            raise AssertionError("rebuilt although the postings did not change")
        patch.setattr(LexicalIndex, "__init__", no_build)
        again = lexical_index(settings, corpus(TEXTS))
    np.testing.assert_allclose(again.scores(QUERIES), first.scores(QUERIES))
    assert list(root.iterdir()) == [saved]

    changed = TEXTS[:3] + ["Forklift driver, nights"]
    updated = lexical_index(settings, corpus(changed, TEXTS[:3] + ["new content"]))
    [replacement] = list(root.iterdir())
    assert replacement != saved  # the stale index is gone
    assert updated.top(["forklift driver"], 1)[1][0][0] == 3


def test_building_an_index_logs_nothing_below_a_warning(caplog):
    caplog.set_level(logging.DEBUG)
    LexicalIndex(["data engineer", "staff nurse"])
    assert not [r for r in caplog.records if r.name.startswith("bm25s") and r.levelno < logging.WARNING]


def test_texts_without_a_word_give_an_index_that_scores_zero_and_survives_a_save(tmp_path):
    # Only stop words and one-letter tokens: bm25s alone fails on them ("max() arg is an empty sequence").
    built = LexicalIndex(["x", "The", "- / -", ""])
    assert built.scores(["x nurse", "the"]).tolist() == [[0.0] * 4] * 2
    assert built.top(["nurse"], 2)[0].tolist() == [[0.0, 0.0]]
    built.save(tmp_path / "bm25", "empty")
    loaded = LexicalIndex.load(tmp_path / "bm25", "empty")
    assert loaded is not None and loaded.size == 4 and loaded.scores(["nurse"]).tolist() == [[0.0] * 4]
