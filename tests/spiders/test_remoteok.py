"""The Remote OK spider on the two recorded ats-2026 responses: the legal notice (element 0) is skipped, the
credit and the direct Remote OK link are on every posting, mis-decoded text is repaired."""

from __future__ import annotations

import pytest

from spiders.sources.remoteok import RemoteOkSpider
from tests.support.spiders import ATS_2026, as_dicts, response_for, shared

FIELDS = ("source_id", "url", "title", "company", "locations", "posted_at")
EXPECTED = {
    "michaeldinhmai__remoteok.json": [
        ("1136372", "https://remoteOK.com/remote-jobs/remote-group-leader-paytm-services-pvt-ltd-1136372",
         "Group leader", "PAYTM SERVICES PVT LTD", ["Krishnagiri"], "2026-08-11T02:21:57Z"),
        ("1136373", "https://remoteOK.com/remote-jobs/remote-handyman-ocean-hotels-group-barbados-1136373",
         "Handyman", "Ocean Hotels Group BARBADOS", ["Lowlands"], "2026-08-11T01:56:42Z"),
    ],
    "wule15__remoteok.json": [
        ("1136024", "https://remoteOK.com/remote-jobs/remote-join-our-team-bay-plumbing-amp-drainage-1136024",
         "Join Our Team", "Bay Plumbing & Drainage", ["South Geelong"], "2026-08-03T06:37:28Z"),
        ("1135957", "https://remoteOK.com/remote-jobs/remote-build-anything-launch-99-seconds-clarity-fox-1135957",
         "Build Anything Launch — 99 Seconds", "Clarity-Fox", ["Enterprise"], "2026-08-03T05:03:52Z"),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recorded_board_yields_exact_items_after_the_legal_notice(name):
    file = shared(ATS_2026 / "remoteok" / name)
    items = as_dicts(RemoteOkSpider().parse(response_for("https://remoteok.com/api", file)))
    assert [tuple(item[f] for f in FIELDS) for item in items] == EXPECTED[name]
    for item in items:
        assert (item["source"], item["is_remote"], item["credit"]) == ("remoteok", True, "Remote OK")
        assert item["salary_min"] is item["salary_max"] is item["salary_currency"] is None  # 0 means "not given"
        assert item["description"] and "<" not in item["description"]


def test_mis_decoded_text_is_repaired():
    file = shared(ATS_2026 / "remoteok" / "wule15__remoteok.json")
    items = as_dicts(RemoteOkSpider().parse(response_for("https://remoteok.com/api", file)))
    assert items[0]["description"].startswith("Qualified Plumbers Wanted in Geelong — $1,000 Sign-On")
    assert "â\x80" not in items[0]["description"]


def test_a_salary_is_yearly_dollars(tmp_path):
    body = b'[{"legal": "terms"}, {"id": "7", "url": "https://remoteok.com/remote-jobs/7", "position": "Dev",' \
           b' "company": "Acme", "salary_min": 90000, "salary_max": 120000, "description": "x"}]'
    (tmp_path / "api.json").write_bytes(body)
    items = as_dicts(RemoteOkSpider().parse(response_for("https://remoteok.com/api", tmp_path / "api.json")))
    assert [(i["salary_min"], i["salary_max"], i["salary_currency"], i["salary_period"]) for i in items] == [
        (90000.0, 120000.0, "USD", "year")]
