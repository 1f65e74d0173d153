"""Shared builders for the digest, doors and feedback tests (no tests here): a data home with postings loaded at
test-controlled dates, embedded with the hashing encoder, indexed and matched."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from corpus import embedding, index_sync
from corpus.encoders import stored_name
from datahome.settings import load_settings
from embeddings.encoder import HashingEncoder
from recommend import matching
from tests.support.warehouse_rows import posting, write_feed
from warehouse import connect, load_feed, posting_id
from warehouse.rejections import add_rejection

ENCODER = HashingEncoder(dim=256)
ROLE = ("Data Engineer", "Build batch and streaming data pipelines in Python, SQL, Spark and Airflow; "
        "model the warehouse; own data quality.")
DATA_TEXT = "Build data pipelines in Python, SQL, Spark and Airflow; model the warehouse and own data quality."
OTHER_TEXT = "Care for patients on the cardiology ward; night shifts; medication rounds; family liaison."


def pid(source_id: str) -> int:
    """The posting id of a test posting on the greenhouse board."""
    return posting_id("greenhouse", source_id)


def job(source_id: str, title: str, company: str, text: str = DATA_TEXT, **fields) -> dict:
    """One feed record at a company with its own description."""
    return posting(source_id, title=title, company=company, description=text, **fields)


def at(day: date) -> datetime:
    """The crawl moment of a day (02:00 UTC)."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def settings(home):
    s = load_settings()
    s.ensure_dirs()
    return s


class Home:
    """A data home that tests drive night by night with explicit dates."""

    def __init__(self, settings, tmp_path: Path):
        self.settings = settings
        self.tmp_path = tmp_path
        self.listed: dict[str, dict] = {}
        self.nights = 0

    def reject(self, title=ROLE[0], company="Initech", text=ROLE[1], on: date | None = None,
               cooloff_days: int | None = None) -> int:
        """Record a rejection, optionally with its own cool-off."""
        from warehouse.feedback import set_cooloff_days

        with connect(self.settings.db_path) as con:
            rejection_id = add_rejection(con, title=title, company=company, text=text, rejected_on=on)
            if cooloff_days is not None:
                set_cooloff_days(con, rejection_id, cooloff_days)
        return rejection_id

    def night(self, day: date, add: list[dict] = (), remove: tuple[str, ...] = (), k: int = 10) -> None:
        """One nightly run on ``day``: the board lists what it listed before plus ``add`` minus ``remove``; then
        embed, index and match as of ``day``."""
        for record in add:
            self.listed[record["source_id"]] = record
        for source_id in remove:
            self.listed.pop(source_id, None)
        self.nights += 1
        feed = write_feed(self.tmp_path / f"night{self.nights}.jsonl", list(self.listed.values()))
        with connect(self.settings.db_path) as con:
            load_feed(con, feed, source="greenhouse", board="acme", complete=True, crawled_at=at(day))
        embedding.embed_missing(self.settings, ENCODER)
        index_sync.refresh_index(self.settings, model=stored_name(self.settings, ENCODER))
        matching.compute_matches(self.settings, f"run-{self.nights:03d}", k=k, encoder=ENCODER, today=day)

    def digest(self, day: date, week: str | None = None, send: bool = False):
        """Run the digest of ``week`` (default: the week of ``day``) as of ``day``."""
        from digest import run_digest

        return run_digest(self.settings, week=week, today=day, send=send, encoder=ENCODER)

    def prepared(self, day: date, week: str | None = None):
        """Choose and render a digest without recording it."""
        from digest.run import prepare_digest

        return prepare_digest(self.settings, week, day, encoder=ENCODER)


@pytest.fixture
def world(settings, tmp_path) -> Home:
    return Home(settings, tmp_path)


HOSTILE_TITLE = "<script>alert(1)</script> Data Engineer"
HOSTILE_COMPANY = "<img src=x onerror=alert(1)>Evil & Sons"
HOSTILE_PLACE = "](javascript:alert(1)) # Heading\n\n<b>bold</b> *stars* `code`"
HOSTILE_CREDIT = "<iframe src=//evil.example></iframe> via [link](javascript:alert(2))"


def hostile_world(world: Home) -> Home:
    """A week whose scraped strings try to run script or inject markup, beside two ordinary postings."""
    world.reject(title="Data Engineer **bold** <u>", company="Initech", on=date(2026, 11, 2))
    world.night(date(2026, 11, 10), add=[
        job("1", "Data Engineer", "Acme"),
        job("2", "Senior Data Engineer", "Globex", salary_min=None, salary_max=None),
        job("666", HOSTILE_TITLE, HOSTILE_COMPANY, locations=[HOSTILE_PLACE], credit=HOSTILE_CREDIT,
            url="javascript:alert(1)", salary_currency='"><svg onload=alert(1)>'),
    ])
    from warehouse.feedback import mark_posting

    with connect(world.settings.db_path) as con:
        mark_posting(con, pid("666"), "saved", note='<a href="javascript:alert(3)">note</a> [x](javascript:y)')
    return world
