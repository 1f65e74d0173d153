"""The level and specialism signals of the ranker: postings far from the query's level, or of another
specialism, fall below otherwise equal ones."""

import pytest

from embeddings.encoder import HashingEncoder
from embeddings.errors import RankerError
from embeddings.ranker import Ranker, RankerConfig

TEXTS = ["backend engineer python services", "backend engineer python services",
         "backend engineer python services", "pastry chef bakery"]


def ranker(**kwargs):
    return Ranker([1, 2, 3, 4], TEXTS, encoder=HashingEncoder(128), **kwargs)


def test_a_posting_two_levels_away_ranks_below_the_same_text_at_the_query_level():
    levels = [4, 2, 3, 2]  # lead, mid, senior, mid
    hits = ranker(levels=levels).search(["backend engineer python"], 3, query_levels=[2],
                                        config=RankerConfig(level=1.0, company_cap=None))[0]
    assert [h.id for h in hits] == [2, 3, 1]
    flat = ranker(levels=levels).search(["backend engineer python"], 3, query_levels=[2],
                                        config=RankerConfig(level=0.0, company_cap=None))[0]
    assert sorted(h.score for h in flat[:3]) == pytest.approx([flat[0].score] * 3)  # no level: a tie


def test_a_posting_of_another_specialism_falls_behind_one_that_shares_the_query_s():
    ios, backend = 1, 2
    hits = ranker(specialisms=[ios, 0, backend, 0]).search(
        ["backend engineer python"], 3, query_specialisms=[backend],
        config=RankerConfig(specialism=1.0, level=0.0, company_cap=None))[0]
    assert [h.id for h in hits] == [3, 2, 1]


def test_by_default_a_posting_of_another_specialism_falls_behind_an_otherwise_equal_one():
    # Same text, same level, no company: only the specialisms differ (ESCO gives iOS and backend one occupation).
    ios, backend = 1, 2
    search = ranker(specialisms=[ios, 0, backend, 0], levels=[3, 3, 3, 0]).search
    hits = search(["backend engineer python"], 3, query_specialisms=[backend], query_levels=[3])[0]
    assert [h.id for h in hits] == [3, 2, 1]
    assert hits[1].score > hits[2].score  # not a tie broken by position
    unnamed = search(["backend engineer python"], 3, query_specialisms=[0], query_levels=[3])[0]
    assert [h.score for h in unnamed] == pytest.approx([unnamed[0].score] * 3)  # a query naming none: no change


def test_levels_must_match_the_postings():
    with pytest.raises(RankerError, match="4 ids but 3 levels"):
        ranker(levels=[1, 2, 3])


def test_a_phrase_share_is_that_of_its_rarest_word():
    from embeddings.lexical import LexicalIndex

    index = LexicalIndex(["design and build apis", "kotlin android design", "design python", "bakery"])
    assert index.share_with("design") == 0.75
    assert index.share_with("design and build") == 0.25  # "build" is in one of four
    assert index.share_with("fortran") == 0.0
    assert index.share_with("and the") == 1.0  # no indexed word: says nothing, counts as everywhere
