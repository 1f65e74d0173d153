"""The digest as Markdown (also the plain-text part of the mail). Every scraped string is escaped."""

from __future__ import annotations

from digest.model import Digest, Entry, Group
from digest.next_steps import step_lines
from display.markdown import md_escape

__all__ = ["md_escape", "render_markdown"]


def render_markdown(digest: Digest) -> str:
    """The whole digest as a Markdown document."""
    lines = [f"# Your plenty digest, week {digest.week}", "",
             f"{digest.monday:%d %b} – {digest.sunday:%d %b %Y}", ""]
    if not digest.groups:
        lines += ["No active rejections: record one with `plenty reject add` and plenty will look for similar "
                  "openings every night.", ""]
    elif digest.is_empty:
        lines += ["Nothing new this week: no new openings matched the roles you were turned down for.", ""]
    for group in digest.groups:
        lines += _group(group)
    if digest.saved:
        lines += ["## Saved postings", "", "Still open; mark them applied or dismissed when you are done.", ""]
        lines += [_entry(n, e) for n, e in enumerate(digest.saved, 1)] + [""]
    lines += ["---", "", "Mark a posting: `plenty mark POSTING_ID applied|dismissed|saved`. "
              "Applied and dismissed postings are never suggested again.", ""]
    return "\n".join(lines)


def _group(group: Group) -> list[str]:
    where = f" at {md_escape(group.company)}" if group.company else ""
    lines = [f"## Because you were turned down for {md_escape(group.title)}{where}", ""]
    companies = len({e.company for e in group.matches if e.company})
    if group.matches:
        lines += [f"{len(group.matches)} new opening{'s' if len(group.matches) != 1 else ''} like it"
                  f" at {companies} compan{'ies' if companies != 1 else 'y'}:", ""]
        lines += [_entry(n, e) for n, e in enumerate(group.matches, 1)] + [""]
    else:
        lines += ["No new openings like it this week.", ""]
    if group.companies:
        names = ", ".join(f"{md_escape(c['company'])} ({c['score']:.2f})" for c in group.companies)
        lines += [f"Similar companies: {names}", ""]
    if group.reopened:
        lines += ["### Role reopened", "",
                  f"{md_escape(group.company)} posted what looks like the role you were turned down for."
                  f" You are in your cool-off until {group.cooloff_ends:%d %b %Y}; a fresh application after it"
                  " may land differently.", ""]
        lines += [_entry(n, e) for n, e in enumerate(group.reopened, 1)] + [""]
    if group.doors:
        lines += [f"### Doors kept open at {md_escape(group.company)}", "",
                  f"Your cool-off ended on {group.cooloff_ends:%d %b %Y}. New openings there like the role:", ""]
        lines += [_entry(n, e) for n, e in enumerate(group.doors, 1)] + [""]
    steps = step_lines(group.next_steps)
    if steps:
        lines += ["### Next steps", ""]
        lines += [f"- {md_escape(text)} `{command}`" if command else f"- {md_escape(text)}" for text, command in steps]
        lines += [""]
    return lines


def _entry(number: int, entry: Entry) -> str:
    title = md_escape(entry.title)
    head = f"**[{title}](<{entry.url}>)**" if entry.url else f"**{title}**"
    if entry.reopened:
        head = f"Role reopened: {head}"
    facts = [md_escape(entry.company) if entry.company else None, md_escape(entry.location) if entry.location else None,
             md_escape(entry.salary) if entry.salary else None, entry.freshness,
             f"score {entry.score:.2f}" if entry.score is not None else None, md_escape(entry.credit),
             f"id {entry.posting_id}"]
    line = f"{number}. {head} — " + " · ".join(f for f in facts if f)
    if entry.reason:
        line += f"  \n   Why: {md_escape(entry.reason)}"
    if entry.note:
        line += f"  \n   Note: {md_escape(entry.note)}"
    return line
