"""What to do next about each active rejection, cheaply (no model, no index): ask for feedback, follow up on a
request a week old, and the top skills to build, from the stored plan or else from the nightly matches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from datahome.settings import Settings
from journal.demand import skills_in_demand, to_build
from journal.view import FOLLOW_UP_AFTER_DAYS, days_since

SKILLS_SHOWN = 3


@dataclass
class NextSteps:
    """One rejection's next steps."""

    rejection_id: int
    ask: bool = False  # feedback not asked yet (and none received)
    asked_days: int | None = None  # days since feedback was asked (or last followed up), none received yet
    follow_up: bool = False  # asked at least a week ago, nothing received
    skills: list[str] = field(default_factory=list)
    skills_from: str | None = None  # "plan" (plenty analyse) or "matches" (the nightly matches)


def next_steps(settings: Settings, con, today: date) -> dict[int, NextSteps]:
    """`{rejection_id: NextSteps}` for every active rejection."""
    from warehouse.journal import journal_states
    from warehouse.plans import stored_plans

    plans = stored_plans(con)
    steps: dict[int, NextSteps] = {}
    unplanned = []
    for state in journal_states(con):
        rid = int(state["rejection_id"])
        step = NextSteps(rid)
        if not state["count_feedback"]:
            asked = state.get("followed_up_at") or state.get("feedback_asked_at")
            if asked is None:
                step.ask = True
            else:
                step.asked_days = days_since(state.get("feedback_asked_at"), today)
                step.follow_up = days_since(asked, today) >= FOLLOW_UP_AFTER_DAYS
        if rid in plans:
            step.skills, step.skills_from = list(plans[rid]["to_build"])[:SKILLS_SHOWN], "plan"
        else:
            unplanned.append(rid)
        steps[rid] = step
    for rid, skills in skills_from_matches(settings, con, unplanned).items():
        if skills:
            steps[rid].skills, steps[rid].skills_from = skills, "matches"
    return steps


def skills_from_matches(settings: Settings, con, rejection_ids: list[int]) -> dict[int, list[str]]:
    """The top skills to build for each rejection, read from its latest nightly matches (skills of postings not
    read yet are read and kept), against the stored CV."""
    if not rejection_ids:
        return {}
    from corpus.skills import read_missing_skills, skill_vocabulary
    from embeddings.skill_names import skill_names
    from warehouse.matches import latest_matches
    from warehouse.profiles import current_profile
    from warehouse.rejections import get_rejection
    from warehouse.skills import skill_frequencies, skills_of_postings

    matches = {rid: latest_matches(con, rid) for rid in rejection_ids}
    if not any(matches.values()):
        return {}
    names, vocabulary = skill_vocabulary(settings)
    read_missing_skills(con, names, vocabulary)
    total, frequencies = skill_frequencies(con, vocabulary)
    cv = (current_profile(con) or {}).get("cv_text")
    have = skill_names(cv, names) if cv else []
    found = {}
    for rid, rows in matches.items():
        rejection = get_rejection(con, rid)
        skills_of = skills_of_postings(con, vocabulary, [r["posting_id"] for r in rows])
        demand = skills_in_demand(rows, skills_of, frequencies, total, have,
                                  skill_names(f"{rejection['title']}\n{rejection['text']}", names))
        found[rid] = [s.skill for s in to_build(demand, len(rows), top=SKILLS_SHOWN)]
    return found
