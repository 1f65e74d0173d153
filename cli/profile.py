"""``plenty profile set|show``: your CV's text, and the ESCO skills it names."""

from __future__ import annotations

from pathlib import Path

import click

from cli.common import open_warehouse, reports_errors, settings
from display.safe_text import safe_json, safe_line


@click.group()
def profile() -> None:
    """Your profile: the CV that 'plenty analyse' compares with the openings, and the name that signs drafts."""


@profile.command("set")
@click.option("--file", "file", type=click.Path(path_type=Path, dir_okay=False),
              help="Your CV: .txt, .md, .pdf or .docx.")
@click.option("--name", help="Your name, to sign the drafts.")
@reports_errors
def set_(file: Path | None, name: str | None) -> None:
    """Store your CV's text (a new version; the earlier one is kept) and/or your name."""
    from journal.profile import set_profile

    with open_warehouse() as con:
        stored = set_profile(con, file=file, name=name)
    if file is not None:
        click.echo(f"Stored the CV from {safe_line(stored['cv_file'])} ({len(stored['cv_text']):,} characters); "
                   "see its skills with 'plenty profile show'")
    if name is not None:
        click.echo(f"Name: {safe_line(stored['name']) or '-'}")


@profile.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@reports_errors
def show(as_json: bool) -> None:
    """List the ESCO skills your stored CV names."""
    from journal.profile import show_profile

    with open_warehouse() as con:
        current = show_profile(settings(), con)
    if as_json:
        shown = None if current is None else {k: current[k] for k in ("name", "cv_file", "cv_format", "skills")}
        click.echo(safe_json(shown if shown is None else {**shown, "stored_at": str(current["stored_at"])}))
        return
    if current is None or not current.get("cv_text"):
        click.echo("No CV stored yet; add one with 'plenty profile set --file cv.pdf'.")
        if current is not None and current.get("name"):
            click.echo(f"Name: {safe_line(current['name'])}")
        return
    click.echo(f"CV: {safe_line(current['cv_file'])} ({current['cv_format']}), stored {current['stored_at']:%Y-%m-%d}"
               + (f"; name: {safe_line(current['name'])}" if current.get("name") else ""))
    skills = current["skills"]
    click.echo(f"{len(skills)} ESCO skill{'s' if len(skills) != 1 else ''} found:" if skills
               else "No ESCO skills found in it.")
    for skill in skills:
        click.echo(f"  - {safe_line(skill)}")


