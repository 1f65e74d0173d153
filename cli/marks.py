"""``plenty mark`` and ``plenty matches``: tell plenty what you did with a posting, and see current matches."""

from __future__ import annotations

import click

from cli.common import open_warehouse, reports_errors, settings
from datahome.errors import InputError
from display.safe_text import safe_line


@click.command()
@click.argument("posting", metavar="POSTING_ID|#RANK")
@click.argument("mark", type=click.Choice(["applied", "dismissed", "saved"]))
@click.option("--note", help="A note kept with the mark (shown with saved postings in the digest).")
@reports_errors
def mark(posting: str, mark: str, note: str | None) -> None:
    """Mark a posting applied, dismissed or saved: its id ('plenty matches', 'plenty similar --ids') or its rank
    in the last 'plenty similar' list (#3).

    Applied and dismissed postings are never suggested again; saved ones are listed in the digest until closed.
    """
    from warehouse.feedback import mark_posting

    posting_id = posting_reference(posting)
    with open_warehouse() as con:
        current = mark_posting(con, posting_id, mark, note=note)
    click.echo(f"Marked posting {posting_id} {current['mark']}"
               + (f" ({safe_line(current['note'])})" if current["note"] else ""))


def posting_reference(given: str) -> int:
    """A posting id from the command line: a number, or #N for the N-th opening of the last listing."""
    from datahome.listing import posting_at_rank

    text = given.strip()
    number = text.removeprefix("#")
    if not number.isdigit():
        raise InputError(f"{given!r} is neither a posting id nor a rank like #3")
    return posting_at_rank(settings().home, int(number)) if text.startswith("#") else int(number)


@click.command()
@click.option("--rejection", "rejection_id", type=int, help="Only this rejection's matches.")
@reports_errors
def matches(rejection_id: int | None) -> None:
    """List the current matches of each active rejection (from the latest nightly run) with your marks."""
    from warehouse.feedback import current_marks
    from warehouse.matches import latest_matches
    from warehouse.rejections import get_rejection, list_rejections

    with open_warehouse() as con:
        rejections = [get_rejection(con, rejection_id)] if rejection_id is not None else list_rejections(con)
        groups = [(r, latest_matches(con, r["rejection_id"])) for r in rejections]
        marks = current_marks(con, [m["posting_id"] for _, rows in groups for m in rows])
    if not rejections:
        click.echo("No active rejections; add one with 'plenty reject add'.")
        return
    for number, (rejection, rows) in enumerate(groups):
        if number:
            click.echo("")
        click.echo(f"Rejection {rejection['rejection_id']}: {safe_line(rejection['title'])}"
                   f" at {safe_line(rejection['company']) or '?'}")
        if not rows:
            click.echo("  No matches yet; run 'plenty nightly'.")
        for row in rows:
            given = marks.get(row["posting_id"])
            state = f"  [{given['mark']}{': ' + safe_line(given['note']) if given['note'] else ''}]" if given else ""
            click.echo(f"{row['rank']:>4}. {round(100 * row['score']):>3} %  {safe_line(row['title'])} —"
                       f" {safe_line(row['company']) or '?'}"
                       f"{' (' + safe_line(row['location']) + ')' if row.get('location') else ''}"
                       f"  id {row['posting_id']}{state}")
