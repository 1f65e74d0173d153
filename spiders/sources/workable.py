"""Workable widget API: ``{api_base}/api/v1/widget/accounts/{board}?details=true``, one page per account."""

from __future__ import annotations

from spiders.cleaning import Html
from spiders.sources.common import SourceSpider, join_place


class WorkableSpider(SourceSpider):
    """Every published job of one Workable account, with its description (``details=true``)."""

    name = "workable"
    default_api_base = "https://apply.workable.com"

    async def start(self):
        """The account's only page."""
        yield self.page(f"{self.api_base}/api/v1/widget/accounts/{self.board}?details=true")

    def parse(self, response):
        """Yield one posting per job; the account's name is the company."""
        account = self.read_object(response, "jobs")
        for job in account["jobs"]:
            if not isinstance(job, dict):
                continue
            places = [join_place(p.get("city"), p.get("region"), p.get("country"))
                      for p in job.get("locations") or [] if not p.get("hidden")]
            loader = self.loader()
            loader.add_value("source_id", job.get("shortcode"))
            loader.add_value("url", job.get("url") or job.get("shortlink"))
            loader.add_value("title", job.get("title"))
            loader.add_value("company", account.get("name"))
            loader.add_value("locations", places or join_place(job.get("city"), job.get("state"), job.get("country")))
            loader.add_value("is_remote", job.get("telecommuting"))
            loader.add_value("department", job.get("department"))
            loader.add_value("employment_type", job.get("employment_type"))
            loader.add_value("description", Html(job.get("description") or ""))
            loader.add_value("posted_at", job.get("published_on") or job.get("created_at"))
            yield loader.load_item()
