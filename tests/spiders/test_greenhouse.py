"""The Greenhouse spider's callback on our own board and on real recorded responses."""

from __future__ import annotations

import asyncio
import json

from spiders.items import PostingItem
from spiders.sources.greenhouse import GreenhouseSpider
from tests.support.spiders import ATS_2026, OWN_FIXTURES, as_dicts, response_for, shared

URL = "https://boards-api.greenhouse.io/v1/boards/{board}/jobs?content=true"


def _first_request(spider):
    async def first():
        async for request in spider.start():
            return request

    return asyncio.run(first())


def test_requests_the_real_api_path_under_the_api_base():
    assert _first_request(GreenhouseSpider(board="gitlab")).url == URL.format(board="gitlab")
    mirror = GreenhouseSpider(board="gitlab", api_base="http://127.0.0.1:8000/")
    assert _first_request(mirror).url == "http://127.0.0.1:8000/v1/boards/gitlab/jobs?content=true"


def test_own_board_yields_clean_items_from_escaped_html():
    spider = GreenhouseSpider(board="brightwater")
    response = response_for(URL.format(board="brightwater"), OWN_FIXTURES / "greenhouse" / "brightwater.json")
    items = list(spider.parse(response))
    common = dict(source="greenhouse", board="brightwater", company="Brightwater Labs")
    assert items == [
        PostingItem(
            **common, source_id="7001001", url="https://job-boards.greenhouse.io/brightwater/jobs/7001001",
            title="Senior Data Engineer", locations=["Remote - Europe"], is_remote=True, department="Engineering",
            description=(
                "About the role\n\n"
                "Brightwater Labs builds water-quality sensors for city utilities. You will own our data pipelines.\n\n"
                "What you will do\n\n- Design streaming ingestion\n- Keep dashboards fast & correct\n\n"
                "Salary: competitive."
            ),
            posted_at="2026-08-30T13:00:00Z", updated_at="2026-09-02T14:15:00Z", valid_through="2026-12-31T00:00:00Z",
        ),
        PostingItem(
            **common, source_id="7001002", url="https://job-boards.greenhouse.io/brightwater/jobs/7001002",
            title="Field Technician", locations=["Rotterdam, Netherlands"], is_remote=None, department="Operations",
            description=("Field Technician\nInstall and calibrate sensors across the Rotterdam network.\n\n"
                         "Driving licence required."),
            posted_at="2026-09-01T06:00:00Z", updated_at="2026-09-03T06:00:00Z",
        ),
        # The callback only selects; the validation pipeline drops this title-less job.
        PostingItem(
            **common, source_id="7001003", url="https://job-boards.greenhouse.io/brightwater/jobs/7001003",
            title="", locations=["Rotterdam, Netherlands"], description="Draft posting.",
            posted_at="2026-09-01T06:00:00Z", updated_at="2026-09-03T06:00:00Z",
        ),
    ]
    assert spider.pages_parsed == 1


def test_recorded_gitlab_board_yields_exact_items():
    file = shared(ATS_2026 / "greenhouse" / "TheGamer406__greenhouse.json")
    items = as_dicts(GreenhouseSpider(board="gitlab").parse(response_for(URL.format(board="gitlab"), file)))
    descriptions = [item.pop("description") for item in items]
    none = dict(employment_type=None, salary_min=None, salary_max=None, salary_currency=None, salary_period=None,
                valid_through=None, credit=None)
    common = dict(source="greenhouse", board="gitlab", company="GitLab", is_remote=True, **none)
    assert items == [
        dict(common, source_id="8503792002", url="https://job-boards.greenhouse.io/gitlab/jobs/8503792002",
             title="Account Executive - Italy", locations=["Remote, Italy"], department="EMEA - Commercial",
             posted_at="2026-04-17T09:58:03Z", updated_at="2026-08-10T20:52:46Z"),
        dict(common, source_id="8556658002", url="https://job-boards.greenhouse.io/gitlab/jobs/8556658002",
             title="AI Engineer", locations=["Remote, Bangalore"], department="Enterprise Applications",
             posted_at="2026-05-22T13:16:29Z", updated_at="2026-08-11T12:18:18Z"),
        dict(common, source_id="8638232002", url="https://job-boards.greenhouse.io/gitlab/jobs/8638232002",
             title="AI Transformation Owner, CRO", locations=["Remote, United States"], department="Enablement",
             posted_at="2026-07-22T17:38:40Z", updated_at="2026-08-10T20:52:46Z"),
    ]
    for text in descriptions:
        assert text.startswith("GitLab is the intelligent orchestration platform for DevSecOps. GitLab enables")
        assert text.endswith("please let us know during the recruiting process.")
        assert "<" not in text and "&lt;" not in text and "&amp;" not in text and "&nbsp;" not in text
        assert "\n\n" in text  # paragraphs survive


def test_every_recorded_greenhouse_job_becomes_an_item():
    for file in sorted(shared(ATS_2026 / "greenhouse").glob("*.json")):
        jobs = json.loads(file.read_text())["jobs"]
        items = as_dicts(GreenhouseSpider(board="b").parse(response_for(URL.format(board="b"), file)))
        assert [i["source_id"] for i in items] == [str(j["id"]) for j in jobs], file.name
        assert [i["company"] for i in items] == [j["company_name"] for j in jobs], file.name
        assert all(i["description"] and "</" not in i["description"] for i in items), file.name
