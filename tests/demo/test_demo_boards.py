"""The demo boards that `make demo` serves: real API shapes, enough variety, served at the real paths."""

from __future__ import annotations

import html
import itertools
import json
import re
import subprocess
import sys
import tomllib
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest

from mirror.board_server import BoardServer

DEMO = Path(__file__).resolve().parents[2] / "demo"
BOARDS = DEMO / "boards"
KINDS = ("greenhouse", "lever", "ashby")
TAG = re.compile(r"<[^>]+>")


def board_files(kind: str) -> list[Path]:
    return sorted((BOARDS / kind).glob("*.json"))


def load(file: Path):
    return json.loads(file.read_text(encoding="utf-8"))


def postings() -> list[dict]:
    """Every posting as (kind, board, company, title, url, listed, text, raw) for cross-board checks."""
    out = []
    for file in board_files("greenhouse"):
        for job in load(file)["jobs"]:
            text = TAG.sub(" ", html.unescape(html.unescape(job["content"])))
            out.append(dict(kind="greenhouse", board=file.stem, company=job["company_name"], title=job["title"],
                            urls=[job["absolute_url"]], listed=True, text=text, place=job["location"]["name"]))
    for file in board_files("lever"):
        for job in load(file):
            lists = " ".join(TAG.sub(" ", item["content"]) for item in job["lists"])
            text = " ".join([job["descriptionPlain"], lists, job["additionalPlain"]])
            out.append(dict(kind="lever", board=file.stem, company=None, title=job["text"],
                            urls=[job["hostedUrl"], job["applyUrl"]], listed=True, text=text,
                            place=job["categories"]["location"], commitment=job["categories"]["commitment"]))
    for file in board_files("ashby"):
        for job in load(file)["jobs"]:
            out.append(dict(kind="ashby", board=file.stem, company=None, title=job["title"],
                            urls=[job["jobUrl"], job["applyUrl"]], listed=job["isListed"],
                            text=job["descriptionPlain"], place=job["location"], commitment=job["employmentType"]))
    return out


def sources() -> list[dict]:
    return tomllib.loads((DEMO / "sources.toml").read_text(encoding="utf-8"))["source"]


def test_boards_are_split_across_the_three_kinds_with_about_150_postings():
    counts = {kind: len(board_files(kind)) for kind in KINDS}
    assert counts == {"greenhouse": 8, "lever": 6, "ashby": 6}
    listed = [p for p in postings() if p["listed"]]
    assert 140 <= len(listed) <= 170
    per_board = Counter(p["board"] for p in listed)
    assert min(per_board.values()) >= 5, per_board


def test_greenhouse_files_have_the_board_api_shape():
    for file in board_files("greenhouse"):
        body = load(file)
        assert set(body) == {"jobs", "meta"}, file.name
        assert body["meta"] == {"total": len(body["jobs"])}
        for job in body["jobs"]:
            assert isinstance(job["id"], int) and isinstance(job["internal_job_id"], int)
            assert job["title"].strip() == job["title"] and job["title"]
            assert isinstance(job["location"]["name"], str) and job["location"]["name"]
            assert job["company_name"] and isinstance(job["departments"], list) and job["offices"]
            metadata = job["metadata"] or []
            assert all({"id", "name", "value", "value_type"} <= set(m) for m in metadata)
            for stamp in (job["updated_at"], job["first_published"]):
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", stamp)
            # The real API entity-escapes the HTML: no raw tags, and one unescape yields markup.
            content = job["content"]
            assert "<" not in content and "&lt;p&gt;" in content and "&quot;" in content
            assert "<p>" in html.unescape(content)
            assert str(job["id"]) in job["absolute_url"]


def test_lever_files_have_the_postings_api_shape():
    for file in board_files("lever"):
        body = load(file)
        assert isinstance(body, list) and body, file.name
        created = [p["createdAt"] for p in body]
        assert created == sorted(created, reverse=True)
        for posting in body:
            assert str(uuid.UUID(posting["id"])) == posting["id"]
            assert posting["text"]
            categories = posting["categories"]
            assert set(categories) == {"commitment", "department", "location", "team", "allLocations"}
            assert categories["allLocations"][0] == categories["location"]
            assert 1_700_000_000_000 < posting["createdAt"] < 1_900_000_000_000
            assert posting["descriptionPlain"] and posting["description"].startswith("<")
            assert posting["lists"] and all(set(item) == {"text", "content"} for item in posting["lists"])
            assert all(item["content"].lstrip().startswith("<li>") for item in posting["lists"])
            assert posting["additionalPlain"] and posting["additional"]
            assert posting["workplaceType"] in {"onsite", "hybrid", "remote"}
            assert posting["hostedUrl"].endswith(posting["id"])
            assert posting["applyUrl"] == posting["hostedUrl"] + "/apply"
            if "salaryRange" in posting:
                salary = posting["salaryRange"]
                assert salary["interval"] in {"per-year-salary", "per-month-salary", "per-hour-wage"}
                assert 0 < salary["min"] <= salary["max"] and len(salary["currency"]) == 3
    assert any("salaryRange" in p for f in board_files("lever") for p in load(f))
    assert any("salaryRange" not in p for f in board_files("lever") for p in load(f))


def test_ashby_files_have_the_posting_api_shape():
    unlisted = []
    for file in board_files("ashby"):
        body = load(file)
        assert set(body) == {"apiVersion", "jobs"} and body["apiVersion"] == "1", file.name
        for job in body["jobs"]:
            assert str(uuid.UUID(job["id"])) == job["id"]
            assert job["employmentType"] in {"FullTime", "PartTime", "Intern", "Contract", "Temporary"}
            assert job["workplaceType"] in {"OnSite", "Hybrid", "Remote"}
            assert job["isRemote"] == (job["workplaceType"] == "Remote")
            assert isinstance(job["secondaryLocations"], list) and job["location"]
            assert job["descriptionHtml"].startswith("<") and job["descriptionPlain"]
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", job["publishedAt"])
            assert job["applyUrl"] == job["jobUrl"] + "/application"
            compensation = job["compensation"]
            assert set(compensation) == {"compensationTierSummary", "scrapeableCompensationSalarySummary",
                                         "compensationTiers", "summaryComponents"}
            if job["shouldDisplayCompensationOnJobPostings"]:
                (salary,) = [c for c in compensation["summaryComponents"] if c["compensationType"] == "Salary"]
                assert salary["interval"] in {"1 YEAR", "1 MONTH", "1 HOUR"}
                assert 0 < salary["minValue"] <= salary["maxValue"]
            else:
                assert compensation["compensationTiers"] == [] and compensation["summaryComponents"] == []
            if not job["isListed"]:
                unlisted.append(job["title"])
    assert 2 <= len(unlisted) <= 3, unlisted


def test_ids_are_unique_and_urls_stay_on_reserved_example_domains():
    for kind in KINDS:
        ids = []
        for file in board_files(kind):
            body = load(file)
            jobs = body if kind == "lever" else body["jobs"]
            ids += [job["id"] for job in jobs]
        assert len(ids) == len(set(ids)), kind
    for posting in postings():
        for url in posting["urls"]:
            host = urlsplit(url).hostname
            assert url.startswith("https://") and re.search(r"(^|\.)example\.(com|org|net)$", host), url


def test_postings_are_varied_real_ads_not_a_template():
    listed = [p for p in postings() if p["listed"]]
    for p in listed:
        words = len(p["text"].split())
        assert 80 <= words <= 260, (p["board"], p["title"], words)
    shingles = [_shingles(p["text"]) for p in listed]
    for (a, sa), (b, sb) in itertools.combinations(zip(listed, shingles), 2):
        overlap = len(sa & sb) / len(sa | sb)
        # Ads of one company share its "about us"; ads of different companies must not share wording.
        limit = 0.5 if a["board"] == b["board"] else 0.2
        assert overlap < limit, (a["board"], a["title"], b["board"], b["title"], round(overlap, 2))
    places = {p["place"] for p in listed}
    assert any("Remote" in place for place in places)
    assert sum(bool(re.search(r", (NY|MA|TX|IL|CO|WA|CA|PA|OR|OH|TN|GA|ON|BC|QC|AB)$", pl)) for pl in places) >= 10
    assert sum(bool(re.search(r"(Germany|Netherlands|United Kingdom|Ireland|Portugal|Spain|France|Poland|Denmark)", pl))
               for pl in places) >= 10
    commitments = {re.sub(r"[^a-z]", "", (p.get("commitment") or "full-time").lower()) for p in listed}
    assert {"fulltime", "parttime", "contract", "intern"} <= commitments, commitments
    titles = " ".join(p["title"] for p in listed).lower()
    for occupation in ("backend", "frontend", "data", "machine learning", "reliability", "product manager",
                       "designer", "nurse", "teacher", "sales", "support", "marketing", "accountant",
                       "hr ", "warehouse", "chef", "counsel", "paralegal"):
        assert occupation in titles, occupation
    for seniority in ("junior", "senior", "staff", "head of", "director", "manager", "intern"):
        assert seniority in titles, seniority


def _shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_sources_file_lists_every_board_once_with_the_demo_placeholder():
    entries = sources()
    on_disk = {(kind, f.stem) for kind in KINDS for f in board_files(kind)}
    assert {(s["kind"], s["board"]) for s in entries} == on_disk and len(entries) == len(on_disk)
    assert all(s["api_base"] == "{demo}" and s["company"] for s in entries)
    assert len({s["company"] for s in entries}) == len(entries)
    greenhouse_names = {f.stem: load(f)["jobs"][0]["company_name"] for f in board_files("greenhouse")}
    for s in entries:
        if s["kind"] == "greenhouse":
            assert s["company"] == greenhouse_names[s["board"]]


def test_sample_rejection_is_a_senior_backend_role_at_a_demo_company():
    text = (DEMO / "rejection.md").read_text(encoding="utf-8")
    assert "Senior Backend Engineer" in text.splitlines()[0]
    assert any(s["company"] in text.splitlines()[0] for s in sources())
    assert 100 <= len(text.split()) <= 250


def test_committed_boards_match_a_fresh_build_of_the_texts(tmp_path):
    subprocess.run([sys.executable, "-B", str(DEMO / "build_boards.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    for kind in KINDS:
        for file in board_files(kind):
            assert (tmp_path / "boards" / kind / file.name).read_bytes() == file.read_bytes(), file
        assert len(list((tmp_path / "boards" / kind).glob("*.json"))) == len(board_files(kind))
    assert (tmp_path / "sources.toml").read_text() == (DEMO / "sources.toml").read_text()


@pytest.fixture(scope="module")
def served():
    """A running board server with the demo tree added, and the (kind, board) pairs it serves."""
    with BoardServer() as server:
        yield server, server.add_tree(BOARDS)


def fetch(url: str):
    with urlopen(url, timeout=60) as response:
        assert response.status == 200
        return json.loads(response.read())


def test_board_server_serves_every_demo_board_at_its_real_api_path(served):
    server, pairs = served
    assert sorted(pairs) == sorted((s["kind"], s["board"]) for s in sources())
    for kind, board in pairs:
        expected = load(BOARDS / kind / f"{board}.json")
        path = {
            "greenhouse": f"/v1/boards/{board}/jobs?content=true",
            "lever": f"/v0/postings/{board}?mode=json",
            "ashby": f"/posting-api/job-board/{board}?includeCompensation=true",
        }[kind]
        assert fetch(server.url + path) == expected, (kind, board)


def test_board_server_pages_a_demo_lever_board(served):
    server, _ = served
    board = board_files("lever")[0].stem
    everything = load(BOARDS / "lever" / f"{board}.json")
    first = fetch(f"{server.url}/v0/postings/{board}?mode=json&skip=0&limit=5")
    rest = fetch(f"{server.url}/v0/postings/{board}?mode=json&skip=5&limit=100")
    assert len(first) == 5 and first + rest == everything
