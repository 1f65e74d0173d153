"""Ranker logic with the hashing encoder and hand-made occupation vectors (no model)."""

import numpy as np
import pytest

from embeddings.encoder import HashingEncoder
from embeddings.errors import RankerError
from embeddings.occupations import Occupation, OccupationTagger
from embeddings.ranker import Ranker, RankerConfig

TEXTS = [
    "python backend engineer django postgres",
    "backend engineer python apis",
    "registered nurse ward patients",
    "pastry chef bakery",
    "python data engineer spark",
]
COMPANIES = ["Acme", "Acme", "Hospital", "Bakery", "Acme"]


def make(config=None, **kwargs):
    ids = [10, 11, 12, 13, 14]
    return Ranker(ids, TEXTS, encoder=HashingEncoder(256), companies=COMPANIES, config=config, **kwargs)


def test_the_same_text_comes_first_and_scores_are_explained():
    hits = make().search(["registered nurse ward patients"], 3)[0]
    assert hits[0].id == 12
    assert hits[0].company == "Hospital"
    assert hits[0].dense == pytest.approx(1.0, abs=1e-5)
    assert hits[0].lexical == pytest.approx(1.0)  # BM25 scaled by the query's best score
    assert hits[0].score >= hits[1].score


def test_exclude_ids_never_come_back():
    ranker = make()
    hits = ranker.search(["python backend engineer"], 5, exclude_ids=[10, 11, 999])[0]
    assert {h.id for h in hits}.isdisjoint({10, 11})
    assert len(hits) == 3


def test_company_cap_spreads_the_top_across_companies():
    query = ["python engineer"]
    capped = make(RankerConfig(company_cap=1)).search(query, 3)[0]
    assert [h.company for h in capped].count("Acme") == 1
    uncapped = make(RankerConfig(company_cap=None)).search(query, 3)[0]
    assert [h.company for h in uncapped].count("Acme") == 3


def test_one_call_per_query_text_in_order():
    results = make().search(["pastry chef", "nurse"], 1)
    assert [r[0].id for r in results] == [13, 12]


def test_lexical_only_and_dense_only_settings():
    ranker = make(RankerConfig(company_cap=None))
    lexical = ranker.search(["spark"], 1, config=RankerConfig(fusion="lexical", company_cap=None))[0]
    assert lexical[0].id == 14
    dense = ranker.search(["chef bakery pastry"], 1, config=RankerConfig(fusion="dense", company_cap=None))[0]
    assert dense[0].id == 13


def test_occupation_agreement_lifts_postings_of_the_same_occupation():
    # Two hand-made occupations; posting 11's title points at "cook" although its text is about code.
    encoder = HashingEncoder(256)
    occupations = [Occupation("u:dev", "software developer", ""), Occupation("u:cook", "cook", "")]
    tagger = OccupationTagger(occupations, encoder.encode(["python engineer", "chef bakery pastry"]), top=1)
    titles = ["python engineer", "chef bakery pastry", "nurse", "chef bakery pastry", "python engineer"]
    ranker = Ranker([10, 11, 12, 13, 14], TEXTS, encoder=encoder, titles=titles, tagger=tagger,
                    config=RankerConfig(company_cap=None, lexical=0.0, occupation=2.0))
    hits = ranker.search(["pastry chef"], 2, query_titles=["chef bakery pastry"])[0]
    assert {h.id for h in hits} == {11, 13}
    assert all(h.occupation == pytest.approx(1.0) for h in hits)
    assert hits[0].occupations == ("cook",)
    plain = ranker.search(["pastry chef"], 2, config=RankerConfig(company_cap=None, lexical=0.0, occupation=0.0))[0]
    assert 11 not in {h.id for h in plain}


def test_bad_inputs_raise_ranker_error():
    with pytest.raises(RankerError):
        Ranker([], [], encoder=HashingEncoder())
    with pytest.raises(RankerError):
        Ranker([1, 2], ["a"], encoder=HashingEncoder())
    with pytest.raises(RankerError):
        RankerConfig(fusion="magic")
    with pytest.raises(RankerError):
        make().search(["a", "b"], 1, query_titles=["a"])


def test_precomputed_vectors_are_used_as_given():
    encoder = HashingEncoder(64)
    vectors = encoder.encode(["nurse"] * 2)
    ranker = Ranker([1, 2], ["chef", "driver"], encoder=encoder, vectors=vectors,
                    config=RankerConfig(fusion="dense", company_cap=None))
    hits = ranker.search(["nurse"], 2)[0]
    assert all(h.dense == pytest.approx(1.0, abs=1e-5) for h in hits)
    assert np.allclose(ranker.vectors, vectors)


def test_an_occupation_is_named_only_when_the_tagger_is_sure_for_both_texts():
    encoder = HashingEncoder(256)
    occupations = [Occupation("u:dev", "software developer", ""), Occupation("u:cook", "cook", "")]
    tagger = OccupationTagger(occupations, encoder.encode(["python engineer", "chef bakery pastry"]), top=1)
    # Posting 11 is tagged "cook" with weight 0.95, posting 13 with 0.6: both agree with the query's occupation.
    positions = np.array([[0], [1], [0], [1], [0]])
    weights = np.array([[1.0], [0.95], [1.0], [0.6], [1.0]], dtype=np.float32)
    ranker = Ranker([10, 11, 12, 13, 14], TEXTS, encoder=encoder, tagger=tagger, profiles=(positions, weights),
                    config=RankerConfig(company_cap=None, lexical=0.0, occupation=2.0))
    hits = {h.id: h for h in ranker.search(["pastry chef"], 2, query_titles=["chef bakery pastry"])[0]}
    assert set(hits) == {11, 13}
    assert hits[11].occupations == ("cook",) and hits[13].occupations == ()


def test_raw_signal_weights_let_a_closer_best_match_score_higher_than_a_looser_one():
    # Both queries' first hit ranks first on every signal, so rank fusion alone gives them the same score; the
    # cosine added to it says which of the two is the closer match (what the match % needs).
    exact, loose = "registered nurse ward patients", "nurse"
    plain = make(RankerConfig(company_cap=None, cosine=0.0, agreement=0.0)).search([exact, loose], 1)
    assert plain[0][0].id == plain[1][0].id == 12
    assert plain[0][0].score == pytest.approx(plain[1][0].score)
    absolute = make(RankerConfig(company_cap=None, cosine=0.05, agreement=0.0)).search([exact, loose], 1)
    assert absolute[0][0].id == absolute[1][0].id == 12
    assert absolute[0][0].dense > absolute[1][0].dense
    assert absolute[0][0].score - absolute[1][0].score == pytest.approx(
        0.05 * (absolute[0][0].dense - absolute[1][0].dense), abs=1e-6)


def test_the_agreement_weight_adds_the_raw_occupation_agreement_to_the_fused_score():
    encoder = HashingEncoder(256)
    occupations = [Occupation("u:dev", "software developer", ""), Occupation("u:cook", "cook", "")]
    tagger = OccupationTagger(occupations, encoder.encode(["python engineer", "chef bakery pastry"]), top=1)
    titles = ["python engineer", "chef bakery pastry", "nurse", "chef bakery pastry", "python engineer"]
    ranker = Ranker([10, 11, 12, 13, 14], TEXTS, encoder=encoder, titles=titles, tagger=tagger)
    ranks_only = RankerConfig(company_cap=None, cosine=0.0, agreement=0.0)
    without = {h.id: h for h in ranker.search(["pastry chef"], 5, query_titles=["chef bakery pastry"],
                                              config=ranks_only)[0]}
    with_ = ranker.search(["pastry chef"], 5, query_titles=["chef bakery pastry"],
                          config=ranks_only.with_(agreement=0.05))[0]
    for hit in with_:
        assert hit.score == pytest.approx(without[hit.id].score + 0.05 * hit.occupation, abs=1e-6)
    assert {h.id for h in with_ if h.occupation == pytest.approx(1.0)} == {11, 13}
