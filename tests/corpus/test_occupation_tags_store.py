"""Occupation tags are stored per model and tagging version: tags of an older tagger are recomputed, not read."""

from __future__ import annotations

from datetime import date

from corpus import tags
from corpus.encoders import stored_name
from corpus.tags import tags_key
from tests.support.digest_world import ENCODER, OTHER_TEXT, job, settings, world  # noqa: F401
from warehouse import connect

DAY = date(2026, 11, 10)


def stored_keys(world):  # noqa: F811
    with connect(world.settings.db_path) as con:
        return dict(con.execute("select model, count(*) from posting_occupations group by model").fetchall())


def test_tags_are_kept_under_the_tagging_version_and_an_older_taggers_are_replaced(world):  # noqa: F811
    world.reject(on=DAY)
    world.night(DAY, add=[job("1", "Data Engineer", "Acme"), job("2", "Staff Nurse", "Harbor", OTHER_TEXT)])
    name = stored_name(world.settings, ENCODER)
    key = tags_key(name)
    assert key != name and key.startswith(name)
    assert stored_keys(world) == {key: 2}
    assert tags.tag_occupations(world.settings, ENCODER) == 0  # all tagged already

    # Before tags were versioned they were stored under the bare model name; another model's tags stay.
    with connect(world.settings.db_path) as con:
        con.execute("update posting_occupations set model = $older", {"older": name})
        con.execute("insert into posting_occupations select content_hash, 'other-model#tags-v2', occupation_uris, "
                    "weights, created_at from posting_occupations")
    assert tags.tag_occupations(world.settings, ENCODER) == 2
    assert stored_keys(world) == {key: 2, "other-model#tags-v2": 2}
