"""A small real world for the web app's tests: postings imported through `plenty import` into a fresh data home
(embedded by whichever encoder the test configures), and the app over it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli

HOSTILE_TITLE = '<script>alert("owned")</script> Data Engineer'
POSTINGS = [
    {"title": "Registered Nurse, ICU", "company": "Harbor Hospital", "locations": ["Boston, MA"],
     "description": "Intensive care unit nursing: ventilated patients, critical care, night shifts.",
     "url": "https://jobs.example.org/harbor/1", "source_id": "h1"},
    {"title": "Critical Care Nurse", "company": "Lakeside Medical", "locations": ["Chicago, IL"],
     "description": "Critical care nursing in our ICU; patient monitoring and ventilators.",
     "url": "https://jobs.example.org/lakeside/1", "source_id": "l1"},
    {"title": "Community Nurse", "company": "Lakeside Medical", "locations": ["Chicago, IL"],
     "description": "Home visits and community nursing care.", "url": "https://jobs.example.org/lakeside/2",
     "source_id": "l2"},
    {"title": "Senior Backend Engineer", "company": "Ledgerline", "locations": ["Berlin"],
     "description": "Build payment APIs in Python and PostgreSQL; distributed systems.",
     "url": "https://jobs.example.org/ledgerline/1", "source_id": "g1", "salary_min": 70000, "salary_max": 90000,
     "salary_currency": "EUR", "salary_period": "year"},
    {"title": "Backend Engineer, Payments", "company": "Copperleaf Pay", "locations": ["Remote"], "is_remote": True,
     "description": "Payments platform backend services in Python; Kafka and PostgreSQL.",
     "url": "https://jobs.example.org/copperleaf/1", "source_id": "c1"},
    {"title": "Backend Engineer, Billing", "company": "Copperleaf Pay", "locations": ["London"],
     "description": "Billing and invoicing services; APIs in Python and Go.",
     "url": "https://jobs.example.org/copperleaf/2", "source_id": "c2"},
    {"title": HOSTILE_TITLE, "company": "Evil <b>Corp</b>", "locations": ["<img src=x onerror=alert(3)>"],
     "description": "Data pipelines in Python and SQL.", "url": "https://jobs.example.org/evil?\"><script>alert(4)</script>", "source_id": "e1"},
]


def import_world(tmp_path: Path, postings: list[dict] = POSTINGS) -> None:
    """Import `postings` into the data home of PLENTY_HOME (which the test has set)."""
    path = tmp_path / "postings.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in postings), encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(path)])
    assert result.exit_code == 0, result.output


def csrf_of(page: str) -> str:
    """The CSRF token in a page's forms."""
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)


def posting_ids(page: str) -> list[int]:
    """The posting ids of a page's match cards, in order."""
    return [int(i) for i in re.findall(r'<li class="match" data-posting="(\d+)"', page)]
