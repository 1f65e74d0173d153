"""A long-lived recommender keeps what it read (corpus, ranker, vectors, company profiles, shown fields) while the
warehouse is unchanged, and answers exactly as a freshly opened one, before and after the warehouse changes."""

from __future__ import annotations

from datetime import date, timedelta

from recommend.filters import Filters
from recommend.recommender import Recommender
from tests.support.digest_world import DATA_TEXT, ENCODER, OTHER_TEXT, ROLE, job, settings, world  # noqa: F401

DAY = date(2026, 11, 10)
QUERIES = [f"{ROLE[0]}\n{ROLE[1]}", "Staff nurse on the cardiology ward, night shifts"]


def answers(recommender: Recommender, day: date) -> list:
    """Every answer that depends on the kept state: postings with reasons and shown fields, companies with their
    openings, with and without filters and exclusions."""
    plain = recommender.similar(QUERIES, k=10, today=day)
    narrowed = recommender.similar(QUERIES, k=3, today=day, filters=Filters(location="berlin"),
                                   exclude_companies=("Globex",))
    return [(r.postings, r.companies) for r in plain + narrowed]


def fresh(world, day: date) -> list:  # noqa: F811
    return answers(Recommender.open(world.settings, encoder=ENCODER), day)


def test_a_kept_recommender_answers_as_a_fresh_one_as_the_warehouse_changes(world):  # noqa: F811
    world.night(DAY, add=[job("1", "Senior Data Engineer", "Acme", DATA_TEXT, locations=["Berlin, Germany"]),
                          job("2", "Data Engineer", "Globex", DATA_TEXT, locations=["Remote"]),
                          job("3", "Staff Nurse", "Harbor", OTHER_TEXT, locations=["Berlin, Germany"]),
                          job("4", "Night Nurse", "Harbor", OTHER_TEXT, locations=["Hamburg, Germany"])])
    kept = Recommender.open(world.settings, encoder=ENCODER)
    before = answers(kept, DAY)
    assert before == fresh(world, DAY)
    prepared = kept._prepared()
    assert kept._prepared() is prepared  # nothing changed: nothing read again
    assert answers(kept, DAY) == before

    world.reject(on=DAY)  # a write that leaves the ranking corpus as it was
    assert kept._prepared() is prepared
    assert answers(kept, DAY) == before == fresh(world, DAY)

    later = DAY + timedelta(days=1)
    world.night(later, add=[job("5", "Data Engineer", "Initrode", DATA_TEXT + " Kafka.", locations=["Berlin"]),
                            job("2", "Lead Data Engineer", "Globex", DATA_TEXT, locations=["Berlin, Germany"])],
                remove=("4",))
    after = answers(kept, later)
    assert kept._prepared() is not prepared
    assert after == fresh(world, later)  # the new index and the new vectors are used, not the ones read first
    assert after != before
    shown = {p["title"] for postings, _ in after for p in postings}
    assert "Lead Data Engineer" in shown and "Night Nurse" not in shown
    companies = {c["company"]: c for _, cs in after for c in cs}
    assert companies["Harbor"]["open_postings"] == 1 and "Initrode" in companies
