"""Recruitee careers API: ``{origin}/api/offers/``, where the origin is ``https://{board}.recruitee.com``.

``api_base`` replaces the company's origin (a custom careers domain, or a mirror).
"""

from __future__ import annotations

from spiders.cleaning import Html
from spiders.sources.common import SourceSpider, join_place


def remote_flag(offer: dict) -> bool | None:
    """True for remote offers, False for on-site or hybrid ones, None when the offer does not say."""
    if offer.get("remote"):
        return True
    if offer.get("on_site") or offer.get("hybrid"):
        return False
    return None


class RecruiteeSpider(SourceSpider):
    """Every published offer of one Recruitee company."""

    name = "recruitee"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.api_base:
            self.api_base = f"https://{self.board}.recruitee.com"

    async def start(self):
        """The company's only page of offers."""
        yield self.page(f"{self.api_base}/api/offers/")

    def parse(self, response):
        """Yield one posting per offer, with its description and requirements."""
        for offer in self.read_page(response, "offers"):
            salary = offer.get("salary") or {}
            places = [join_place(p.get("city"), p.get("state"), p.get("country")) for p in offer.get("locations") or []]
            loader = self.loader()
            loader.add_value("source_id", offer.get("id"))
            loader.add_value("url", offer.get("careers_url"))
            loader.add_value("title", offer.get("title"))
            loader.add_value("company", offer.get("company_name"))
            loader.add_value("locations", places or join_place(offer.get("city"), offer.get("country")))
            loader.add_value("is_remote", remote_flag(offer))
            loader.add_value("department", offer.get("department"))
            # "fulltime_permanent" -> "fulltime" -> "Full-time"
            loader.add_value("employment_type", (offer.get("employment_type_code") or "").split("_")[0] or None)
            loader.add_value("salary_min", salary.get("min"))
            loader.add_value("salary_max", salary.get("max"))
            loader.add_value("salary_currency", salary.get("currency"))
            loader.add_value("salary_period", salary.get("period"))
            loader.add_value("description", Html(offer.get("description") or ""))
            loader.add_value("description", Html(offer.get("requirements") or ""))
            loader.add_value("posted_at", offer.get("published_at") or offer.get("created_at"))
            loader.add_value("updated_at", offer.get("updated_at"))
            loader.add_value("valid_through", offer.get("close_at"))
            yield loader.load_item()
