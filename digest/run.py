"""One digest run: choose the week's items, write Markdown and HTML under the data home, send, record.

Only a delivered digest is recorded (its items marked as shown): written files when not sending, a successful
send when sending. A failed send records nothing, so the next run shows and sends the same items again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from datahome.files import write_atomically
from datahome.settings import Settings
from digest.mail import build_message, mail_settings, send_message, smtp_password
from digest.model import Digest
from digest.next_steps import add_next_steps
from digest.render_html import render_html
from digest.render_markdown import render_markdown
from digest.select import build_digest
from digest.weeks import parse_week, week_of
from recommend.doors import door_settings


@dataclass
class PreparedDigest:
    """A rendered digest and where its files were written."""

    digest: Digest
    markdown: str
    html: str
    markdown_path: Path
    html_path: Path


@dataclass
class DigestResult:
    """What a run did: the files, whether it was sent, how many items the week now records."""

    week: str
    markdown_path: Path
    html_path: Path
    sent: bool
    count_items: int
    empty: bool


def digests_dir(settings: Settings) -> Path:
    """Where digests are written: ``$PLENTY_HOME/digests``."""
    return settings.home / "digests"


def prepare_digest(settings: Settings, week: str | None, today: date, encoder=None) -> PreparedDigest:
    """Choose and render the digest of ``week`` (default: the week of ``today``) and write its two files.

    ``encoder`` (default: the configured model, loaded only when a rejecting company has new openings) scores
    those openings against the rejected role.
    """
    from corpus.encoders import load_encoder_for, stored_name
    from warehouse.db import connect

    week = parse_week(week) if week else week_of(today)
    model = stored_name(settings, encoder)
    loaded = [encoder]

    def encode(texts: list[str]):
        if loaded[0] is None:
            loaded[0] = load_encoder_for(settings)
        return loaded[0].encode(texts)

    settings.ensure_dirs()
    with connect(settings.db_path) as con:
        digest = build_digest(con, week, today, model=model, encode=encode, doors=door_settings(settings))
        add_next_steps(settings, con, digest)
    markdown, html = render_markdown(digest), render_html(digest)
    folder = digests_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    markdown_path, html_path = folder / f"{week}.md", folder / f"{week}.html"
    write_atomically(markdown_path, markdown)
    write_atomically(html_path, html)
    return PreparedDigest(digest, markdown, html, markdown_path, html_path)


def send_digest(settings: Settings, prepared: PreparedDigest) -> None:
    """Mail the prepared digest with the `[smtp]` settings; raises MailConfigError or SendFailed."""
    mail = mail_settings(settings.section("smtp"), str(settings.config_file))
    password = smtp_password(mail)
    message = build_message(prepared.digest.subject, prepared.markdown, prepared.html, mail)
    send_message(message, mail, password)


def record_delivery(settings: Settings, prepared: PreparedDigest, sent: bool, now: datetime | None = None) -> int:
    """Record the week as delivered and its items as shown; returns how many items the week holds."""
    from warehouse.db import connect
    from warehouse.digests import record_digest

    with connect(settings.db_path) as con:
        return record_digest(con, prepared.digest.week, prepared.digest.items(), sent=sent,
                             markdown_path=str(prepared.markdown_path), html_path=str(prepared.html_path), now=now)


def run_digest(settings: Settings, week: str | None = None, today: date | None = None, send: bool = False,
               encoder=None, now: datetime | None = None) -> DigestResult:
    """Prepare, optionally send, then record one week's digest (see the module docstring for what is recorded)."""
    today = today or date.today()
    if send:
        smtp_password(mail_settings(settings.section("smtp"), str(settings.config_file)))  # fail before writing
    prepared = prepare_digest(settings, week, today, encoder=encoder)
    if send:
        send_digest(settings, prepared)
    count = record_delivery(settings, prepared, sent=send, now=now)
    return DigestResult(prepared.digest.week, prepared.markdown_path, prepared.html_path, send, count,
                        prepared.digest.is_empty)

