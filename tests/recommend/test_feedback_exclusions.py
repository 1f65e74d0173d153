"""Suggestions skip excluded postings and companies without coming up short: the search widens past them."""

from __future__ import annotations

from datetime import date

from recommend.doors import rejection_query
from recommend.recommender import Recommender
from tests.support.digest_world import DATA_TEXT, ENCODER, OTHER_TEXT, ROLE, job, pid, settings, world  # noqa: F401


def test_the_search_widens_until_k_postings_remain_after_the_exclusions(world):  # noqa: F811
    crowd = [job(f"i{n}", "Data Engineer", "Initech", ROLE[1]) for n in range(70)]
    others = [job("a", "Data Engineer", "Acme", DATA_TEXT), job("b", "Data Analyst", "Globex", DATA_TEXT),
              job("c", "Nurse", "Harbor", OTHER_TEXT)]
    world.night(date(2026, 11, 10), add=crowd + others)
    recommender = Recommender.open(world.settings, encoder=ENCODER)
    query = [rejection_query(*ROLE)]
    (plain,) = recommender.similar(query, k=3)
    assert all(p["company"] == "Initech" for p in plain.postings)
    (without,) = recommender.similar(query, k=3, exclude_company_ids={"initech"})
    assert {p["posting_id"] for p in without.postings} == {pid("a"), pid("b"), pid("c")}
    assert "Initech" not in [c["company"] for c in without.companies]
    skipped = {pid(f"i{n}") for n in range(60)}
    # 13 postings remain; all of them are reached past the 60 excluded (k=12 would let the per-company cap of 3
    # drop one of the ten Initech ones in favour of the other companies).
    (fewer,) = recommender.similar(query, k=13, exclude_posting_ids=skipped)
    ids = [p["posting_id"] for p in fewer.postings]
    assert len(ids) == 13 and not skipped & set(ids) and {pid(f"i{n}") for n in range(60, 70)} <= set(ids)
