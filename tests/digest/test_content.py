"""What a week's digest shows: grouped by rejection, no repeats across weeks, an empty week said plainly."""

from __future__ import annotations

from datetime import date, timedelta

from tests.support.digest_world import OTHER_TEXT, job, pid, settings, world  # noqa: F401
from warehouse import check_keys, connect
from warehouse.digests import delivered_digest, week_items
from warehouse.feedback import mark_posting

W47 = date(2026, 11, 16)  # Monday of 2026-W47
W48 = date(2026, 11, 23)
W49 = date(2026, 11, 30)


def sections(prepared) -> dict[str, list[int]]:
    group = prepared.digest.groups[0]
    return {"match": [e.posting_id for e in group.matches], "door": [e.posting_id for e in group.doors],
            "reopened": [e.posting_id for e in group.reopened]}


def first_week(world):  # noqa: F811
    world.reject(on=date(2026, 11, 2))
    world.night(date(2026, 11, 10), add=[
        job("1", "Data Engineer", "Acme", salary_min=70000, salary_max=90000, credit="Jobs via Acme Careers"),
        job("2", "Senior Data Engineer", "Globex", salary_min=None, salary_max=None),
        job("3", "Staff Nurse", "Harbor", OTHER_TEXT),
    ])


def test_a_week_lists_each_match_with_its_facts_grouped_by_rejection(world):  # noqa: F811
    first_week(world)
    result = world.digest(W47)
    assert result.week == "2026-W47" and not result.sent and result.count_items == 3
    assert result.markdown_path == world.settings.home / "digests" / "2026-W47.md"
    markdown = result.markdown_path.read_text(encoding="utf-8")
    html = result.html_path.read_text(encoding="utf-8")
    assert "## Because you were turned down for Data Engineer at Initech" in markdown
    assert "3 new openings like it at 3 companies" in markdown
    line = next(row for row in markdown.splitlines() if "Acme" in row and "](<" in row)
    assert line.startswith("1. **[Data Engineer](<https://boards.example/acme/jobs/1>)**")
    for fact in ("Berlin, Germany", "EUR 70,000–90,000 per year", "posted on 20 Feb 2026", "score 0.",
                 "Jobs via Acme Careers", f"id {pid('1')}"):
        assert fact in line, fact
    globex = next(row for row in markdown.splitlines() if "Globex ·" in row)
    assert "per year" not in globex and "via greenhouse" in globex  # no salary given; the source is credited
    assert "Similar companies: Acme (" in markdown
    assert "Senior Data Engineer" in html and "EUR 70,000–90,000 per year" in html and "Jobs via Acme Careers" in html
    assert 'href="https://boards.example/acme/jobs/2"' in html


def test_no_posting_is_shown_again_in_a_later_week(world):  # noqa: F811
    first_week(world)
    world.digest(W47)
    world.night(date(2026, 11, 20), add=[job("5", "Analytics Engineer", "Hooli")])
    second = world.prepared(W48)
    assert sections(second)["match"] == [pid("5")]
    world.digest(W48)
    third = world.digest(W49)
    assert third.empty and third.count_items == 0
    markdown = third.markdown_path.read_text(encoding="utf-8")
    assert "Nothing new this week" in markdown and "No new openings like it this week." in markdown
    assert "Nothing new this week" in third.html_path.read_text(encoding="utf-8")
    with connect(world.settings.db_path) as con:
        weeks = {week: {i["posting_id"] for i in week_items(con, week)} for week in ("2026-W47", "2026-W48")}
        assert weeks == {"2026-W47": {pid("1"), pid("2"), pid("3")}, "2026-W48": {pid("5")}}
        assert delivered_digest(con, "2026-W49")["count_items"] == 0
        assert set(check_keys(con).values()) == {0}


def test_rerunning_a_week_keeps_its_items_and_a_past_week_reads_as_delivered(world):  # noqa: F811
    first_week(world)
    assert world.digest(W47).count_items == 3
    assert world.digest(W47 + timedelta(days=3)).count_items == 3  # again on Thursday of the same week
    world.night(date(2026, 11, 20), add=[job("5", "Analytics Engineer", "Hooli")])
    world.digest(W48)
    past = world.prepared(W48, week="2026-W47")
    assert sorted(sections(past)["match"]) == sorted([pid("1"), pid("2"), pid("3")])


def test_a_week_without_rejections_says_how_to_start(world):  # noqa: F811
    result = world.digest(W47)
    assert result.empty
    assert "No active rejections" in result.markdown_path.read_text(encoding="utf-8")
    assert "No active rejections" in result.html_path.read_text(encoding="utf-8")


def test_saved_postings_are_listed_every_week_until_closed_and_dismissed_ones_never_again(world):  # noqa: F811
    first_week(world)
    with connect(world.settings.db_path) as con:
        mark_posting(con, pid("1"), "saved", note="ask Ana for a referral")
        mark_posting(con, pid("3"), "dismissed")
    week47 = world.prepared(W47)
    assert sections(week47)["match"] == [pid("1"), pid("2")] or sections(week47)["match"] == [pid("2"), pid("1")]
    assert pid("3") not in sections(week47)["match"]
    assert [e.posting_id for e in week47.digest.saved] == [pid("1")]
    assert "Note: ask Ana for a referral" in week47.markdown
    world.digest(W47)
    assert [e.posting_id for e in world.prepared(W48).digest.saved] == [pid("1")]
    world.night(date(2026, 11, 24), remove=("1",))
    assert world.prepared(W48).digest.saved == []
    assert "Saved postings" not in world.prepared(W48).markdown


def test_an_archived_rejection_gets_no_section(world):  # noqa: F811
    from warehouse.rejections import archive_rejection

    first_week(world)
    other = world.reject(title="Nurse", company="Harbor", text=OTHER_TEXT, on=date(2026, 11, 3))
    with connect(world.settings.db_path) as con:
        archive_rejection(con, other)
    groups = world.prepared(W47).digest.groups
    assert [g.title for g in groups] == ["Data Engineer"]
