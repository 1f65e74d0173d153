"""The digest's "next steps" per rejection (journal/next_steps.py), and their lines in either rendering."""

from __future__ import annotations

from datahome.settings import Settings
from digest.model import Digest
from digest.weeks import week_of
from journal.next_steps import NextSteps, next_steps


def add_next_steps(settings: Settings, con, digest: Digest) -> None:
    """Give each group of the digest its next steps as of the digest's day; a past week already delivered keeps
    none, so it reads as it did."""
    from warehouse.digests import delivered_digest

    if digest.week < week_of(digest.today) and delivered_digest(con, digest.week) is not None:
        return
    steps = next_steps(settings, con, digest.today)
    for group in digest.groups:
        group.next_steps = steps.get(group.rejection_id)


def step_lines(steps: NextSteps | None) -> list[tuple[str, str | None]]:
    """(sentence, command or None) per step, in the order shown; the renderings format and escape them."""
    if steps is None:
        return []
    rid = steps.rejection_id
    lines: list[tuple[str, str | None]] = []
    if steps.ask:
        lines.append(("Ask for feedback (and thank them): a short, polite draft is ready with", f"plenty draft {rid} ask"))
    elif steps.follow_up:
        lines.append((f"You asked for feedback {steps.asked_days} days ago and have not heard back: follow up once"
                      " with", f"plenty draft {rid} follow-up"))
    elif steps.asked_days is not None:
        days = steps.asked_days
        lines.append((f"You asked for feedback {days} day{'s' if days != 1 else ''} ago; give them a week before "
                      "following up, and keep what they say with", f"plenty reject feedback {rid} --text ..."))
    if steps.skills:
        source = "from your plan" if steps.skills_from == "plan" else "from this week's matches"
        lines.append((f"Skills to build next ({source}): {', '.join(steps.skills)}; the whole plan:",
                      f"plenty analyse {rid}"))
    return lines
