"""Item pipelines: drop postings a user could not use, counting each drop reason in the crawl stats.

Each drop raises ``DropItem`` with a reason and increments the ``dropped/<reason>`` stat, which the crawl
runner reports in the status file.
"""

from __future__ import annotations

from datetime import datetime, timezone

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

REQUIRED_FIELDS = ("title", "source_id", "url")


class _CountingPipeline:
    """Shared wiring: keep the crawler's stats collector and count drops by reason."""

    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        """Build the pipeline with the crawler's stats collector."""
        return cls(crawler.stats)

    def drop(self, reason: str, item) -> DropItem:
        """Count ``reason`` and return the ``DropItem`` to raise for ``item``."""
        self.stats.inc_value(f"dropped/{reason}")
        adapter = ItemAdapter(item)
        key = f"{adapter.get('source')}:{adapter.get('source_id') or '?'}"
        return DropItem(f"{reason}: {key} {adapter.get('url') or ''}".rstrip())


class ValidatePostingPipeline(_CountingPipeline):
    """Drops postings without a title, source id or http(s) url."""

    def process_item(self, item):
        """Return ``item`` when it has every required field, else raise ``DropItem``."""
        adapter = ItemAdapter(item)
        for name in REQUIRED_FIELDS:
            if not adapter.get(name):
                raise self.drop(f"missing_{name}", item)
        if not str(adapter["url"]).startswith(("http://", "https://")):
            raise self.drop("bad_url", item)
        return item


class DedupePostingPipeline(_CountingPipeline):
    """Drops a posting whose source id was already seen in this crawl (overlapping pages)."""

    def __init__(self, stats) -> None:
        super().__init__(stats)
        self.seen: set[tuple[str, str]] = set()

    def process_item(self, item):
        """Return ``item`` the first time its (source, source_id) is seen, else raise ``DropItem``."""
        adapter = ItemAdapter(item)
        key = (adapter.get("source"), adapter.get("source_id"))
        if key in self.seen:
            raise self.drop("duplicate", item)
        self.seen.add(key)
        return item


class ExpiredPostingPipeline(_CountingPipeline):
    """Drops a posting whose ``valid_through`` has passed: its board still shows it, but it takes no applicants.

    Dropped postings are not in the feed, so a complete crawl closes them in the warehouse.
    """

    def __init__(self, stats, now: datetime | None = None) -> None:
        super().__init__(stats)
        self.now = now

    def process_item(self, item):
        """Return ``item`` unless its ``valid_through`` lies before now, else raise ``DropItem``."""
        adapter = ItemAdapter(item)
        valid_through = adapter.get("valid_through")
        if not valid_through:
            return item
        try:
            moment = datetime.fromisoformat(str(valid_through).replace("Z", "+00:00"))
        except ValueError:
            return item
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        if moment < (self.now or datetime.now(timezone.utc)):
            raise self.drop("expired", item)
        return item
