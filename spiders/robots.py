"""robots.txt read once per host for all the boards one crawl process reads (not once per board)."""

from __future__ import annotations

from typing import ClassVar

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware whose parsed files outlive one crawler.

    `spiders.crawl --jobs` runs the boards of one host one after another in one process; each board is its own
    crawler, and Scrapy's middleware would fetch the host's robots.txt again for every one of them. A parsed
    file is kept for the process (a few minutes at most), so the host answers one robots.txt request per night.
    A failed fetch is not kept: the next board asks again.
    """

    parsed: ClassVar[dict[str, object]] = {}

    def __init__(self, crawler):
        super().__init__(crawler)
        self._parsers.update(self.parsed)

    async def _parse_robots(self, response, netloc, request) -> None:
        await super()._parse_robots(response, netloc, request)
        SharedRobotsTxtMiddleware.parsed[netloc] = self._parsers[netloc]
