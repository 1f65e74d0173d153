"""Validation and dedupe pipelines: drops with a reason, counted per reason in the crawl stats."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from spiders.items import PostingItem
from spiders.pipelines import DedupePostingPipeline, ValidatePostingPipeline


def _item(**changes) -> PostingItem:
    values = dict(source="lever", board="acme", source_id="1", url="https://jobs.example.org/1", title="Engineer")
    return PostingItem(**(values | changes))


@pytest.fixture
def stats():
    return MemoryStatsCollector(get_crawler())


def test_valid_items_pass_unchanged(stats):
    item = _item()
    assert ValidatePostingPipeline(stats).process_item(item) is item
    assert stats.get_stats() == {}


@pytest.mark.parametrize("change, reason", [
    ({"title": ""}, "missing_title"), ({"source_id": ""}, "missing_source_id"), ({"url": ""}, "missing_url"),
    ({"url": "javascript:void(0)"}, "bad_url"),
])
def test_invalid_items_are_dropped_and_counted_by_reason(stats, change, reason):
    pipeline = ValidatePostingPipeline(stats)
    with pytest.raises(DropItem, match=reason):
        pipeline.process_item(_item(**change))
    with pytest.raises(DropItem):
        pipeline.process_item(_item(**change))
    assert stats.get_value(f"dropped/{reason}") == 2


def test_a_repeated_source_id_is_dropped_as_duplicate(stats):
    pipeline = DedupePostingPipeline(stats)
    pipeline.process_item(_item())
    pipeline.process_item(_item(source_id="2"))
    with pytest.raises(DropItem, match="duplicate"):
        pipeline.process_item(_item(title="Engineer (reposted)"))
    assert stats.get_value("dropped/duplicate") == 1
