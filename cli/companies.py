"""``plenty companies like NAME``: the companies hiring most like a given company."""

from __future__ import annotations

import click

from cli.common import reports_errors, settings
from cli.similar import print_companies
from display.safe_text import safe_json, safe_line


@click.group()
def companies() -> None:
    """Companies by what they hire for (their open postings)."""


@companies.command("like")
@click.argument("name")
@click.option("--top", default=5, show_default=True, type=click.IntRange(1, 100), help="How many companies.")
@click.option("--json", "as_json", is_flag=True, help="Print stable JSON for scripts.")
@reports_errors
def like(name: str, top: int, as_json: bool) -> None:
    """Show the companies whose open postings are most like those of company NAME, with a few openings each."""
    from recommend.recommender import Recommender

    itself, ranked = Recommender.open(settings()).companies_like(name, top=top)
    if as_json:
        click.echo(safe_json({"company": itself, "companies": ranked}))
        return
    click.echo(f"Companies hiring like {safe_line(itself['company'])} ({itself['open_postings']} open):")
    if not ranked:
        click.echo("   none yet: no other company has open postings")
    print_companies(ranked)
