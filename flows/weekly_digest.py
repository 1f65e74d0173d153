"""The weekly digest as a Prefect flow: prepare (choose, render, write) → send → record."""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from datahome.settings import Settings, load_settings
from digest import run
from digest.mail import mail_settings, smtp_password


@task(cache_policy=NONE)
def prepare_week(settings: Settings, week: str | None, today: date) -> run.PreparedDigest:
    """Choose the week's items, render Markdown and HTML, write both under the data home."""
    return run.prepare_digest(settings, week, today)


# I/O: a busy or briefly unreachable mail server gets two more tries; never cached, a send must really happen.
@task(retries=2, retry_delay_seconds=60, cache_policy=NONE)
def send_mail(settings: Settings, prepared: run.PreparedDigest) -> None:
    """Mail the digest over SMTP."""
    run.send_digest(settings, prepared)


@task(cache_policy=NONE)
def mark_delivered(settings: Settings, prepared: run.PreparedDigest, sent: bool) -> int:
    """Record the week as delivered and its items as shown."""
    return run.record_delivery(settings, prepared, sent)


@flow(name="plenty-digest")
def digest_flow(week: str | None = None, send: bool | None = None, home: str | None = None,
                today: date | None = None) -> dict:
    """Write the week's digest (default: the week of ``today``, default the current date) and mail it when
    ``send`` (default: when `[smtp]` has a host); a failed send marks nothing, so the next run retries."""
    logger = get_run_logger()
    settings = load_settings(home)
    if send is None:
        send = bool(settings.section("smtp").get("host"))
    if send:
        smtp_password(mail_settings(settings.section("smtp"), str(settings.config_file)))
    prepared = prepare_week(settings, week, today or date.today())
    if send:
        send_mail(settings, prepared)
    count = mark_delivered(settings, prepared, send)
    logger.info("digest %s written to %s%s", prepared.digest.week, prepared.html_path, " and sent" if send else "")
    return {"week": prepared.digest.week, "markdown_path": str(prepared.markdown_path),
            "html_path": str(prepared.html_path), "sent": send, "count_items": count,
            "empty": prepared.digest.is_empty}
