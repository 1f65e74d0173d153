"""What the newer spiders share beyond ``BoardSpider``: counted requests with any callback, JSON documents that
are not lists, a company's own origin as the API base, and the per-source terms (call frequency, credit).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, ClassVar

import scrapy
from scrapy.http import Response

from spiders.loaders import PostingLoader
from spiders.sources.base import BoardSpider, json_body, unexpected


def terms_cache_dir(configured: str | None) -> Path:
    """Where responses of rate-limited sources are kept: the setting, else ``$PLENTY_HOME/cache/terms``."""
    if configured:
        return Path(configured).expanduser()
    home = os.environ.get("PLENTY_HOME") or Path.home() / ".plenty"
    return Path(home).expanduser() / "cache" / "terms"


class SourceSpider(BoardSpider):
    """A board spider with helpers for multi-step APIs and for sources whose terms the crawl must honour.

    ``credit`` is the attribution the source's terms require; it is set on every posting. When the source's
    kind has an entry in ``REFETCH_AFTER_SECONDS``, responses are answered from a cache until they are that old,
    so the source sees at most one call per period however often plenty runs.
    """

    credit: ClassVar[str | None] = None
    # Aggregators carry many companies: the company comes from each posting, never from the board or arguments.
    aggregates_companies: ClassVar[bool] = False

    @classmethod
    def update_settings(cls, settings) -> None:
        """Apply the kind's delay (``BoardSpider``) and, for rate-limited sources, the terms cache."""
        super().update_settings(settings)
        refetch = settings.getdict("REFETCH_AFTER_SECONDS").get(cls.name)
        if not refetch:
            return
        settings.set("HTTPCACHE_EXPIRATION_SECS", int(refetch), priority="spider")
        if not settings.getbool("HTTPCACHE_ENABLED"):
            # A development cache given on the command line (--http-cache) is used as it is.
            settings.set("HTTPCACHE_ENABLED", True, priority="spider")
            directory = terms_cache_dir(settings.get("TERMS_CACHE_DIR")) / cls.name
            settings.set("HTTPCACHE_DIR", str(directory.resolve()), priority="spider")

    def loader(self) -> PostingLoader:
        """A posting loader with the company argument (not for aggregators) and the source's credit."""
        if self.aggregates_companies:
            loader = PostingLoader(source=self.name, board=self.board, company_from_board=False)
        else:
            loader = super().loader()
        loader.add_value("credit", self.credit)
        return loader

    def request(self, url: str, callback: Callable, **kwargs: Any) -> scrapy.Request:
        """A counted request like ``page`` but with its own callback (detail pages, thread comments)."""
        self.pages_requested += 1
        return scrapy.Request(url, callback=callback, errback=self.page_failed, **kwargs)

    def read_document(self, response: Response) -> Any:
        """The JSON document of a response (object or list); counts the page as parsed."""
        data = json_body(response)
        self.pages_parsed += 1
        return data

    def read_object(self, response: Response, key: str | None = None) -> dict:
        """The JSON object of a response (holding a list under ``key`` when given); counts the page as parsed."""
        data = json_body(response)
        if not isinstance(data, dict):
            raise unexpected(f"{response.url} did not hold a JSON object", "bad_shape")
        if key is not None and not isinstance(data.get(key), list):
            raise unexpected(f"{response.url} did not hold a list under {key!r}", "bad_shape")
        self.pages_parsed += 1
        return data


def join_place(*parts: object) -> str | None:
    """``"City, Region, Country"`` from the non-empty parts, each kept once (``Tel Aviv, Tel Aviv`` -> once)."""
    seen: list[str] = []
    for part in parts:
        text = " ".join(str(part).split()) if part is not None else ""
        if text and text.casefold() not in (s.casefold() for s in seen):
            seen.append(text)
    return ", ".join(seen) or None
