"""Career pages carrying schema.org ``JobPosting`` JSON-LD, from a list of page URLs and/or a sitemap.

Arguments: ``board`` (a name for the site), ``urls`` (page URLs: a list, or a JSON list as ``-a urls=[...]``) and
``sitemap`` (a sitemap or sitemap index URL; every page it lists is read). A page answering 404 or 410 is gone:
it yields nothing, so a complete crawl closes its posting; a page without a ``JobPosting`` is counted, not failed.
The posting's key (``source_id``) is the page URL it was read from.
"""

from __future__ import annotations

import gzip
import html
import json
from typing import Any, Iterator

from scrapy.utils.sitemap import Sitemap

from spiders.cleaning import as_markup
from spiders.errors import BadArgument
from spiders.sources.base import unexpected
from spiders.sources.common import SourceSpider, join_place

GONE = (404, 410)


def url_list(value: Any) -> list[str]:
    """Page URLs from a list or a JSON list (how ``-a urls=...`` arrives); raises ``BadArgument`` otherwise."""
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
        if isinstance(value, str):
            value = [value]
    if not isinstance(value, list) or not all(isinstance(u, str) and u.startswith(("http://", "https://"))
                                              for u in value):
        raise BadArgument(f"urls must be a list of http(s) URLs, not {value!r}")
    return value


def job_postings(document: Any) -> Iterator[dict]:
    """Every ``JobPosting`` object in a JSON-LD document (top level, in a list or in an ``@graph``)."""
    if isinstance(document, list):
        for entry in document:
            yield from job_postings(entry)
    elif isinstance(document, dict):
        kind = document.get("@type")
        if kind == "JobPosting" or (isinstance(kind, list) and "JobPosting" in kind):
            yield document
        yield from job_postings(document.get("@graph"))


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    return _text(value)


def _text(value: Any) -> str | None:
    """A JSON-LD text value; sites often entity-escape them (``General &amp; Respiratory``)."""
    return html.unescape(value) if isinstance(value, str) else None


def place(location: Any) -> str | None:
    """``"Locality, Region, Country"`` of a ``Place`` (or its ``PostalAddress``, or plain text)."""
    if isinstance(location, str):
        return location
    if not isinstance(location, dict):
        return None
    address = location.get("address")
    if isinstance(address, str) or address is None:
        return address or _name(location)
    locality = address.get("addressLocality")
    if isinstance(locality, str) and locality.isupper() and len(locality) > 3:
        locality = locality.title()  # "ARLESEY" -> "Arlesey"
    return join_place(locality, address.get("addressRegion"), _name(address.get("addressCountry")))


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def salary_fields(base_salary: Any) -> dict:
    """Salary fields of a ``MonetaryAmount`` (``value`` a number or a ``QuantitativeValue``)."""
    if not isinstance(base_salary, dict):
        return {}
    value = base_salary.get("value")
    fields = {"salary_currency": base_salary.get("currency")}
    if isinstance(value, dict):
        fields["salary_min"] = value.get("minValue") if value.get("minValue") is not None else value.get("value")
        fields["salary_max"] = value.get("maxValue") if value.get("maxValue") is not None else value.get("value")
        fields["salary_period"] = value.get("unitText")
    else:
        fields["salary_min"] = fields["salary_max"] = value
    return fields


class JsonLdSpider(SourceSpider):
    """Every ``JobPosting`` on the given pages and on the pages a sitemap lists."""

    name = "jsonld"

    def __init__(self, *args, urls: Any = None, sitemap: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.urls = url_list(urls)
        self.sitemap = (sitemap or "").strip() or None
        if self.sitemap and not self.sitemap.startswith(("http://", "https://")):
            raise BadArgument(f"sitemap must be an http(s) URL, not {sitemap!r}")
        if not self.urls and not self.sitemap:
            raise BadArgument("the jsonld spider needs page urls (-a urls=[...]) or a sitemap (-a sitemap=URL)")
        self.pages_seen: set[str] = set()

    async def start(self):
        """The given pages, then the sitemap."""
        for url in self.urls:
            request = self.job_page(url)
            if request is not None:
                yield request
        if self.sitemap:
            yield self.request(self.sitemap, self.parse_sitemap)

    def job_page(self, url: str):
        """The request for one page (once per crawl); 404 and 410 reach the callback as "gone"."""
        if url in self.pages_seen:
            return None
        self.pages_seen.add(url)
        return self.request(url, self.parse, cb_kwargs={"page_url": url}, meta={"handle_httpstatus_list": list(GONE)})

    def parse_sitemap(self, response):
        """Request every page a sitemap lists, and every sitemap a sitemap index lists."""
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # lxml's errors vary by version; any of them means "not a sitemap"
            raise unexpected(f"{response.url} is not a sitemap: {exc}", "bad_shape") from exc
        self.pages_parsed += 1
        for entry in sitemap:
            loc = entry.get("loc")
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                yield self.request(response.urljoin(loc), self.parse_sitemap)
            else:
                request = self.job_page(response.urljoin(loc))
                if request is not None:
                    yield request

    def parse(self, response, page_url: str = ""):
        """Yield the page's job postings; a gone page yields none."""
        page_url = page_url or response.url
        self.pages_parsed += 1
        if response.status in GONE:
            self.count("dropped/page_gone")
            return
        postings = []
        for script in response.xpath('//script[contains(@type, "ld+json")]/text()').getall():
            try:
                postings.extend(job_postings(json.loads(script, strict=False)))
            except ValueError:
                self.count("dropped/bad_jsonld")
        if not postings:
            self.count("dropped/no_jobposting")
        for number, posting in enumerate(postings, start=1):
            yield self.posting(posting, page_url if number == 1 else f"{page_url}#{number}", page_url)

    def posting(self, posting: dict, source_id: str, page_url: str):
        """The item for one ``JobPosting`` object read from ``page_url``."""
        url = posting.get("url")
        remote = posting.get("jobLocationType") in ("TELECOMMUTE", ["TELECOMMUTE"])
        loader = self.loader()
        loader.add_value("source_id", source_id)
        loader.add_value("url", url if isinstance(url, str) and url.startswith(("http://", "https://")) else page_url)
        loader.add_value("title", _text(posting.get("title")))
        loader.add_value("company", _name(posting.get("hiringOrganization")))
        loader.add_value("locations", [place(location) for location in _as_list(posting.get("jobLocation"))])
        if remote:
            loader.add_value("locations", [_name(a) for a in _as_list(posting.get("applicantLocationRequirements"))])
            loader.add_value("is_remote", True)
        for field, value in salary_fields(posting.get("baseSalary")).items():
            loader.add_value(field, value)
        loader.add_value("employment_type", _as_list(posting.get("employmentType")))
        loader.add_value("description", as_markup(posting.get("description")))
        loader.add_value("posted_at", posting.get("datePosted"))
        loader.add_value("valid_through", posting.get("validThrough"))
        return loader.load_item()
