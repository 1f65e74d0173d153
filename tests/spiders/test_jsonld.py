"""The JSON-LD spider on career pages embedding the recorded NHS Jobs ``JobPosting`` objects: every mapped field,
remote postings, pages without postings, gone pages, and sitemaps."""

from __future__ import annotations

import html

import pytest
from scrapy.http import HtmlResponse, TextResponse, XmlResponse

from spiders.cleaning import clean_line
from spiders.errors import BadArgument
from spiders.sources.jsonld import JsonLdSpider, url_list
from tests.support.jsonld import page_html, recorded_postings, sitemap_index_xml, sitemap_xml
from tests.support.spiders import as_dicts

PAGE = "https://careers.example/vacancy/{id}"


def _spider(**kwargs) -> JsonLdSpider:
    return JsonLdSpider(board="nhs", urls=kwargs.pop("urls", ["https://careers.example/"]), **kwargs)


def _items(spider, url: str, body: bytes, status: int = 200) -> list[dict]:
    response = HtmlResponse(url=url, body=body, status=status, encoding="utf-8")
    return as_dicts(spider.parse(response, page_url=url))


def test_a_recorded_posting_maps_every_field():
    vacancy, posting = recorded_postings()[0]
    assert vacancy == "915390428"
    items = _items(_spider(), PAGE.format(id=vacancy), page_html(posting))
    assert items == [dict(
        source="jsonld", board="nhs", source_id=PAGE.format(id=vacancy),
        url="https://www.jobs.nhs.uk/xi/vacancy/915390428",
        title="Salaried GP/Lead Gp", company="Central Advertising - General Practitioners", locations=["Arlesey, GB"],
        is_remote=None, department=None, employment_type="Full-time", salary_min=None, salary_max=None,
        salary_currency="GBP", salary_period="year",
        description=("Arlesey Medical Centre is looking for a Salaried GP flexible on days, hours, sessions to join "
                     "our small and friendly team.Also a chance to be on the Board of directors to make decisions on "
                     "running the practice.\n\nPatient list size is 4500"),
        posted_at="2018-12-27T10:50:17Z", updated_at=None, valid_through="2020-12-31T23:59:59Z", credit=None,
    )]


def test_every_recorded_posting_keeps_its_values():
    spider = _spider()
    records = recorded_postings()
    assert len(records) == 99
    for vacancy, posting in records:
        [item] = _items(spider, PAGE.format(id=vacancy), page_html(posting))
        amount = posting["baseSalary"]["value"]
        address = posting["jobLocation"]["address"]
        assert item["title"] == clean_line(html.unescape(posting["title"]))
        assert item["url"] == posting["url"] and item["source_id"] == PAGE.format(id=vacancy)
        assert item["company"] == clean_line(html.unescape(posting["hiringOrganization"]["name"]))
        assert item["locations"][0].endswith(", " + address["addressCountry"])
        assert item["salary_min"] == (float(amount["minValue"]) if "minValue" in amount else None)
        assert item["salary_max"] == (float(amount["maxValue"]) if "maxValue" in amount else None)
        assert item["salary_currency"] == posting["baseSalary"]["currency"] and item["salary_period"] == "year"
        assert item["employment_type"] == {"FULL_TIME": "Full-time", "PART_TIME": "Part-time",
                                           "TEMPORARY": "Temporary"}.get(posting["employmentType"], "OTHER")
        assert item["posted_at"][:10] == posting["datePosted"][:10]
        assert item["valid_through"][:10] == posting["validThrough"][:10]
        assert item["description"] and "<" not in item["description"] and "&lt;" not in item["description"]


def test_remote_postings_graphs_and_several_postings_on_one_page():
    (_, first), (_, second) = recorded_postings(2)
    remote = dict(first, jobLocationType="TELECOMMUTE", applicantLocationRequirements={"@type": "Country",
                                                                                        "name": "United Kingdom"})
    graph = {"@context": "https://schema.org", "@graph": [{"@type": "Organization", "name": "x"}, second]}
    items = _items(_spider(), PAGE.format(id=1), page_html(remote, graph))
    assert [(i["source_id"], i["title"], i["is_remote"], i["locations"]) for i in items] == [
        (PAGE.format(id=1), "Salaried GP/Lead Gp", True, ["Arlesey, GB", "United Kingdom"]),
        (PAGE.format(id=1) + "#2", "Staff Nurse", None, ["Cheshire, GB"]),
    ]


def test_gone_pages_and_pages_without_postings_yield_nothing_and_fail_nothing():
    spider = _spider()
    assert _items(spider, PAGE.format(id=1), b"gone", status=404) == []
    assert _items(spider, PAGE.format(id=2), b"gone", status=410) == []
    assert _items(spider, PAGE.format(id=3), page_html(extra="<p>About us</p>")) == []
    assert _items(spider, PAGE.format(id=4), b'<script type="application/ld+json">{not json</script>') == []
    assert spider.pages_parsed == 4 and spider.errors == []


def test_a_sitemap_index_and_a_sitemap_request_each_page_once():
    spider = _spider(urls=[PAGE.format(id=1)], sitemap="https://careers.example/sitemap.xml")
    assert spider.job_page(PAGE.format(id=1)) is not None
    index = XmlResponse(url="https://careers.example/sitemap.xml",
                        body=sitemap_index_xml(["https://careers.example/jobs.xml"]))
    assert [r.url for r in spider.parse_sitemap(index)] == ["https://careers.example/jobs.xml"]
    urlset = XmlResponse(url="https://careers.example/jobs.xml",
                         body=sitemap_xml([PAGE.format(id=1), PAGE.format(id=2), PAGE.format(id=2)]))
    requests = list(spider.parse_sitemap(urlset))
    assert [(r.url, r.meta["handle_httpstatus_list"]) for r in requests] == [(PAGE.format(id=2), [404, 410])]


def test_a_sitemap_that_is_not_one_is_an_error():
    from spiders.errors import UnexpectedResponse

    spider = _spider(sitemap="https://careers.example/sitemap.xml")
    with pytest.raises(UnexpectedResponse, match="not a sitemap"):
        list(spider.parse_sitemap(TextResponse(url="https://careers.example/sitemap.xml", body=b"{}")))


def test_arguments_need_pages_or_a_sitemap():
    with pytest.raises(BadArgument, match="urls"):
        JsonLdSpider(board="nhs")
    with pytest.raises(BadArgument, match="http"):
        JsonLdSpider(board="nhs", urls=["ftp://x"])
    with pytest.raises(BadArgument, match="sitemap"):
        JsonLdSpider(board="nhs", sitemap="careers.example/sitemap.xml")
    assert url_list('["https://a.example/1", "https://a.example/2"]') == ["https://a.example/1", "https://a.example/2"]
    assert url_list("https://a.example/1") == ["https://a.example/1"]
