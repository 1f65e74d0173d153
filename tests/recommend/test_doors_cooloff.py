"""Keep a door open: the rejecting company is held back during the cool-off, then its new openings like the role
come back in a separate digest section. Every date is set by the test."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from recommend.doors import DEFAULT_COOLOFF_DAYS, cooling_company_ids, door_of, held_back
from recommend.recommender import Recommender
from tests.support.digest_world import ENCODER, ROLE, job, pid, settings, world  # noqa: F401
from warehouse import connect
from warehouse.matches import latest_matches

REJECTED = date(2026, 3, 2)


def rejection(**fields) -> dict:
    row = {"rejection_id": 1, "company_id": "initech", "company": "Initech", "rejected_on": REJECTED,
           "created_at": datetime(2026, 3, 5, 9, 0), "cooloff_days": None}
    row.update(fields)
    return row


def test_the_cooloff_runs_120_days_from_the_rejection_date_by_default():
    door = door_of(rejection())
    assert DEFAULT_COOLOFF_DAYS == 120 and door.starts == REJECTED and door.ends == date(2026, 6, 30)
    assert door.cooling(date(2026, 6, 29)) and not door.cooling(date(2026, 6, 30))


def test_a_rejection_can_set_its_own_cooloff_and_falls_back_to_its_recording_day():
    assert door_of(rejection(cooloff_days=30)).ends == date(2026, 4, 1)
    assert door_of(rejection(cooloff_days=0)).cooling(REJECTED) is False
    assert door_of(rejection(rejected_on=None)).starts == date(2026, 3, 5)
    assert door_of(rejection(), default_days=10).ends == date(2026, 3, 12)


def test_only_companies_still_cooling_are_held_back():
    rows = [rejection(), rejection(rejection_id=2, company_id="globex", cooloff_days=7),
            rejection(rejection_id=3, company_id=None)]
    assert cooling_company_ids(rows, date(2026, 3, 5)) == {"initech", "globex"}
    assert cooling_company_ids(rows, date(2026, 3, 9)) == {"initech"}
    assert cooling_company_ids(rows, date(2026, 7, 1)) == set()


def initech_world(world, cooloff_days=None):  # noqa: F811
    rejection_id = world.reject(on=REJECTED, cooloff_days=cooloff_days)
    world.night(date(2026, 3, 1), add=[job("old", "Platform Engineer", "Initech")])  # listed before the rejection
    world.night(date(2026, 3, 10), add=[
        job("1", "Data Engineer II", "Acme"),
        job("2", "Analytics Engineer", "Initech, Inc."),
        job("3", "Staff Nurse", "Harbor", "Care for patients on the ward; night shifts."),
    ])
    return rejection_id


def test_during_the_cooloff_the_company_is_left_out_of_nightly_matches(world):  # noqa: F811
    rejection_id = initech_world(world)
    with connect(world.settings.db_path) as con:
        matched = {row["posting_id"] for row in latest_matches(con, rejection_id)}
    assert pid("1") in matched and pid("3") in matched
    assert pid("2") not in matched and pid("old") not in matched


def test_similar_for_a_rejection_leaves_the_company_out_unless_asked(world):  # noqa: F811
    initech_world(world)
    recommender = Recommender.open(world.settings, encoder=ENCODER)
    with connect(world.settings.db_path) as con:
        held = held_back(con, date(2026, 3, 20))
        everyone = held_back(con, date(2026, 3, 20), include_rejecting_company=True)
    assert held.company_ids == {"initech"} and everyone.company_ids == frozenset()
    query = [f"{ROLE[0]}\n{ROLE[1]}"]
    (kept,) = recommender.similar(query, k=10, exclude_company_ids=held.company_ids)
    (asked,) = recommender.similar(query, k=10, exclude_company_ids=everyone.company_ids)
    assert not any(p["posting_id"] in (pid("2"), pid("old")) for p in kept.postings)
    assert {pid("2"), pid("old")} <= {p["posting_id"] for p in asked.postings}
    assert "Initech, Inc." not in [c["company"] for c in kept.companies]


def test_after_the_cooloff_new_openings_there_are_doors_kept_open(world):  # noqa: F811
    rejection_id = initech_world(world)
    during = world.prepared(date(2026, 6, 29))
    group = during.digest.groups[0]
    assert group.cooling and group.doors == [] and pid("2") not in [e.posting_id for e in group.matches]
    world.night(date(2026, 7, 1))
    after = world.prepared(date(2026, 7, 1))
    group = after.digest.groups[0]
    assert not group.cooling and group.cooloff_ends == date(2026, 6, 30)
    assert [e.posting_id for e in group.doors] == [pid("2")]  # "old" was listed before the rejection: not new
    assert pid("2") not in [e.posting_id for e in group.matches]
    assert "### Doors kept open at Initech" in after.markdown and "Your cool-off ended on 30 Jun 2026" in after.markdown
    assert "Doors kept open at Initech" in after.html
    with connect(world.settings.db_path) as con:
        assert pid("2") in {row["posting_id"] for row in latest_matches(con, rejection_id)}  # suggested again
    world.digest(date(2026, 7, 1))
    assert world.prepared(date(2026, 7, 8)).digest.groups[0].doors == []  # shown once


def test_a_per_rejection_cooloff_of_zero_opens_the_door_at_once(world):  # noqa: F811
    initech_world(world, cooloff_days=0)
    group = world.prepared(date(2026, 3, 10)).digest.groups[0]
    assert [e.posting_id for e in group.doors] == [pid("2")]


@pytest.mark.parametrize("days", [30, 200])
def test_the_configured_default_cooloff_applies_to_rejections_without_their_own(world, days):  # noqa: F811
    (world.settings.home / "config.toml").write_text(f"[doors]\ncooloff_days = {days}\n", encoding="utf-8")
    from datahome.settings import load_settings

    world.settings = load_settings()
    initech_world(world)
    group = world.prepared(date(2026, 5, 1)).digest.groups[0]
    assert group.cooling is (days == 200)
    assert [e.posting_id for e in group.doors] == ([] if days == 200 else [pid("2")])
