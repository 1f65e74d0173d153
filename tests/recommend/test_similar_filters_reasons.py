"""`Recommender.similar` through the ranker: filters, per-rejection nightly filters, reasons, specialism."""

from __future__ import annotations

from datetime import date

from recommend.filters import Filters
from recommend.recommender import Recommender
from tests.support.digest_world import DATA_TEXT, ENCODER, OTHER_TEXT, ROLE, job, pid, settings, world  # noqa: F401
from warehouse import connect
from warehouse.matches import latest_matches
from warehouse.recommendations import match_reasons, set_rejection_filters

DAY = date(2026, 11, 10)


def jobs():
    return [job("1", "Senior Data Engineer", "Acme", DATA_TEXT, locations=["Berlin, Germany"]),
            job("2", "Data Engineer", "Globex", DATA_TEXT, locations=["Remote"], is_remote=True,
                salary_min=4000, salary_max=5000, salary_currency="EUR", salary_period="month"),
            job("3", "Data Engineer", "Initrode", DATA_TEXT, locations=["Paris, France"],
                salary_min=80000, salary_max=90000, salary_currency="EUR", salary_period="year"),
            job("4", "Staff Nurse", "Harbor", OTHER_TEXT, locations=["Berlin, Germany"])]


def test_filters_narrow_the_suggestions_and_every_posting_has_a_reason(world):  # noqa: F811
    world.night(DAY, add=jobs())
    recommender = Recommender.open(world.settings, encoder=ENCODER)
    query = [f"{ROLE[0]}\n{ROLE[1]}"]
    (everything,) = recommender.similar(query, k=10, today=DAY)
    assert {p["posting_id"] for p in everything.postings} == {pid(s) for s in "1234"}
    assert all(p["reason"] for p in everything.postings)
    acme = next(p for p in everything.postings if p["posting_id"] == pid("1"))
    assert acme["reason"].count("; ") <= 2
    assert "one level up (senior)" in acme["reason"] and "shared skills:" in acme["reason"]
    shown = [p["score"] for p in everything.postings]
    assert shown == sorted(shown, reverse=True)
    assert all(p["match"] == round(100 * p["score"]) for p in everything.postings)
    assert set(everything.postings[0]["signals"]) == {"fused", "dense", "lexical", "occupation"}

    def ids(**options):
        (result,) = recommender.similar(query, k=10, filters=Filters(**options), today=DAY)
        return {p["posting_id"] for p in result.postings}

    assert ids(remote=True) == {pid("2")}
    assert ids(location="berlin") == {pid("1"), pid("4")}
    assert ids(seniority=("senior",)) == {pid("1")}
    assert ids(min_salary=70000, currency="EUR") == {pid("1"), pid("3"), pid("4")}  # 2 pays 48-60k a year
    assert ids(exclude_companies=("GLOBEX",)) == {pid("1"), pid("3"), pid("4")}
    (remote,) = recommender.similar(query, k=10, filters=Filters(remote=True), today=DAY)
    assert [c["company"] for c in remote.companies] == ["Globex"]


def test_nightly_matches_follow_each_rejections_filters_and_keep_reasons(world):  # noqa: F811
    rejection_id = world.reject(company="Elsewhere", on=DAY)
    with connect(world.settings.db_path) as con:
        set_rejection_filters(con, rejection_id, is_remote=True)
    world.night(DAY, add=jobs())
    with connect(world.settings.db_path) as con:
        matched = latest_matches(con, rejection_id)
        reasons = match_reasons(con, matched[0]["run_id"], rejection_id)
    assert [m["posting_id"] for m in matched] == [pid("2")]
    assert reasons[pid("2")].startswith("same occupation") or "remote" in reasons[pid("2")]
    prepared = world.prepared(DAY)
    assert "Why: " in prepared.markdown and "Why: " in prepared.html


def test_a_posting_of_another_specialism_falls_behind_an_otherwise_equal_one(world):  # noqa: F811
    # The security role's text is the closer one, but it names another specialism than the query's (data); the
    # software role names none.
    world.night(DAY, add=[job("1", "Security Engineer", "Acme", DATA_TEXT),
                          job("2", "Software Engineer", "Globex", DATA_TEXT + " Occasional travel to clients."),
                          job("3", "Staff Nurse", "Harbor", OTHER_TEXT)])
    recommender = Recommender.open(world.settings, encoder=ENCODER)
    (result,) = recommender.similar([f"Data Engineer\n{DATA_TEXT}"], k=3, today=DAY)
    order = [p["posting_id"] for p in result.postings]
    assert order.index(pid("2")) < order.index(pid("1"))
