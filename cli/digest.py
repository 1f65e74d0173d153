"""``plenty digest``: write the week's digest as Markdown and HTML under the data home, and mail it on request."""

from __future__ import annotations

import click

from cli.common import reports_errors, settings


@click.command()
@click.option("--week", help="ISO week as YYYY-Www, e.g. 2026-W48 (default: this week).")
@click.option("--send", is_flag=True,
              help="Mail it with config.toml's [smtp] settings; the password comes from PLENTY_SMTP_PASSWORD.")
@reports_errors
def digest(week: str | None, send: bool) -> None:
    """Write the week's digest: per active rejection the new openings like it, similar companies, doors kept open
    at the company after the cool-off, and your saved postings.

    Only openings not shown in an earlier digest appear. A digest that fails to send is not marked, so the next
    run shows and sends the same openings again.
    """
    from digest import run_digest

    result = run_digest(settings(), week=week, send=send)
    state = "nothing new" if result.empty else f"{result.count_items} openings"
    click.echo(f"Digest {result.week} ({state}): {result.markdown_path} and {result.html_path}")
    if result.sent:
        click.echo("Sent.")
