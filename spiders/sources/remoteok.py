"""Remote OK public API: ``{api_base}/api`` (optionally ``?tag=BOARD``), the whole board in one JSON list.

Element 0 of the list is Remote OK's legal notice, not a job. Terms: credit Remote OK and link directly to the
job's Remote OK URL (``credit`` and ``url`` on every posting).
"""

from __future__ import annotations

import html
from urllib.parse import quote

from spiders.cleaning import Html
from spiders.sources.common import SourceSpider


class RemoteOkSpider(SourceSpider):
    """Every job Remote OK lists; ``board`` optionally names a tag."""

    name = "remoteok"
    default_api_base = "https://remoteok.com"
    needs_board = False
    aggregates_companies = True
    credit = "Remote OK"

    async def start(self):
        """The board's one request."""
        query = f"?tag={quote(self.board)}" if self.board else ""
        yield self.page(f"{self.api_base}/api{query}")

    def parse(self, response):
        """Yield one posting per job, skipping the legal notice."""
        for job in self.read_page(response):
            if "legal" in job and not job.get("id"):
                continue
            salary_given = bool(job.get("salary_min") or job.get("salary_max"))
            loader = self.loader()
            loader.add_value("source_id", job.get("id"))
            loader.add_value("url", job.get("url"))
            loader.add_value("title", html.unescape(job.get("position") or ""))
            loader.add_value("company", html.unescape(job.get("company") or ""))
            # "Krishnagiri, " : Remote OK leaves the region empty after the comma.
            loader.add_value("locations", (job.get("location") or "").strip().rstrip(",").strip() or None)
            loader.add_value("is_remote", True)
            loader.add_value("salary_min", job.get("salary_min"))
            loader.add_value("salary_max", job.get("salary_max"))
            if salary_given:
                # Remote OK publishes yearly salaries in US dollars.
                loader.add_value("salary_currency", "USD")
                loader.add_value("salary_period", "year")
            loader.add_value("description", Html(job.get("description") or ""))
            loader.add_value("posted_at", job.get("date"))
            yield loader.load_item()
