"""A long-lived recommender keeps what it read (corpus, ranker, vectors, company profiles, shown fields) while the
warehouse is unchanged, and answers exactly as a freshly opened one, before and after the warehouse changes; a new
process reads the copy kept in the data home's cache for the same corpus version instead of the warehouse."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

from corpus.encoders import stored_name
from corpus.tags import tags_key
from recommend.filters import Filters
from recommend.matching import prepare_queries
from recommend.prepared import kept
from recommend.recommender import Recommender
from tests.support.digest_world import DATA_TEXT, ENCODER, OTHER_TEXT, ROLE, job, settings, world  # noqa: F401
from warehouse import connect
from warehouse.recommendations import corpus_version

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
    """The answers of a recommender that reads everything from the warehouse (no kept copy on disk)."""
    shutil.rmtree(world.settings.cache_dir / "corpus", ignore_errors=True)
    return answers(Recommender.open(world.settings, encoder=ENCODER), day)


def kept_copy(world):  # noqa: F811
    with connect(world.settings.db_path) as con:
        version = corpus_version(con, stored_name(world.settings, ENCODER))
    name = stored_name(world.settings, ENCODER)
    return kept(world.settings.cache_dir, name, tags_key(name), version)


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


def test_a_new_recommender_reads_the_copy_kept_for_the_current_corpus(world):  # noqa: F811
    world.night(DAY, add=[job("1", "Senior Data Engineer", "Acme", DATA_TEXT, locations=["Berlin, Germany"]),
                          job("2", "Staff Nurse", "Harbor", OTHER_TEXT, locations=["Berlin, Germany"])])
    expected = fresh(world, DAY)  # reads the warehouse and keeps its read
    copy = kept_copy(world)
    assert copy is not None and len(copy.corpus.ids) == 2
    assert answers(Recommender.open(world.settings, encoder=ENCODER), DAY) == expected  # from the kept copy

    world.night(DAY + timedelta(days=1), add=[job("3", "Data Engineer", "Globex", DATA_TEXT)])
    assert kept_copy(world) is None  # kept for the corpus before: not used for this one
    later = answers(Recommender.open(world.settings, encoder=ENCODER), DAY)
    assert later == fresh(world, DAY) and later != expected
    assert len(kept_copy(world).corpus.ids) == 3


def test_the_nightly_without_rejections_keeps_the_read_for_the_next_query(world):  # noqa: F811
    world.night(DAY, add=[job("1", "Senior Data Engineer", "Acme", DATA_TEXT)])  # no rejection: nothing matched
    assert kept_copy(world) is None
    assert prepare_queries(world.settings, encoder=ENCODER) == 1
    assert kept_copy(world) is not None


def test_a_warehouse_made_again_with_other_contents_does_not_read_the_old_kept_copy(world):  # noqa: F811
    from tests.support.digest_world import Home

    world.night(DAY, add=[job("1", "Data Engineer", "Acme", DATA_TEXT), job("2", "Data Engineer", "Globex", DATA_TEXT)])
    first = answers(Recommender.open(world.settings, encoder=ENCODER), DAY)  # keeps its read
    world.settings.db_path.unlink()
    shutil.rmtree(world.settings.index_dir)
    again = Home(world.settings, world.tmp_path / "again")
    (world.tmp_path / "again").mkdir()
    # The same postings (same ids, one load, same counts) with other contents.
    again.night(DAY, add=[job("1", "Staff Nurse", "Acme", OTHER_TEXT), job("2", "Data Engineer", "Globex", DATA_TEXT)])
    later = answers(Recommender.open(world.settings, encoder=ENCODER), DAY)
    assert later != first
    assert later == fresh(world, DAY)


def test_the_kept_copy_holds_descriptions_apart_and_reads_them_only_for_texts(world):  # noqa: F811
    world.night(DAY, add=[job("1", "Senior Data Engineer", "Acme", DATA_TEXT, locations=["Berlin, Germany"]),
                          job("2", "Staff Nurse", "Harbor", OTHER_TEXT, locations=["Berlin, Germany"])])
    expected = fresh(world, DAY)  # reads the warehouse and keeps its read
    copy = kept_copy(world)
    assert all("description" not in row for row in copy.corpus.rows)
    assert copy.corpus.texts._descriptions is None  # not read by loading the copy
    assert sorted(copy.corpus.texts.description(i) for i in range(2)) == sorted([DATA_TEXT, OTHER_TEXT])

    # A newer copy kept by another process removes this folder: a recommender that loaded it still answers.
    reader = Recommender.open(world.settings, encoder=ENCODER)
    reader._prepared()
    shutil.rmtree(world.settings.cache_dir / "corpus")
    assert answers(reader, DAY) == expected
