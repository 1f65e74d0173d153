"""Hacker News "Ask HN: Who is hiring?" threads through the public item API: ``{api_base}/v0/item/{id}.json``.

``board`` is the thread's item id. The thread lists its top-level comments in ``kids``; each is fetched and its
header (``Company | Role | Location | ...``) read by ``hn_header``; a header that names the company but no role
takes the roles its body lists (``hn_roles``). A comment naming several roles yields one posting per role; a
comment with no company in its header, or no concrete role in its header or a list of its body, is counted
(``dropped/unparseable``), never guessed at.
"""

from __future__ import annotations

from spiders.cleaning import Html, epoch_seconds
from spiders.errors import BadArgument
from spiders.sources.base import unexpected
from spiders.sources.common import SourceSpider
from spiders.sources.hn_roles import posting_header
from spiders.sources.salary_text import parse_salary

ITEM_PAGE = "https://news.ycombinator.com/item?id={id}"


class HackerNewsSpider(SourceSpider):
    """The job postings of one "Who is hiring?" thread, one request per top-level comment."""

    name = "hn"
    default_api_base = "https://hacker-news.firebaseio.com"
    aggregates_companies = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.board.isdigit():
            raise BadArgument(f"the hn spider's board is the thread's item id (digits), not {self.board!r}")

    def item_url(self, item_id: object) -> str:
        """The API URL of one item."""
        return f"{self.api_base}/v0/item/{item_id}.json"

    async def start(self):
        """The thread item."""
        yield self.request(self.item_url(self.board), self.parse)

    def parse(self, response):
        """Request every top-level comment of the thread."""
        thread = self.read_object(response)
        for kid in thread.get("kids") or []:
            yield self.request(self.item_url(kid), self.parse_comment)

    def parse_comment(self, response):
        """Yield one posting per role the comment names (in its header, else in a list in its body)."""
        comment = self.read_document(response)
        if comment is not None and not isinstance(comment, dict):
            raise unexpected(f"{response.url} did not hold an HN item", "bad_shape")
        # The API answers ``null`` for an item that no longer exists.
        if comment is None or comment.get("deleted") or comment.get("dead") or not comment.get("text"):
            self.count("dropped/deleted")
            return
        header = posting_header(comment["text"])
        if header is None:
            self.count("dropped/unparseable")
            return
        several = len(header.titles) > 1
        for number, title in enumerate(header.titles, start=1):
            loader = self.loader()
            loader.add_value("source_id", f"{comment['id']}-{number}" if several else comment["id"])
            loader.add_value("url", ITEM_PAGE.format(id=comment["id"]))
            loader.add_value("title", title)
            loader.add_value("company", header.company)
            loader.add_value("locations", header.locations)
            loader.add_value("is_remote", header.is_remote)
            loader.add_value("employment_type", header.employment_type)
            for field, value in parse_salary(header.salary).items():
                loader.add_value(field, value)
            loader.add_value("description", Html(comment["text"]))
            loader.add_value("posted_at", epoch_seconds(comment.get("time")))
            yield loader.load_item()
