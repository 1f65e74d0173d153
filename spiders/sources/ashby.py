"""Ashby posting API: ``{api_base}/posting-api/job-board/{board}?includeCompensation=true``, one page."""

from __future__ import annotations

from spiders.cleaning import Html
from spiders.sources.base import BoardSpider


def salary_component(compensation: dict | None) -> dict:
    """The salary component of an Ashby ``compensation`` object (the board-wide summary first), or ``{}``."""
    if not compensation:
        return {}
    candidates = list(compensation.get("summaryComponents") or [])
    for tier in compensation.get("compensationTiers") or []:
        candidates.extend(tier.get("components") or [])
    for component in candidates:
        if component.get("compensationType") == "Salary" and (component.get("minValue") or component.get("maxValue")):
            return component
    return {}


class AshbySpider(BoardSpider):
    """Every listed job of one Ashby job board, with compensation when the company publishes it."""

    name = "ashby"
    default_api_base = "https://api.ashbyhq.com"

    async def start(self):
        """The board's first (for Greenhouse and Ashby: only) page."""
        yield self.page(f"{self.api_base}/posting-api/job-board/{self.board}?includeCompensation=true")

    def parse(self, response):
        """Yield one posting per listed job; unlisted jobs are never kept."""
        for job in self.read_page(response, "jobs"):
            if job.get("isListed") is False:
                self.count("dropped/unlisted")
                continue
            salary = salary_component(job.get("compensation"))
            loader = self.loader()
            loader.add_value("source_id", job.get("id"))
            loader.add_value("url", job.get("jobUrl"))
            loader.add_value("title", job.get("title"))
            loader.add_value("locations", job.get("location"))
            loader.add_value("locations", [s.get("location") for s in job.get("secondaryLocations") or []])
            loader.add_value("is_remote", job.get("workplaceType"))
            loader.add_value("is_remote", job.get("isRemote"))
            loader.add_value("department", job.get("department"))
            loader.add_value("employment_type", job.get("employmentType"))
            loader.add_value("salary_min", salary.get("minValue"))
            loader.add_value("salary_max", salary.get("maxValue"))
            loader.add_value("salary_currency", salary.get("currencyCode"))
            loader.add_value("salary_period", salary.get("interval"))
            loader.add_value("description", job.get("descriptionPlain") or Html(job.get("descriptionHtml") or ""))
            loader.add_value("posted_at", job.get("publishedAt"))
            loader.add_value("updated_at", job.get("updatedAt"))
            yield loader.load_item()
