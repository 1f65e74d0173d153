"""Each newer spider end to end (a crawl subprocess) on the recorded ats-2026 responses, served by the local board
mirror at their real API paths; items, status and drop counts asserted."""

from __future__ import annotations

import json

import pytest

from mirror.board_server import BoardServer
from tests.support.spiders import ATS_2026, OWN_FIXTURES, run_crawl, shared

SR = "/v1/companies/AutomationAnywhere1/postings"


def _feed_ids(items: list[dict]) -> list[str]:
    return [item["source_id"] for item in items]


def test_workable(tmp_path):
    file = shared(ATS_2026 / "workable" / "michaeldinhmai__workable.json")
    with BoardServer() as server:
        server.add_file("/api/v1/widget/accounts/vasion", file)
        code, status, items, stderr = run_crawl(tmp_path, "workable", "vasion", server.url)
        assert server.requests[-1] == "/api/v1/widget/accounts/vasion?details=true"
    assert code == 0, stderr
    assert status["complete"] is True and status["items"] == 2
    assert [(i["source_id"], i["company"], i["url"]) for i in items] == [
        ("74172297A5", "Vasion", "https://apply.workable.com/j/74172297A5"),
        ("15F16B8D99", "Vasion", "https://apply.workable.com/j/15F16B8D99")]


def test_smartrecruiters_pages_then_details(tmp_path):
    recorded = shared(ATS_2026 / "smartrecruiters")
    with BoardServer() as server:
        server.add_file(f"{SR}?offset=0&limit=100", recorded / "michaeldinhmai__smartrecruiters_page0.json")
        server.add_file(f"{SR}?offset=3&limit=100", recorded / "michaeldinhmai__smartrecruiters_page1.json")
        # Only one posting's detail was recorded; the other two answer 404 as withdrawn postings do.
        server.add_file(f"{SR}/743999706414750", recorded / "michaeldinhmai__smartrecruiters_detail.json")
        code, status, items, stderr = run_crawl(tmp_path, "smartrecruiters", "AutomationAnywhere1", server.url)
        requested = sorted(server.requests)
    assert code == 0, stderr
    assert status["complete"] is True and status["errors"] == []
    assert status["dropped"] == {"duplicate": 1, "withdrawn": 2}
    assert [(i["source_id"], i["title"], i["company"]) for i in items] == [
        ("743999706414750", "Pricing Analyst", "Automation Anywhere")]
    assert items[0]["description"].startswith("Automation Anywhere is the leader in Robotic Process Automation")
    assert requested == sorted(["/robots.txt", f"{SR}?offset=0&limit=100", f"{SR}?offset=3&limit=100",
                                f"{SR}/743999706414750", f"{SR}/743999706405540", f"{SR}/743999704892584"])


def test_recruitee_on_the_company_origin(tmp_path):
    file = shared(ATS_2026 / "recruitee" / "michaeldinhmai__recruitee.json")
    with BoardServer() as server:
        server.add_file("/api/offers/", file)
        code, status, items, stderr = run_crawl(tmp_path, "recruitee", "aikidosecurity", server.url)
    assert code == 0, stderr
    offers = json.loads(file.read_text(encoding="utf-8"))["offers"]
    assert [(i["source_id"], i["title"], i["url"]) for i in items] == [
        (str(o["id"]), o["title"], o["careers_url"]) for o in offers]
    assert status["complete"] is True and status["items"] == 3


def test_personio_xml_feed(tmp_path):
    with BoardServer() as server:
        server.add_file("/xml", OWN_FIXTURES / "personio" / "brightwater.xml", "application/xml; charset=utf-8")
        code, status, items, stderr = run_crawl(tmp_path, "personio", "brightwater", server.url)
        origin = server.url
    assert code == 0, stderr
    assert status["complete"] is True and status["dropped"] == {"missing_title": 1}
    assert [(i["source_id"], i["url"]) for i in items] == [
        ("1204711", f"{origin}/job/1204711"), ("1204712", f"{origin}/job/1204712")]


@pytest.mark.parametrize("name", ["wule15__remotive.json", "TheGamer406__remotive.json", "lcarlini__remotive.json"])
def test_remotive_with_credit(tmp_path, name):
    file = shared(ATS_2026 / "remotive" / name)
    with BoardServer() as server:
        server.add_file("/api/remote-jobs", file)
        code, status, items, stderr = run_crawl(tmp_path, "remotive", "", server.url,
                                                "--set", f"TERMS_CACHE_DIR={tmp_path / 'terms'}")
    jobs = json.loads(file.read_text(encoding="utf-8"))["jobs"]
    assert code == 0, stderr
    assert _feed_ids(items) == [str(job["id"]) for job in jobs]
    assert {(i["credit"], i["board"]) for i in items} == {("Remotive", "")}
    assert [i["url"] for i in items] == [job["url"] for job in jobs]  # the link back to Remotive


def test_remotive_is_called_at_most_once_per_period(tmp_path):
    file = shared(ATS_2026 / "remotive" / "wule15__remotive.json")
    terms = ["--set", f"TERMS_CACHE_DIR={tmp_path / 'terms'}"]
    with BoardServer() as server:
        server.add_file("/api/remote-jobs", file)
        first = run_crawl(tmp_path / "one", "remotive", "", server.url, *terms)
        second = run_crawl(tmp_path / "two", "remotive", "", server.url, *terms)
        calls = [path for path in server.requests if path.startswith("/api/")]
    assert calls == ["/api/remote-jobs"]  # the second run was answered from the terms cache
    assert first[0] == second[0] == 0
    assert _feed_ids(first[2]) == _feed_ids(second[2]) == ["2091081", "2090903"]


@pytest.mark.parametrize("name", ["michaeldinhmai__remoteok.json", "wule15__remoteok.json"])
def test_remoteok_skips_the_legal_notice(tmp_path, name):
    file = shared(ATS_2026 / "remoteok" / name)
    with BoardServer() as server:
        server.add_file("/api", file)
        code, status, items, stderr = run_crawl(tmp_path, "remoteok", "", server.url)
    jobs = json.loads(file.read_text(encoding="utf-8"))[1:]
    assert code == 0, stderr
    assert status["complete"] is True and status["items"] == 2
    assert [(i["source_id"], i["url"], i["credit"]) for i in items] == [
        (job["id"], job["url"], "Remote OK") for job in jobs]


def test_arbeitnow_follows_next_links(tmp_path):
    first = json.loads(shared(ATS_2026 / "arbeitnow" / "TheGamer406__arbeitnow.json").read_text(encoding="utf-8"))
    second = json.loads((ATS_2026 / "arbeitnow" / "lcarlini__arbeitnow.json").read_text(encoding="utf-8"))
    # The recorders kept only "data"; the live envelope links the next page until the last one.
    page1 = tmp_path / "page1.json"
    page1.write_text(json.dumps(dict(first, links={"next": "https://www.arbeitnow.com/api/job-board-api?page=2"})))
    page2 = tmp_path / "page2.json"
    page2.write_text(json.dumps(dict(second, links={"next": None})))
    with BoardServer() as server:
        server.add_file("/api/job-board-api?page=1", page1)
        server.add_file("/api/job-board-api?page=2", page2)
        code, status, items, stderr = run_crawl(tmp_path, "arbeitnow", "", server.url)
    assert code == 0, stderr
    assert status["complete"] is True
    assert _feed_ids(items) == [job["slug"] for job in first["data"] + second["data"]]
