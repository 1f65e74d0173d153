"""A plan as Markdown: what you already bring, what to build next, how to prepare after the feedback and the
review, and what went well. Every journal field and scraped string is escaped."""

from __future__ import annotations

from display.markdown import md_escape
from journal.review_tags import PREPARATION

SHOWN = 10


def render_plan(plan: dict) -> str:
    """The whole plan as a Markdown document."""
    rejection, n = plan["rejection"], plan["openings"]
    where = f" at {md_escape(rejection['company'])}" if rejection.get("company") else ""
    lines = [f"# After {md_escape(rejection['title'])}{where}: your plan", "",
             f"Read on {plan['computed_on']} from the {n} open opening{'s' if n != 1 else ''} most like the role.", ""]
    if not n:
        lines += ["No open openings to read yet: run `plenty nightly` or `plenty import FILE`, then "
                  f"`plenty analyse {rejection['rejection_id']}` again.", ""]
    if not plan["has_cv"]:
        lines += ["No CV stored, so every skill counts as one to build: add yours with "
                  "`plenty profile set --file cv.pdf`.", ""]
    lines += _bring(plan, n) + _build(plan, n) + _feedback(plan) + _review(plan)
    return "\n".join(lines).rstrip() + "\n"


def _bring(plan: dict, n: int) -> list[str]:
    bring = plan["you_bring"]
    if not bring:
        return [] if not plan["has_cv"] or not n else ["## You already bring", "",
                                                      "None of the skills these openings ask for is in your CV yet "
                                                      "by name; name the ones you have.", ""]
    lines = ["## You already bring", "",
             f"Not the right match for this company is not the verdict on you: {len(bring)} of the skills these "
             "openings ask for are in your CV.", ""]
    for s in bring[:SHOWN]:
        lines.append(f"- **{md_escape(s['skill'])}**: {s['openings']} of {n} openings"
                     + (" (the role you were turned down for asked for it too)" if s["in_rejected_role"] else ""))
    return lines + [""]


def _build(plan: dict, n: int) -> list[str]:
    building = plan["to_build"]
    if not building:
        return []
    lines = ["## To build next", "", "Ranked by demand, skills that nearly every ad names weighed down:", ""]
    for number, s in enumerate(building, 1):
        also = "; the role you were turned down for asked for it" if s["in_rejected_role"] else ""
        lines.append(f"{number}. **{md_escape(s['skill'])}**: {s['openings']} of {n} openings{also}")
        for example in s["examples"]:
            company = f" at {md_escape(example['company'])}" if example.get("company") else ""
            lines.append(f"   - e.g. {md_escape(example['title'])}{company} (id {example['posting_id']})")
    return lines + [""]


def _feedback(plan: dict) -> list[str]:
    if not plan["feedback"]:
        rid = plan["rejection"]["rejection_id"]
        return ["## Feedback", "", f"None yet. Ask for it: `plenty draft {rid} ask`; keep it with "
                f"`plenty reject feedback {rid} --text ...`.", ""]
    lines = ["## What the feedback says, and how to prepare", ""]
    for entry in plan["feedback"]:
        lines.append(f"- {entry['received_on']}: \"{md_escape(entry['text'])}\"")
        for step in entry["steps"]:
            label = step.get("theme") or step.get("skill")
            lines.append(f"  - *{md_escape(label)}*: {_step(step)}")
    return lines + [""]


def _review(plan: dict) -> list[str]:
    review = plan["review"]
    lines = []
    if review["went_wrong"] or review["tags"]:
        lines += ["## What went wrong, and what to prepare", ""]
        if review["went_wrong"]:
            lines += [f"In your words: {md_escape(review['went_wrong'])}", ""]
        lines += [f"- *{md_escape(t['tag'])}*: {_step({'theme': t['tag'], **t})}" for t in review["tags"]] + [""]
    if review["went_well"]:
        lines += ["## What went well", "", f"Keep it: {md_escape(review['went_well'])}", ""]
    return lines


def _step(step: dict) -> str:
    """A preparation step: the shipped text of a theme or tag as written (it holds no Markdown, and escaping
    its parentheses would show the backslashes in a terminal); a step naming a skill escaped."""
    if step.get("theme") in PREPARATION and step["step"] == PREPARATION[step["theme"]]:
        return step["step"]
    return md_escape(step["step"])
