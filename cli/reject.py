"""``plenty reject``: record, list and archive the roles you were turned down for."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cli.common import open_warehouse, reports_errors
from cli.similar import filter_options, filters_from
from datahome.errors import InputError
from journal.entries import read_text
from display.safe_text import safe_line
from recommend.filters import Filters


@click.group()
def reject() -> None:
    """Record the roles you were rejected from; each active one is a query for similar openings."""


def parse_date(value: str | None, option: str = "--date") -> date | None:
    """A YYYY-MM-DD date, or None."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date; use YYYY-MM-DD") from None


@reject.command("add")
@click.option("--title", required=True, help="Title of the role you were rejected from.")
@click.option("--company", required=True, help="Company that turned you down.")
@click.option("--text", help="The job ad or a description of the role.")
@click.option("--file", "file", type=click.Path(path_type=Path, dir_okay=False),
              help="Read the role's text from this file.")
@click.option("--date", "on", help="Date of the rejection (YYYY-MM-DD, default today).")
@click.option("--stage", help="How far you got, e.g. 'phone screen', 'onsite'.")
@click.option("--notes", help="Anything to remember.")
@click.option("--cooloff-days", type=click.IntRange(min=0),
              help="Hold the company's openings back this many days (default: [doors] cooloff_days, else 120).")
@filter_options
@reports_errors
def add(title: str, company: str, text: str | None, file: Path | None, on: str | None, stage: str | None,
        notes: str | None, cooloff_days: int | None, **filter_values) -> None:
    """Record a rejection: it stays an active query until archived.

    During its cool-off the company's openings are held back from your suggestions; after it, new openings there
    like the role show up in the digest's "doors kept open" section. The filter options are kept with the
    rejection and narrow its nightly matches and 'plenty similar --rejection'.
    """
    from journal.rejections import record_rejection

    filters = filters_from(**filter_values)
    body = read_text(text, file, what="role's text")
    with open_warehouse() as con:
        rejection_id = record_rejection(con, title=title, company=company, text=body, rejected_on=parse_date(on),
                                        stage=stage, notes=notes, cooloff_days=cooloff_days, filters=filters)
    click.echo(f"Recorded rejection {rejection_id}: {safe_line(title.strip())} at {safe_line(company.strip())}")


@reject.command("list")
@click.option("--all", "include_archived", is_flag=True, help="Include archived rejections.")
@reports_errors
def list_(include_archived: bool) -> None:
    """List recorded rejections."""
    from warehouse.rejections import list_rejections

    with open_warehouse() as con:
        rows = list_rejections(con, include_archived=include_archived)
    if not rows:
        click.echo("No rejections yet; add one with 'plenty reject add'.")
        return
    for row in rows:
        state = " (archived)" if row.get("archived_at") else ""
        click.echo(f"{row['rejection_id']:>4}  {str(row['rejected_on'] or ''):10}  {safe_line(row['title'])}"
                   f" at {safe_line(row['company'])}{' [' + safe_line(row['stage']) + ']' if row.get('stage') else ''}"
                   f"{state}")


@reject.command("archive")
@click.argument("rejection_id", type=int)
@reports_errors
def archive(rejection_id: int) -> None:
    """Stop a rejection from producing matches; its history stays."""
    from warehouse.rejections import archive_rejection

    with open_warehouse() as con:
        archive_rejection(con, rejection_id)
    click.echo(f"Archived rejection {rejection_id}")


@reject.command("filters")
@click.argument("rejection_id", type=int)
@click.option("--clear", is_flag=True, help="Drop the stored filters first (then apply any options given).")
@filter_options
@reports_errors
def filters(rejection_id: int, clear: bool, **filter_values) -> None:
    """Show or change the filters kept with a rejection.

    With no option, prints them. Options given are added to the stored ones (a setting replaces the same
    setting, excluded companies add up); --clear starts from none, so '--clear --remote' keeps only --remote.
    The next nightly run and 'plenty similar --rejection' use them.
    """
    from warehouse.db import transaction
    from warehouse.recommendations import rejection_filters, set_rejection_filters
    from warehouse.rejections import get_rejection

    given = filters_from(**filter_values)
    with open_warehouse() as con:
        get_rejection(con, rejection_id)
        stored = Filters.from_stored(rejection_filters(con, rejection_id))
        if clear or given.active:
            updated = given if clear else stored.merged(given)
            with transaction(con):
                set_rejection_filters(con, rejection_id, atomic=False, **updated.to_stored())
            stored = Filters.from_stored(rejection_filters(con, rejection_id))
    click.echo(f"Rejection {rejection_id} filters: {safe_line(stored.describe()) if stored.active else 'none'}")
