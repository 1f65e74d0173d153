"""``plenty analyse ID``: the plan after a rejection (skills you bring, skills to build, how to prepare)."""

from __future__ import annotations

import click

from cli.common import reports_errors, settings
from display.safe_text import safe_json, safe_text


@click.command()
@click.argument("rejection_id", type=int)
@click.option("--top", default=50, show_default=True, type=click.IntRange(1, 500),
              help="How many of the most similar openings to read.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON for scripts.")
@reports_errors
def analyse(rejection_id: int, top: int, as_json: bool) -> None:
    """Turn a rejection into a plan: across its most similar open openings, the ESCO skills in demand that your CV
    shows ("you already bring") and those it lacks ("to build next", with example openings), each piece of
    feedback and each "went wrong" tag paired with a way to prepare, and what went well.

    Written to $PLENTY_HOME/plans/ID.md; the weekly digest names its top three skills to build.
    """
    from journal.analysis import analyse_rejection

    plan = analyse_rejection(settings(), rejection_id, top=top)
    if as_json:
        click.echo(safe_json(plan))
        return
    from journal.plan_markdown import render_plan

    click.echo(safe_text(render_plan(plan)))
    click.echo(f"Written to {plan['plan_path']}")
