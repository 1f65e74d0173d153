"""Greenhouse job board API: ``{api_base}/v1/boards/{board}/jobs?content=true``, one page per board."""

from __future__ import annotations

from spiders.cleaning import EscapedHtml
from spiders.sources.base import BoardSpider


class GreenhouseSpider(BoardSpider):
    """Every job of one Greenhouse board, with its (entity-escaped HTML) content."""

    name = "greenhouse"
    default_api_base = "https://boards-api.greenhouse.io"

    async def start(self):
        """The board's first (for Greenhouse and Ashby: only) page."""
        yield self.page(f"{self.api_base}/v1/boards/{self.board}/jobs?content=true")

    def parse(self, response):
        """Yield one posting per job of the board."""
        for job in self.read_page(response, "jobs"):
            location = (job.get("location") or {}).get("name")
            loader = self.loader()
            loader.add_value("source_id", job.get("id"))
            loader.add_value("url", job.get("absolute_url"))
            loader.add_value("title", job.get("title"))
            loader.add_value("company", job.get("company_name"))
            loader.add_value("locations", location)
            loader.add_value("is_remote", location)
            loader.add_value("department", [d.get("name") for d in job.get("departments") or []])
            loader.add_value("description", EscapedHtml(job.get("content") or ""))
            loader.add_value("posted_at", job.get("first_published"))
            loader.add_value("updated_at", job.get("updated_at"))
            loader.add_value("valid_through", job.get("application_deadline"))
            yield loader.load_item()
