"""Personio XML feed: ``{origin}/xml?language=en``, where the origin is ``https://{board}.jobs.personio.de``.

``api_base`` replaces the company's origin (a custom careers domain, or a mirror).
"""

from __future__ import annotations

from parsel import Selector

from spiders.cleaning import Html
from spiders.sources.base import unexpected
from spiders.sources.common import SourceSpider


class PersonioSpider(SourceSpider):
    """Every open position of one Personio company."""

    name = "personio"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.api_base:
            self.api_base = f"https://{self.board}.jobs.personio.de"

    async def start(self):
        """The company's only feed."""
        yield self.page(f"{self.api_base}/xml?language=en")

    def parse(self, response):
        """Yield one posting per ``<position>``."""
        document = Selector(text=response.text, type="xml")
        if not document.xpath("/workzag-jobs"):
            raise unexpected(f"{response.url} is not a Personio <workzag-jobs> feed", "bad_shape")
        self.pages_parsed += 1
        for position in document.xpath("/workzag-jobs/position"):
            def text(path: str) -> str | None:
                return position.xpath(f"{path}/text()").get()

            loader = self.loader()
            loader.add_value("source_id", text("id"))
            if text("id"):
                loader.add_value("url", f"{self.api_base}/job/{text('id').strip()}")
            loader.add_value("title", text("name"))
            loader.add_value("company", text("subcompany"))
            loader.add_value("locations", text("office"))
            loader.add_value("is_remote", text("office"))
            loader.add_value("locations", position.xpath("additionalOffices/office/text()").getall())
            loader.add_value("department", text("department"))
            loader.add_value("employment_type", text("schedule"))
            loader.add_value("employment_type", text("employmentType"))
            for part in position.xpath("jobDescriptions/jobDescription"):
                loader.add_value("description", part.xpath("name/text()").get())
                loader.add_value("description", Html(part.xpath("value/text()").get() or ""))
            loader.add_value("posted_at", text("createdAt"))
            yield loader.load_item()
