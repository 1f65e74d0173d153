"""The duplicate rule on its own: normalised keys, compatible locations, near-identical text, canonical choice.
Texts come from the recorded ats-2026 responses where they exist (a truncated and a full recording of one job)."""

from __future__ import annotations

from spiders.sources.recruitee import RecruiteeSpider
from spiders.sources.remotive import RemotiveSpider
from tests.support.spiders import ATS_2026, as_dicts, response_for, shared
from warehouse.dedupe_rule import (
    Candidate,
    company_key,
    find_duplicates,
    locations_compatible,
    same_opening,
    title_key,
)


def _candidate(item: dict, posting_id: int, source: str | None = None, **changes) -> Candidate:
    values = dict(posting_id=posting_id, source=source or item["source"], title=item["title"], company=item["company"],
                  locations=item["locations"], description=item["description"])
    values.update(changes)
    return Candidate(**values)


def _remotive(name: str) -> list[dict]:
    file = shared(ATS_2026 / "remotive" / name)
    return as_dicts(RemotiveSpider().parse(response_for("https://remotive.com/api/remote-jobs", file)))


def test_keys_ignore_case_accents_gender_tags_and_legal_suffixes():
    assert title_key("Senior Product Owner m/w/d") == title_key("Sr. product owner (d/f/m) - Remote") == (
        "senior product owner")
    assert title_key("Entwickler:in (all genders)") == "entwickler in"
    assert company_key("Veeam Software GmbH") == company_key("veeamsoftware") == "veeamsoftware"
    assert company_key("Credit Wellness, LLC") == "creditwellness"


def test_locations_are_compatible_when_one_names_a_subset_of_the_other():
    assert locations_compatible(["Berlin, Germany"], ["Germany"])
    assert locations_compatible(["Remote"], ["Tel Aviv, Israel"])  # no place named: compatible with any
    assert locations_compatible(["London, United Kingdom"], ["London, UK"])
    assert locations_compatible(["New York, NY"], ["NYC"])
    assert not locations_compatible(["Berlin, Germany"], ["Munich, Germany"])
    assert not locations_compatible(["Tel Aviv, Israel"], ["Dubai, United Arab Emirates"])


def test_a_truncated_aggregator_copy_of_the_same_job_is_one_opening():
    [truncated, _] = _remotive("wule15__remotive.json")
    full = _remotive("lcarlini__remotive.json")[0]
    a = _candidate(full, 1, source="greenhouse")
    b = _candidate(truncated, 2)
    rule, similarity = same_opening(a, b)
    assert rule == "same_company" and similarity == 1.0
    assert find_duplicates([b, a]) == [(2, 1, "same_company", 1.0)]  # the employer's board is canonical


def test_the_same_text_for_another_city_or_title_is_another_opening():
    file = shared(ATS_2026 / "recruitee" / "michaeldinhmai__recruitee.json")
    offers = as_dicts(RecruiteeSpider(board="aikidosecurity").parse(
        response_for("https://aikidosecurity.recruitee.com/api/offers/", file)))
    tel_aviv, dubai = _candidate(offers[0], 1), _candidate(offers[1], 2)
    assert same_opening(tel_aviv, dubai) is None  # different titles ("... Tel Aviv", "... Dubai")
    renamed = _candidate(offers[1], 3, title=offers[0]["title"])
    assert same_opening(tel_aviv, renamed) is None  # same title and text, but Dubai is not Tel Aviv


def test_an_agency_copy_needs_near_identical_text():
    full = _remotive("lcarlini__remotive.json")[2]
    original = _candidate(full, 1, source="greenhouse")
    agency = _candidate(full, 2, source="arbeitnow", company="Talent Partners Ltd")
    assert same_opening(original, agency)[0] == "copied_text"
    half = full["description"][: len(full["description"]) // 2]
    assert same_opening(original, _candidate(full, 3, company="Talent Partners Ltd", description=half)) is None


def test_short_texts_never_decide():
    a = Candidate(1, "hn", "Software Engineer", "Acme", ["Berlin"], "Acme | Software Engineer | Berlin")
    b = Candidate(2, "greenhouse", "Software Engineer", "Acme", ["Berlin"], "Acme | Software Engineer | Berlin")
    assert same_opening(a, b) is None


def test_groups_are_transitive_and_keep_one_canonical():
    text = " ".join(f"word{i}" for i in range(60))
    postings = [Candidate(pid, source, "Data Engineer", "Acme", ["Berlin"], text, first_seen_at=seen)
                for pid, source, seen in [(30, "remotive", "2026-01-01"), (20, "hn", "2025-12-01"),
                                          (10, "lever", "2026-02-01"), (40, "lever", "2026-01-15")]]
    assert find_duplicates(postings) == [(10, 40, "same_company", 1.0), (20, 40, "same_company", 1.0),
                                         (30, 40, "same_company", 1.0)]
