"""Scrapy spiders that read public job boards and hand postings over as JSONL feeds."""
