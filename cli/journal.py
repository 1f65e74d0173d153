"""``plenty reject feedback|review|contact|asked|show``: the journal kept with each rejection."""

from __future__ import annotations

from pathlib import Path

import click

from cli.common import open_warehouse, reports_errors, settings
from cli.reject import parse_date
from display.safe_text import safe_line, safe_text

TAG_LIST = "nervousness, preparation, misunderstanding, technical gap, experience gap, communication, culture fit, other"


@click.command("feedback")
@click.argument("rejection_id", type=int)
@click.option("--text", help="The feedback, as the employer gave it.")
@click.option("--file", "file", type=click.Path(path_type=Path, dir_okay=False), help="Read the feedback from a file.")
@click.option("--date", "on", help="When you received it (YYYY-MM-DD, default today).")
@reports_errors
def feedback(rejection_id: int, text: str | None, file: Path | None, on: str | None) -> None:
    """Keep feedback received on a rejection (more than one piece may be kept).

    'plenty analyse ID' pairs each piece with a preparation step.
    """
    from journal.entries import add_feedback

    day = parse_date(on)
    with open_warehouse() as con:
        feedback_id = add_feedback(con, rejection_id, text=text, file=file, received_on=day)
    click.echo(f"Kept feedback {feedback_id} on rejection {rejection_id}")


@click.command("review")
@click.argument("rejection_id", type=int)
@click.option("--went-well", help="What went well (kept: step 4, do not under-appreciate yourself).")
@click.option("--went-wrong", help="What went wrong, in your words.")
@click.option("--tag", "tags", multiple=True, help=f"What went wrong, from: {TAG_LIST} (repeatable).")
@reports_errors
def review(rejection_id: int, went_well: str | None, went_wrong: str | None, tags: tuple[str, ...]) -> None:
    """Keep your own review of the interview: what went well, what went wrong, and tags for what went wrong.

    The parts given replace the stored ones ("" clears a text; tags given replace the stored tags).
    """
    from journal.entries import set_review

    with open_warehouse() as con:
        entry = set_review(con, rejection_id, went_well=went_well, went_wrong=went_wrong, tags=tags)
    tags_shown = ", ".join(entry["went_wrong_tags"]) or "none"
    click.echo(f"Kept the review of rejection {rejection_id} (tags: {tags_shown})")


@click.command("contact")
@click.argument("rejection_id", type=int)
@click.option("--name", help="The interviewer's or recruiter's name (\"\" clears it).")
@click.option("--email", help="Their e-mail address, for the drafts (\"\" clears it).")
@reports_errors
def contact(rejection_id: int, name: str | None, email: str | None) -> None:
    """Keep who to write to about a rejection: the drafts are addressed to them."""
    from journal.entries import set_contact

    with open_warehouse() as con:
        entry = set_contact(con, rejection_id, name=name, email=email)
    click.echo(f"Contact of rejection {rejection_id}: {_contact(entry)}")


@click.command("asked")
@click.argument("rejection_id", type=int)
@click.option("--date", "on", help="When you asked (YYYY-MM-DD, default today).")
@reports_errors
def asked(rejection_id: int, on: str | None) -> None:
    """Record that you asked for feedback another way (a call, your own mail); 'plenty draft ID ask --send' records
    it itself."""
    from journal.entries import record_asked

    with open_warehouse() as con:
        entry = record_asked(con, rejection_id, on=parse_date(on))
    click.echo(f"Feedback asked for rejection {rejection_id} on {entry['feedback_asked_at']:%Y-%m-%d}")


@click.command("show")
@click.argument("rejection_id", type=int)
@reports_errors
def show(rejection_id: int) -> None:
    """Print the whole journal entry of a rejection: role, stage, date, contact, feedback, review, filters,
    cool-off and drafts sent."""
    from journal.view import journal_view
    from recommend.doors import door_settings

    with open_warehouse() as con:
        view = journal_view(con, rejection_id, default_cooloff_days=door_settings(settings()).cooloff_days)
    for line in journal_lines(view):
        click.echo(line)


def journal_lines(view: dict) -> list[str]:
    """The lines `plenty reject show` prints."""
    state = " (archived)" if view.get("archived_at") else ""
    lines = [f"Rejection {view['rejection_id']}: {safe_line(view['title'])} at {safe_line(view['company']) or '?'}"
             f"{state}",
             f"  Stage:     {safe_line(view.get('stage')) or '-'}",
             f"  Date:      {view.get('rejected_on') or '-'}",
             f"  Contact:   {_contact(view)}"]
    asked = view.get("feedback_asked_at")
    lines.append(f"  Feedback asked: {asked:%Y-%m-%d}" if asked else "  Feedback asked: not yet "
                 f"('plenty draft {view['rejection_id']} ask')")
    if view.get("followed_up_at"):
        lines.append(f"  Followed up:    {view['followed_up_at']:%Y-%m-%d}")
    lines.append(f"  Feedback received: {len(view['feedback']) or 'none yet'}")
    for entry in view["feedback"]:
        text = safe_text(entry["text"]).replace("\n", "\n      ")
        lines.append(f"    - {entry['received_on']}: {text}")
    lines.append("  Review:")
    lines.append(f"    went well:  {_block(view.get('went_well'))}")
    lines.append(f"    went wrong: {_block(view.get('went_wrong'))}")
    lines.append(f"    tags:       {', '.join(view['went_wrong_tags']) or '-'}")
    lines.append(f"  Filters:   {safe_line(view['filters']) if view.get('filters') else 'none'}")
    if view.get("cooloff_ends"):
        verb = "runs until" if view["cooling"] else "ended on"
        lines.append(f"  Cool-off:  {verb} {view['cooloff_ends']} (openings at {safe_line(view['company'])} "
                     f"{'held back' if view['cooling'] else 'shown as doors kept open'})")
    for draft in view["drafts_sent"]:
        lines.append(f"  Sent:      {draft['kind']} to {safe_line(draft['recipient'])} on {draft['sent_at']:%Y-%m-%d}")
    return lines


def _contact(entry: dict) -> str:
    name, email = entry.get("contact_name"), entry.get("contact_email")
    if not name and not email:
        return "-"
    return " ".join(p for p in (safe_line(name), f"<{safe_line(email)}>" if email else "") if p)


def _block(text: str | None) -> str:
    return safe_text(text).replace("\n", "\n                ") if text else "-"
