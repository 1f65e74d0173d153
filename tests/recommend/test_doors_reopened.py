""""Role reopened": a new posting at the rejecting company that is the rejected role again (same normalised title,
or embedding cosine >= 0.9) is announced, during the cool-off and after it."""

from __future__ import annotations

from datetime import date, datetime
from html.parser import HTMLParser

import numpy as np

from recommend.doors import find_doors, is_near_duplicate, normalise_title, rejection_query
from tests.support.digest_world import ENCODER, OTHER_TEXT, ROLE, job, pid, settings, world  # noqa: F401

REJECTED = date(2026, 3, 2)


def test_titles_are_compared_without_case_accents_asides_or_punctuation():
    assert normalise_title("Data Engineer (m/w/d)") == "data engineer"
    assert normalise_title("  Sénior  Data-Engineer [Remote]") == "senior data engineer"
    assert normalise_title(None) == ""


def test_near_duplicate_means_same_title_or_a_very_close_text():
    assert is_near_duplicate("Data Engineer", "DATA ENGINEER (f/m/d)", cosine=0.1)
    assert is_near_duplicate("Data Engineer", "Pipeline Engineer", cosine=0.93)
    assert not is_near_duplicate("Data Engineer", "Pipeline Engineer", cosine=0.85)
    assert not is_near_duplicate("", "", cosine=0.0)


def opening(posting_id, title, vector, seen=datetime(2026, 3, 10, 2, 0)):
    return {"posting_id": posting_id, "company_id": "initech", "title": title, "company": "Initech", "locations": [],
            "description": "", "first_seen_at": seen, "vector": vector}


def test_a_reposted_ad_under_another_title_is_found_by_its_embedding():
    rejection = {"rejection_id": 7, "title": ROLE[0], "text": ROLE[1], "company_id": "initech", "company": "Initech",
                 "rejected_on": REJECTED, "created_at": datetime(2026, 3, 2), "cooloff_days": None}
    role = ENCODER.encode([rejection_query(ROLE[0], ROLE[1])])[0]
    unrelated = ENCODER.encode([OTHER_TEXT])[0]
    openings = [opening(1, "Pipeline Engineer", role.tolist()), opening(2, "Receptionist", unrelated.tolist()),
                opening(3, "Data Engineer", None, seen=datetime(2026, 2, 1))]  # before the rejection: not new
    calls = []

    def encode(texts):
        calls.append(texts)
        return ENCODER.encode(texts)

    during = find_doors([rejection], openings, encode, date(2026, 4, 1))
    assert [(o.posting_id, o.reopened) for o in during.reopened[7]] == [(1, True)] and during.doors == {}
    assert calls == [[rejection_query(ROLE[0], ROLE[1])]]  # cached vectors were used, nothing else embedded
    after = find_doors([rejection], openings, encode, date(2026, 7, 1))
    assert [(o.posting_id, o.reopened) for o in after.doors[7]] == [(1, True)] and after.reopened == {}
    assert after.doors[7][0].score == 1.0
    assert find_doors([rejection], [], encode, date(2026, 7, 1)).doors == {} and len(calls) == 2


def reopened_world(world):  # noqa: F811
    world.reject(on=REJECTED)
    world.night(date(2026, 3, 10), add=[
        job("1", "Data Engineer II", "Acme"),
        job("2", "Data Engineer (m/w/d)", "Initech GmbH"),
        job("3", "Receptionist", "Initech", OTHER_TEXT),
    ])


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.spans = []

    def handle_data(self, data):
        if self.get_starttag_text() and self.get_starttag_text().startswith("<span"):
            self.spans.append(data)


def test_the_digest_says_the_role_reopened_during_the_cooloff(world):  # noqa: F811
    reopened_world(world)
    prepared = world.prepared(date(2026, 3, 16))
    group = prepared.digest.groups[0]
    assert [e.posting_id for e in group.reopened] == [pid("2")] and group.reopened[0].reopened
    assert group.doors == [] and pid("3") not in [e.posting_id for e in group.matches]
    assert "### Role reopened" in prepared.markdown
    assert "You are in your cool-off until 30 Jun 2026" in prepared.markdown
    assert "Role reopened: **[Data Engineer \\(m/w/d\\)]" in prepared.markdown
    tags = Tags()
    tags.feed(prepared.html)
    assert "Role reopened" in tags.spans
    world.digest(date(2026, 3, 16))
    assert world.prepared(date(2026, 3, 23)).digest.groups[0].reopened == []  # said once


def test_after_the_cooloff_the_reopened_role_leads_the_doors_and_unlike_roles_stay_out(world):  # noqa: F811
    reopened_world(world)
    world.night(date(2026, 7, 1), add=[job("4", "Junior Data Engineer", "Initech")])
    group = world.prepared(date(2026, 7, 1)).digest.groups[0]
    assert [(e.posting_id, e.reopened) for e in group.doors][:1] == [(pid("2"), True)]
    assert pid("4") in [e.posting_id for e in group.doors]
    assert pid("3") not in [e.posting_id for e in group.doors + group.reopened]  # the receptionist is no door
    assert all(not np.isnan(e.score) for e in group.doors)
