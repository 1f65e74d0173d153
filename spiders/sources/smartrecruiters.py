"""SmartRecruiters posting API: ``{api_base}/v1/companies/{board}/postings?offset=N&limit=M`` pages the list,
then ``.../postings/{id}`` gives each posting's text (the list carries none)."""

from __future__ import annotations

from spiders.cleaning import Html
from spiders.errors import BadArgument
from spiders.sources.common import SourceSpider, join_place

# The order a job ad's sections read in on SmartRecruiters' own pages.
SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


class SmartRecruitersSpider(SourceSpider):
    """Every public posting of one SmartRecruiters company, ``page_size`` per list page, each with its detail."""

    name = "smartrecruiters"
    default_api_base = "https://api.smartrecruiters.com"
    public_origin = "https://jobs.smartrecruiters.com"

    def __init__(self, *args, page_size: int | str = 100, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        try:
            self.page_size = int(page_size)
        except ValueError:
            self.page_size = 0
        if not 1 <= self.page_size <= 100:
            raise BadArgument(f"page_size must be an integer from 1 to 100 (the API's maximum), not {page_size!r}")
        self.detail_ids: set[str] = set()

    async def start(self):
        """The first list page."""
        yield self.list_page(0)

    def list_page(self, offset: int):
        """The request for the list page starting at ``offset``."""
        url = f"{self.api_base}/v1/companies/{self.board}/postings?offset={offset}&limit={self.page_size}"
        return self.request(url, self.parse, cb_kwargs={"offset": offset})

    def parse(self, response, offset: int = 0):
        """Request each listed posting's detail, then the next list page while the list goes on."""
        page = self.read_object(response, "content")
        content = [summary for summary in page["content"] if isinstance(summary, dict)]
        for summary in content:
            posting_id = str(summary.get("id") or "")
            if not posting_id:
                self.count("dropped/missing_source_id")
                continue
            if posting_id in self.detail_ids:
                # Pages overlap when postings are added during a crawl; the detail is already on its way.
                self.count("dropped/duplicate")
                continue
            self.detail_ids.add(posting_id)
            yield self.request(f"{self.api_base}/v1/companies/{self.board}/postings/{posting_id}", self.parse_detail,
                               cb_kwargs={"summary": summary}, meta={"handle_httpstatus_list": [404]})
        total = int(page.get("totalFound") or 0)
        following = offset + len(content)
        if content and following < total:
            yield self.list_page(following)

    def parse_detail(self, response, summary: dict):
        """The posting from its list entry and its detail; a detail answering 404 was withdrawn meanwhile."""
        if response.status == 404:
            self.pages_parsed += 1
            self.count("dropped/withdrawn")
            return
        detail = self.read_object(response)
        company = summary.get("company") or {}
        location = summary.get("location") or {}
        sections = ((detail.get("jobAd") or {}).get("sections")) or {}
        identifier = company.get("identifier") or self.board
        loader = self.loader()
        loader.add_value("source_id", summary.get("id"))
        loader.add_value("url", detail.get("postingUrl") or f"{self.public_origin}/{identifier}/{summary.get('id')}")
        loader.add_value("title", summary.get("name"))
        loader.add_value("company", company.get("name"))
        loader.add_value("locations", location.get("fullLocation")
                         or join_place(location.get("city"), location.get("region"), location.get("country")))
        loader.add_value("is_remote", location.get("remote"))
        loader.add_value("department", (summary.get("department") or {}).get("label"))
        loader.add_value("department", (summary.get("function") or {}).get("label"))
        loader.add_value("employment_type", (summary.get("typeOfEmployment") or {}).get("label"))
        for key in SECTIONS:
            loader.add_value("description", Html((sections.get(key) or {}).get("text") or ""))
        loader.add_value("posted_at", summary.get("releasedDate"))
        return loader.load_item()
