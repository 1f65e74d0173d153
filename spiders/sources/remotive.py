"""Remotive public API: ``{api_base}/api/remote-jobs``, the whole board (or one category) in one answer.

Terms: Remotive asks for at most a few calls a day (``REFETCH_AFTER_SECONDS`` keeps answers for six hours) and
for a link back to the job's Remotive URL naming Remotive as the source (``url`` and ``credit``).
"""

from __future__ import annotations

from urllib.parse import quote

from spiders.cleaning import Html
from spiders.sources.common import SourceSpider
from spiders.sources.salary_text import parse_salary


class RemotiveSpider(SourceSpider):
    """Every job Remotive lists; ``board`` optionally names a category slug or ``search:TERM``."""

    name = "remotive"
    default_api_base = "https://remotive.com"
    needs_board = False
    aggregates_companies = True
    credit = "Remotive"

    async def start(self):
        """The board's one request."""
        query = ""
        if self.board.startswith("search:"):
            query = f"?search={quote(self.board.removeprefix('search:').strip())}"
        elif self.board:
            query = f"?category={quote(self.board)}"
        yield self.page(f"{self.api_base}/api/remote-jobs{query}")

    def parse(self, response):
        """Yield one posting per job; every Remotive job is remote."""
        for job in self.read_page(response, "jobs"):
            salary = parse_salary(job.get("salary"))
            loader = self.loader()
            loader.add_value("source_id", job.get("id"))
            loader.add_value("url", job.get("url"))
            loader.add_value("title", job.get("title"))
            loader.add_value("company", job.get("company_name"))
            loader.add_value("locations", job.get("candidate_required_location"))
            loader.add_value("is_remote", True)
            loader.add_value("department", job.get("category"))
            loader.add_value("employment_type", job.get("job_type"))
            for field, value in salary.items():
                loader.add_value(field, value)
            loader.add_value("description", Html(job.get("description") or ""))
            loader.add_value("posted_at", job.get("publication_date"))
            yield loader.load_item()
