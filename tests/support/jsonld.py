"""Career pages built around the recorded NHS Jobs ``JobPosting`` objects (jsonld-nhs), and a sitemap of them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.spiders import SHARED_FIXTURES, shared

NHS_RECORDS = SHARED_FIXTURES / "jsonld-nhs" / "records"


def recorded_postings(limit: int | None = None) -> list[tuple[str, dict]]:
    """(vacancy id, JobPosting object) of the recorded files, by name (skips without ../shared)."""
    files = sorted(shared(NHS_RECORDS).glob("*.json"))[:limit]
    return [(file.stem, json.loads(file.read_text(encoding="utf-8"))) for file in files]


def page_html(*postings: dict, extra: str = "") -> bytes:
    """An HTML career page embedding each posting in its own ``<script type="application/ld+json">``."""
    scripts = "".join(f'<script type="application/ld+json">{json.dumps(p)}</script>' for p in postings)
    return (f"<!doctype html><html><head><title>Vacancy</title>{scripts}</head>"
            f"<body><h1>Vacancy</h1>{extra}</body></html>").encode("utf-8")


def sitemap_xml(urls: list[str]) -> bytes:
    """A sitemap ``urlset`` listing ``urls``."""
    entries = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{entries}</urlset>").encode("utf-8")


def sitemap_index_xml(urls: list[str]) -> bytes:
    """A sitemap index listing other sitemaps."""
    entries = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in urls)
    return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{entries}</sitemapindex>").encode("utf-8")


def write(path: Path, body: bytes) -> Path:
    """Write ``body`` to ``path`` and return it."""
    path.write_bytes(body)
    return path
