"""Lever postings API: ``{api_base}/v0/postings/{board}?mode=json&skip=N&limit=M``, paged until a short page."""

from __future__ import annotations

from spiders.cleaning import Html
from spiders.errors import BadArgument
from spiders.sources.base import BoardSpider


class LeverSpider(BoardSpider):
    """Every posting of one Lever site, ``page_size`` postings per request."""

    name = "lever"
    default_api_base = "https://api.lever.co"

    def __init__(self, *args, page_size: int | str = 100, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        try:
            self.page_size = int(page_size)
        except ValueError:
            self.page_size = 0
        if self.page_size < 1:
            # limit=0 makes the real API return everything at once, so paging would never see a short page.
            raise BadArgument(f"page_size must be a positive integer, not {page_size!r}")

    async def start(self):
        """The board's first (for Greenhouse and Ashby: only) page."""
        yield self.page_at(0)

    def page_at(self, skip: int):
        """The request for the page starting at posting ``skip``."""
        url = f"{self.api_base}/v0/postings/{self.board}?mode=json&skip={skip}&limit={self.page_size}"
        return self.page(url, cb_kwargs={"skip": skip})

    def parse(self, response, skip: int = 0):
        """Yield the page's postings, then request the next page unless this one was short."""
        postings = self.read_page(response)
        for posting in postings:
            yield self.posting(posting)
        if len(postings) >= self.page_size:
            yield self.page_at(skip + len(postings))

    def posting(self, posting: dict):
        """The item for one Lever posting."""
        categories = posting.get("categories") or {}
        salary = posting.get("salaryRange") or {}
        loader = self.loader()
        loader.add_value("source_id", posting.get("id"))
        loader.add_value("url", posting.get("hostedUrl"))
        loader.add_value("title", posting.get("text"))
        loader.add_value("locations", categories.get("allLocations") or categories.get("location"))
        loader.add_value("is_remote", posting.get("workplaceType"))
        loader.add_value("department", categories.get("department"))
        loader.add_value("department", categories.get("team"))
        loader.add_value("employment_type", categories.get("commitment"))
        loader.add_value("salary_min", salary.get("min"))
        loader.add_value("salary_max", salary.get("max"))
        loader.add_value("salary_currency", salary.get("currency"))
        loader.add_value("salary_period", salary.get("interval"))
        loader.add_value("description", posting.get("descriptionPlain") or Html(posting.get("description") or ""))
        for section in posting.get("lists") or []:
            loader.add_value("description", section.get("text"))
            loader.add_value("description", Html(section.get("content") or ""))
        loader.add_value("description", posting.get("additionalPlain") or Html(posting.get("additional") or ""))
        loader.add_value("posted_at", posting.get("createdAt"))
        loader.add_value("updated_at", posting.get("updatedAt"))
        return loader.load_item()
