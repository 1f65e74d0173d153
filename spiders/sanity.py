"""Item pipeline: blank the values no real posting has, and strip characters that could drive a terminal.

A posting with an absurd value is still a real opening, so it is kept and only the value is cleared: a date
in year 9999 or before 2000, a negative, zero or astronomically large salary, a minimum above the maximum.
Control characters (ESC sequences, C1 controls, bidirectional overrides) are removed from every text field.
Each repair increments the ``cleared/<reason>`` stat, which the crawl runner reports in the status file.
"""

from __future__ import annotations

import math
import re
from dataclasses import fields
from datetime import datetime, timedelta, timezone

from itemadapter import ItemAdapter

from spiders.items import PostingItem

# Tab and newline stay; every other C0 control, DEL, the C1 controls and the bidi embedding/override/isolate
# characters go. ESC alone is enough to recolour, retitle or clear a terminal.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
# Clocks differ; a posting dated a little ahead of ours is fine, one dated next year is not.
FUTURE_SLACK = timedelta(days=2)
DEADLINE_HORIZON = timedelta(days=5 * 366)
SALARY_MAX = 10_000_000.0  # per period, in any currency this side of hyperinflation
TITLE_MAX = 300
DESCRIPTION_MAX = 200_000

_TEXT_FIELDS = tuple(f.name for f in fields(PostingItem) if f.type in ("str", "str | None"))


class SanePostingPipeline:
    """Clears absurd dates and salaries and strips control characters, counting each repair by reason."""

    def __init__(self, stats, now: datetime | None = None) -> None:
        self.stats = stats
        self.now = now

    @classmethod
    def from_crawler(cls, crawler):
        """Build the pipeline with the crawler's stats collector."""
        return cls(crawler.stats)

    def process_item(self, item):
        """Return ``item`` with its absurd values cleared; never drops it."""
        adapter = ItemAdapter(item)
        self._strip_controls(adapter)
        now = self.now or datetime.now(timezone.utc)
        for name in ("posted_at", "updated_at"):
            self._check_date(adapter, name, EARLIEST, now + FUTURE_SLACK)
        self._check_date(adapter, "valid_through", EARLIEST, now + DEADLINE_HORIZON)
        self._check_salary(adapter)
        self._cap(adapter, "title", TITLE_MAX)
        self._cap(adapter, "description", DESCRIPTION_MAX)
        return item

    def clear(self, adapter: ItemAdapter, name: str, reason: str) -> None:
        """Blank field ``name`` and count ``reason``."""
        adapter[name] = None
        self.stats.inc_value(f"cleared/{reason}")

    def _strip_controls(self, adapter: ItemAdapter) -> None:
        found = False
        for name in _TEXT_FIELDS:
            value = adapter.get(name)
            if isinstance(value, str) and CONTROL_CHARS.search(value):
                adapter[name] = CONTROL_CHARS.sub("", value)
                found = True
        locations = adapter.get("locations") or []
        if any(CONTROL_CHARS.search(place) for place in locations):
            adapter["locations"] = [CONTROL_CHARS.sub("", place) for place in locations]
            found = True
        if found:
            self.stats.inc_value("cleared/control_characters")

    def _check_date(self, adapter: ItemAdapter, name: str, earliest: datetime, latest: datetime) -> None:
        value = adapter.get(name)
        if not value:
            return
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            self.clear(adapter, name, f"{name}_unreadable")
            return
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        if not earliest <= moment <= latest:
            self.clear(adapter, name, f"{name}_out_of_range")

    def _check_salary(self, adapter: ItemAdapter) -> None:
        for name in ("salary_min", "salary_max"):
            value = adapter.get(name)
            if value is None:
                continue
            try:
                amount = float(value)
            except (TypeError, ValueError):
                amount = math.nan
            if not (math.isfinite(amount) and 0 < amount <= SALARY_MAX):
                self.clear(adapter, name, "salary_out_of_range")
        low, high = adapter.get("salary_min"), adapter.get("salary_max")
        if low is not None and high is not None and float(low) > float(high):
            self.clear(adapter, "salary_min", "salary_min_above_max")
            adapter["salary_max"] = None
        if adapter.get("salary_min") is None and adapter.get("salary_max") is None:
            adapter["salary_currency"] = None
            adapter["salary_period"] = None

    def _cap(self, adapter: ItemAdapter, name: str, limit: int) -> None:
        value = adapter.get(name)
        if isinstance(value, str) and len(value) > limit:
            adapter[name] = value[: limit - 1].rstrip() + "…"
            self.stats.inc_value(f"cleared/{name}_too_long")
