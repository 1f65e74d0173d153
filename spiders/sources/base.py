"""What every board spider shares: its arguments, page accounting for completeness, and error capture.

Every page that fails is counted in the crawl stats as ``failed/<reason>`` (``http_503``, ``timeout``,
``connection``, ``truncated``, ``too_large``, ``refused``, ``dns``, ``robots``, ``not_json``, ``bad_shape``, ...);
the crawl runner reports those counts in the status file beside the error messages.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net

from spiders.errors import BadArgument, UnexpectedResponse
from spiders.loaders import PostingLoader

_NOT_A_TOKEN = re.compile(r"[/\\?#\x00-\x1f\x7f]|\.\.")
BODY_MAX_BYTES = 64 * 1024 * 1024
BODY_WARN_BYTES = 16 * 1024 * 1024

# Download failures by reason; the first class a failure matches names it. HttpError is checked before these.
_FAILURE_REASONS: tuple[tuple[str, tuple[type[BaseException], ...]], ...] = (
    ("timeout", (DownloadTimeoutError, net.TimeoutError, net.TCPTimedOutError)),
    ("truncated", (ResponseDataLossError,)),
    ("too_large", (DownloadCancelledError,)),
    ("refused", (DownloadConnectionRefusedError, net.ConnectionRefusedError)),
    ("dns", (CannotResolveHostError, net.DNSLookupError)),
    ("connection", (DownloadFailedError, net.ConnectionLost, net.ConnectionDone, net.ConnectError)),
    ("robots", (IgnoreRequest,)),
)


def json_body(response: Response) -> Any:
    """The JSON document of a response, read from its bytes as UTF-8 whatever charset the server declared.

    JSON on the web is UTF-8 (RFC 8259), and servers often label it wrongly (``charset=iso-8859-1``) or not at all;
    only a body that is not valid UTF-8 is decoded with the declared charset, or cp1252 when it declared UTF-8.
    Raises ``UnexpectedResponse`` (reason ``not_json``) when the body is not JSON.
    """
    body = response.body
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        declared = (getattr(response, "encoding", None) or "").lower().replace("_", "-")
        fallback = declared if declared and declared not in ("utf-8", "utf8") else "cp1252"
        text = body.decode(fallback, errors="replace")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise unexpected(f"{response.url} is not JSON: {exc}", "not_json") from exc


def unexpected(message: str, reason: str) -> UnexpectedResponse:
    """An ``UnexpectedResponse`` carrying the short ``reason`` under which the crawl counts it."""
    exc = UnexpectedResponse(message)
    exc.reason = reason
    return exc


def failure_reason(failure) -> str:
    """The short reason a download failed: ``http_<status>``, ``timeout``, ``connection``, ... or ``other``."""
    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    for reason, classes in _FAILURE_REASONS:
        if failure.check(*classes):
            return reason
    return "other"


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
        if _NOT_A_TOKEN.search(self.board):
            # The board goes into the API's URL path: "../x" or "a?b" would ask for another resource entirely.
            raise BadArgument(f"board {self.board!r} is not a board token (no /, \\, ?, #, .. or control characters)")
        self.company = company.strip() if company and company.strip() else None
        self.api_base = (api_base or self.default_api_base).rstrip("/")
        self.errors: list[str] = []
        self.pages_requested = 0
        self.pages_parsed = 0

    @classmethod
    def update_settings(cls, settings) -> None:
        """Apply this kind's polite delay from ``DOWNLOAD_DELAYS`` and the body size limits, at spider priority."""
        super().update_settings(settings)
        # Scrapy's defaults (1 GB, warn at 32 MB) let one broken board exhaust memory; real board pages with full
        # descriptions stay under a few MB, the biggest boards near 20 MB. --set on the command line still wins.
        settings.set("DOWNLOAD_MAXSIZE", BODY_MAX_BYTES, priority="spider")
        settings.set("DOWNLOAD_WARNSIZE", BODY_WARN_BYTES, priority="spider")
        delays = settings.getdict("DOWNLOAD_DELAYS")
        if cls.name in delays:
            settings.set("DOWNLOAD_DELAY", float(delays[cls.name]), priority="spider")
            # AutoThrottle's start delay is for hosts nobody has measured; this kind's delay is what its API is
            # known to accept, so the first request after robots.txt waits that long. AutoThrottle still raises
            # the delay as soon as the host answers slowly.
            settings.set("AUTOTHROTTLE_START_DELAY", float(delays[cls.name]), priority="spider")

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
        if self._unchanged(response):
            self.pages_parsed += 1
            return []
        data = json_body(response)
        if key is not None:
            data = data.get(key) if isinstance(data, dict) else None
        if not isinstance(data, list):
            where = f"a list under {key!r}" if key else "a JSON list"
            raise unexpected(f"{response.url} did not hold {where}", "bad_shape")
        self.pages_parsed += 1
        return [posting for posting in data if isinstance(posting, dict)]

    def _unchanged(self, response: Response) -> bool:
        """Record the body's sha256 (stat ``board/body_sha256``) of a one-page board; True when it equals the
        hash of the board's last complete read (spider argument ``unchanged_sha256``): the caller then parses
        nothing and the loader keeps the board's postings as they are (stat ``board/unchanged``)."""
        if self.pages_requested != 1:
            return False
        digest = hashlib.sha256(response.body).hexdigest()
        crawler = getattr(self, "crawler", None)
        if crawler is not None and crawler.stats is not None:
            crawler.stats.set_value("board/body_sha256", digest)
        if getattr(self, "unchanged_sha256", None) != digest:
            return False
        self.count("board/unchanged")
        return True

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

    def fail(self, reason: str, message: str) -> None:
        """Record one failure: its message in ``errors`` and its reason in the ``failed/<reason>`` stat."""
        self.errors.append(message)
        self.count(f"failed/{reason}")

    def page_failed(self, failure) -> None:
        """Errback: record why a page could not be fetched (HTTP error, robots.txt, network), after any retries."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        retried = request.meta.get("retry_times", 0) if request is not None else 0
        after = f" (after {retried} retr{'y' if retried == 1 else 'ies'})" if retried else ""
        reason = failure_reason(failure)
        if failure.check(HttpError):
            self.fail(reason, f"HTTP {failure.value.response.status} at {url}{after}")
        else:
            self.fail(reason, f"{failure.type.__name__}: {_short(failure.getErrorMessage())} at {url}{after}")

    def _on_spider_error(self, failure, response=None, spider=None, **kwargs: Any) -> None:
        if spider is self:
            url = getattr(response, "url", "?")
            reason = getattr(failure.value, "reason", None) or (
                "bad_response" if failure.check(UnexpectedResponse) else "spider_error")
            self.fail(reason, f"{failure.type.__name__}: {_short(failure.getErrorMessage())} at {url}")

    def _on_item_error(self, failure, item=None, response=None, spider=None, **kwargs: Any) -> None:
        if spider is self:
            self.fail("pipeline_error", f"{failure.type.__name__} in a pipeline: {_short(failure.getErrorMessage())}")


def _short(message: str, limit: int = 300) -> str:
    """An error message on one line and at most ``limit`` characters (a server can put anything in one)."""
    line = " ".join(str(message).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
