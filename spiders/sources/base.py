"""What every board spider shares: its arguments, page accounting for completeness, and error capture."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError

from spiders.errors import BadArgument, UnexpectedResponse
from spiders.loaders import PostingLoader


class BoardSpider(scrapy.Spider):
    """A spider that reads one board of one source through its public JSON API.

    Arguments: ``board`` (required), ``company`` (display name; else from the data or the board) and
    ``api_base`` (API origin; default the real public one). A crawl is complete when every page requested
    was parsed and nothing failed; ``errors`` lists what went wrong.
    """

    default_api_base: ClassVar[str] = ""
    needs_board: ClassVar[bool] = True  # False for whole-site aggregators, which crawl with board ""

    def __init__(self, board: str | None = None, company: str | None = None, api_base: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.needs_board and not (board or "").strip():
            raise BadArgument(f"the {self.name} spider needs a board (--board TOKEN)")
        self.board = (board or "").strip()
        self.company = company.strip() if company and company.strip() else None
        self.api_base = (api_base or self.default_api_base).rstrip("/")
        self.errors: list[str] = []
        self.pages_requested = 0
        self.pages_parsed = 0

    @classmethod
    def update_settings(cls, settings) -> None:
        """Apply this kind's polite delay from ``DOWNLOAD_DELAYS`` at spider priority."""
        super().update_settings(settings)
        delays = settings.getdict("DOWNLOAD_DELAYS")
        if cls.name in delays:
            settings.set("DOWNLOAD_DELAY", float(delays[cls.name]), priority="spider")

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> "BoardSpider":
        """Create the spider and record callback and pipeline exceptions as crawl errors."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_spider_error, signal=signals.spider_error)
        crawler.signals.connect(spider._on_item_error, signal=signals.item_error)
        return spider

    @property
    def complete(self) -> bool:
        """True when at least one page was requested, every requested page was parsed and nothing failed."""
        return not self.errors and self.pages_requested > 0 and self.pages_parsed == self.pages_requested

    def page(self, url: str, **kwargs: Any) -> scrapy.Request:
        """A request for one page of the board, counted for completeness, failures recorded."""
        self.pages_requested += 1
        return scrapy.Request(url, callback=self.parse, errback=self.page_failed, **kwargs)

    def read_page(self, response: Response, key: str | None = None) -> list[dict]:
        """The list of postings in a JSON page (under ``key`` when given); counts the page as parsed."""
        try:
            data = json.loads(response.text)
        except ValueError as exc:
            raise UnexpectedResponse(f"{response.url} is not JSON: {exc}") from exc
        if key is not None:
            data = data.get(key) if isinstance(data, dict) else None
        if not isinstance(data, list):
            where = f"a list under {key!r}" if key else "a JSON list"
            raise UnexpectedResponse(f"{response.url} did not hold {where}")
        self.pages_parsed += 1
        return [posting for posting in data if isinstance(posting, dict)]

    def loader(self) -> PostingLoader:
        """A posting loader for this spider's source and board, with the company argument added first."""
        loader = PostingLoader(source=self.name, board=self.board)
        loader.add_value("company", self.company)
        return loader

    def count(self, stat: str) -> None:
        """Increment a crawl stat (a no-op when the spider runs without a crawler, as in unit tests)."""
        crawler = getattr(self, "crawler", None)
        if crawler is not None and crawler.stats is not None:
            crawler.stats.inc_value(stat)

    def page_failed(self, failure) -> None:
        """Errback: record why a page could not be fetched (HTTP error, robots.txt, network)."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if failure.check(HttpError):
            self.errors.append(f"HTTP {failure.value.response.status} at {url}")
        else:
            self.errors.append(f"{failure.type.__name__}: {failure.getErrorMessage()} at {url}")

    def _on_spider_error(self, failure, response=None, spider=None, **kwargs: Any) -> None:
        if spider is self:
            url = getattr(response, "url", "?")
            self.errors.append(f"{failure.type.__name__}: {failure.getErrorMessage()} at {url}")

    def _on_item_error(self, failure, item=None, response=None, spider=None, **kwargs: Any) -> None:
        if spider is self:
            self.errors.append(f"{failure.type.__name__} in a pipeline: {failure.getErrorMessage()}")
