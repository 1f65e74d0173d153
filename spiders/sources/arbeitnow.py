"""Arbeitnow job board API: ``{api_base}/api/job-board-api?page=N``, paged while ``links.next`` is set."""

from __future__ import annotations

from spiders.cleaning import as_markup, epoch_seconds
from spiders.errors import BadArgument
from spiders.sources.common import SourceSpider


class ArbeitnowSpider(SourceSpider):
    """Every job Arbeitnow lists; ``board`` optionally keeps only jobs whose title or tags contain it."""

    name = "arbeitnow"
    default_api_base = "https://www.arbeitnow.com"
    needs_board = False
    aggregates_companies = True

    def __init__(self, *args, max_pages: int | str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        try:
            self.max_pages = int(max_pages) if max_pages is not None else None
        except ValueError:
            self.max_pages = 0
        if self.max_pages is not None and self.max_pages < 1:
            raise BadArgument(f"max_pages must be a positive integer, not {max_pages!r}")

    async def start(self):
        """The first page."""
        if self.max_pages is None:
            self.max_pages = self.settings.getint("MAX_PAGES", 50)
        yield self.page_number(1)

    def page_number(self, number: int):
        """The request for page ``number`` (1-based)."""
        return self.page(f"{self.api_base}/api/job-board-api?page={number}", cb_kwargs={"number": number})

    def parse(self, response, number: int = 1):
        """Yield the page's jobs, then ask for the next page when the API links one."""
        for job in self.read_page(response, "data"):
            if self.board and not self.matches(job):
                self.count("filtered")
                continue
            loader = self.loader()
            loader.add_value("source_id", job.get("slug"))
            loader.add_value("url", job.get("url"))
            loader.add_value("title", job.get("title"))
            loader.add_value("company", job.get("company_name"))
            loader.add_value("locations", job.get("location"))
            loader.add_value("is_remote", job.get("remote"))
            loader.add_value("employment_type", job.get("job_types"))
            loader.add_value("description", as_markup(job.get("description")))
            loader.add_value("posted_at", epoch_seconds(job.get("created_at")))
            yield loader.load_item()
        links = self.links_of(response)
        if links.get("next"):
            if number >= (self.max_pages or 0):
                self.fail("page_cap", f"stopped after {number} pages (max_pages); the rest of the board was not read")
            else:
                yield self.page_number(number + 1)

    def matches(self, job: dict) -> bool:
        """Whether the job's title or one of its tags contains the board's term (case-insensitive)."""
        term = self.board.casefold()
        return term in str(job.get("title") or "").casefold() or any(
            term in str(tag).casefold() for tag in job.get("tags") or [])

    @staticmethod
    def links_of(response) -> dict:
        """The page's ``links`` object (empty when the envelope has none)."""
        try:
            links = response.json().get("links")
        except (ValueError, AttributeError):
            return {}
        return links if isinstance(links, dict) else {}
