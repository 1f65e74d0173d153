"""The Ashby spider's callback: unlisted jobs never kept, compensation to salary, recorded boards."""

from __future__ import annotations

import json

from spiders.items import PostingItem
from spiders.sources.ashby import AshbySpider, salary_component
from tests.support.spiders import ATS_2026, OWN_FIXTURES, as_dicts, response_for, shared

URL = "https://api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true"


def test_own_board_skips_unlisted_and_reads_compensation():
    spider = AshbySpider(board="brightwater", company="Brightwater Labs")
    response = response_for(URL.format(board="brightwater"), OWN_FIXTURES / "ashby" / "brightwater.json")
    items = list(spider.parse(response))
    common = dict(source="ashby", board="brightwater", company="Brightwater Labs")
    assert items == [
        PostingItem(
            **common, source_id="a5b6c7d8-0000-4000-8000-000000000001",
            url="https://jobs.ashbyhq.com/brightwater/a5b6c7d8-0000-4000-8000-000000000001",
            title="Product Designer", locations=["Amsterdam", "Berlin"], is_remote=False, department="Design",
            employment_type="Full-time", salary_min=70000.0, salary_max=90000.0, salary_currency="EUR",
            salary_period="year",
            description="Design dashboards that utility engineers trust.\n\n- Figma\n- User research",
            posted_at="2026-09-05T12:30:45Z",
        ),
        PostingItem(
            **common, source_id="a5b6c7d8-0000-4000-8000-000000000003",
            url="https://jobs.ashbyhq.com/brightwater/a5b6c7d8-0000-4000-8000-000000000003",
            title="Data Analyst (Contract)", locations=["Remote: Europe"], is_remote=True, department="Analytics",
            employment_type="Contract", description="The work\n\nSix-month contract analysing sensor data.",
            posted_at="2026-09-07T08:00:00Z",
        ),
    ]


def test_salary_component_prefers_the_summary_and_ignores_empty_ones():
    salary = {"compensationType": "Salary", "interval": "1 YEAR", "currencyCode": "USD", "minValue": 1, "maxValue": 2}
    empty = dict(salary, minValue=None, maxValue=None)
    assert salary_component(None) == {}
    assert salary_component({"summaryComponents": [empty], "compensationTiers": []}) == {}
    assert salary_component({"summaryComponents": [], "compensationTiers": [{"components": [salary]}]}) == salary


def test_recorded_openevidence_board_yields_exact_items():
    file = shared(ATS_2026 / "ashby" / "ericleerepo__ashby.json")
    spider = AshbySpider(board="openevidence", company="OpenEvidence")
    items = as_dicts(spider.parse(response_for(URL.format(board="openevidence"), file)))
    descriptions = [item.pop("description") for item in items]
    none = dict(salary_min=None, salary_max=None, salary_currency=None, salary_period=None, updated_at=None,
                valid_through=None, credit=None)
    common = dict(source="ashby", board="openevidence", company="OpenEvidence", locations=["San Francisco", "Miami"],
                  is_remote=False, department="Engineering", employment_type="Full-time", **none)
    assert items == [
        dict(common, source_id="4c577aae-1ad0-444b-9e15-2ad994333de4",
             url="https://jobs.ashbyhq.com/openevidence/4c577aae-1ad0-444b-9e15-2ad994333de4",
             title="Member of Technical Staff", posted_at="2026-01-22T21:44:44Z"),
        dict(common, source_id="db203104-7408-48ee-8e11-25340e11b739",
             url="https://jobs.ashbyhq.com/openevidence/db203104-7408-48ee-8e11-25340e11b739",
             title="Software Engineer, Data Platform", posted_at="2026-02-23T04:19:16Z"),
    ]
    assert descriptions[0].startswith("OpenEvidence is the most widely used medical AI platform in the world.\n\n")
    assert descriptions[1].endswith("in-person 5 days a week in SF or Miami.")


def test_hybrid_jobs_flagged_remote_by_ashby_are_not_remote():
    file = shared(ATS_2026 / "ashby" / "TheGamer406__ashby.json")
    jobs = json.loads(file.read_text())["jobs"]
    assert {(j["isRemote"], j["workplaceType"]) for j in jobs} == {(True, "Hybrid")}
    items = as_dicts(AshbySpider(board="notion").parse(response_for(URL.format(board="notion"), file)))
    assert [i["is_remote"] for i in items] == [False, False, False]
    assert [i["company"] for i in items] == ["Notion"] * 3
