"""Dense candidates from a FAISS VectorIndex give the same ranking as vectors in memory, past any exclusions."""

import numpy as np
import pytest

from embeddings.encoder import HashingEncoder
from embeddings.errors import RankerError
from embeddings.index import VectorIndex
from embeddings.ranker import Ranker, RankerConfig

ENCODER = HashingEncoder(64)
TEXTS = [f"{word} engineer python {n}" for n, word in enumerate(["backend", "data", "platform"] * 20)] + [
    "registered nurse ward", "pastry chef bakery"]
IDS = list(range(100, 100 + len(TEXTS)))


def rankers(config):
    vectors = ENCODER.encode(TEXTS)
    index = VectorIndex.build(ENCODER.model_name, IDS, vectors)
    position = {i: p for p, i in enumerate(IDS)}
    in_memory = Ranker(IDS, TEXTS, encoder=ENCODER, vectors=vectors, config=config)
    searched = Ranker(IDS, TEXTS, encoder=ENCODER, dense_search=index.search, config=config,
                      vector_lookup=lambda ids: vectors[[position[int(i)] for i in ids]])
    return in_memory, searched


@pytest.mark.parametrize("fusion", ["dense", "rrf"])
def test_index_and_memory_agree(fusion):
    config = RankerConfig(fusion=fusion, candidates=10, company_cap=None)
    in_memory, searched = rankers(config)
    queries = ["python backend engineer", "nurse on a ward", "bakery"]
    for a, b in zip(in_memory.search(queries, 5), searched.search(queries, 5)):
        assert np.allclose([h.score for h in a], [h.score for h in b])
        assert a[0].id == b[0].id
        # Equal scores may come in another order; distinct ones may not.
        assert {(round(h.score, 5), h.id) for h in a if [x.score for x in a].count(h.score) == 1} <= {
            (round(h.score, 5), h.id) for h in b}


def test_the_index_search_widens_past_excluded_and_disallowed_postings():
    _, searched = rankers(RankerConfig(fusion="dense", candidates=5, company_cap=None))
    allowed = np.ones(len(IDS), dtype=bool)
    allowed[:50] = False
    hits = searched.search(["python engineer"], 5, allowed=allowed, exclude_ids=IDS[50:55])[0]
    assert len(hits) == 5 and all(h.id >= IDS[55] for h in hits)


def test_a_search_without_lookup_is_refused():
    with pytest.raises(RankerError):
        Ranker(IDS, TEXTS, encoder=ENCODER, dense_search=lambda q, k: (None, None))
