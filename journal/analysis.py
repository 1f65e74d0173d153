"""`plenty analyse`: from a rejection to a plan. The skills its most similar openings ask for (the ones the CV
shows, the ones to build next), each piece of feedback and each "went wrong" tag paired with a way to prepare,
and the "went well" notes kept; written as Markdown under the data home, and stored for the weekly digest."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from datahome.files import write_atomically
from datahome.settings import Settings
from journal.demand import already_bring, skills_in_demand, to_build
from journal.review_tags import PREPARATION, feedback_themes

DEFAULT_TOP = 50


def plans_dir(settings: Settings) -> Path:
    """Where plans are written: ``$PLENTY_HOME/plans``."""
    return settings.home / "plans"


def analyse_rejection(settings: Settings, rejection_id: int, top: int = DEFAULT_TOP, *, today: date | None = None,
                      encoder=None) -> dict:
    """The plan of a rejection across its `top` most similar open openings (its filters apply; applied or
    dismissed postings and companies in a cool-off are left out, as in `plenty similar --rejection`). Writes
    ``plans/<id>.md`` and stores the plan's skills for the digest; returns the plan (see `plan_json`)."""
    from corpus.skills import read_missing_skills, skill_vocabulary
    from embeddings.skill_names import skill_names
    from journal.plan_markdown import render_plan
    from journal.view import journal_view
    from recommend.doors import door_settings, held_back, rejection_query
    from recommend.filters import Filters
    from recommend.recommender import Recommender
    from warehouse.db import connect
    from warehouse.plans import store_plan
    from warehouse.profiles import current_profile
    from warehouse.recommendations import rejection_filters
    from warehouse.skills import skill_frequencies, skills_of_postings

    today = today or datetime.now(timezone.utc).date()
    cooloff = door_settings(settings).cooloff_days
    with connect(settings.db_path) as con:
        view = journal_view(con, rejection_id, today, cooloff)
        filters = Filters.from_stored(rejection_filters(con, rejection_id))
        held = held_back(con, today, cooloff)
        profile = current_profile(con) or {}
    names, vocabulary = skill_vocabulary(settings)
    recommender = Recommender.open(settings, encoder=encoder)  # empty on a fresh data home: the plan says so
    openings = [] if recommender.empty else recommender.similar(
        [rejection_query(view["title"], view["text"])], k=top, titles=[view["title"]], filters=filters,
        exclude_posting_ids=held.posting_ids, exclude_company_ids=held.company_ids, today=today)[0].postings
    with connect(settings.db_path) as con:
        read_missing_skills(con, names, vocabulary)
        skills_of = skills_of_postings(con, vocabulary, [o["posting_id"] for o in openings])
        total, frequencies = skill_frequencies(con, vocabulary)
    cv_text = profile.get("cv_text")
    profile_skills = skill_names(cv_text, names) if cv_text else []
    role_skills = skill_names(f"{view['title']}\n{view['text']}", names)
    skills = skills_in_demand(openings, skills_of, frequencies, total, profile_skills, role_skills)
    plan = build_plan(view, openings, skills, bool(cv_text), names, today)
    path = plans_dir(settings) / f"{int(rejection_id)}.md"
    plan["plan_path"] = str(path)
    write_atomically(path, render_plan(plan))
    with connect(settings.db_path) as con:
        store_plan(con, rejection_id, count_openings=len(openings),
                   to_build=[s["skill"] for s in plan["to_build"]], have=[s["skill"] for s in plan["you_bring"]],
                   markdown_path=str(path))
    return plan


def build_plan(view: dict, openings: list[dict], skills, has_cv: bool, names: frozenset[str], today: date) -> dict:
    """The plan as plain data: skills (all, heaviest first), you_bring, to_build, feedback with steps, review."""
    from embeddings.skill_names import skill_names

    building = to_build(skills, len(openings))
    by_skill = {s.skill: s for s in skills}
    feedback = []
    for entry in view["feedback"]:
        themes = feedback_themes(entry["text"])
        named = skill_names(entry["text"], names)
        steps = [{"theme": tag, "step": PREPARATION[tag]} for tag in themes]
        for skill in named:
            demand = by_skill.get(skill)
            asked = (f" ({demand.openings} of the {len(openings)} similar openings ask for it)" if demand else "")
            steps.append({"skill": skill, "step": f"Work on {skill}{asked}: one small, finished exercise or project "
                                                  "with it before your next interview."})
        if not steps:
            steps.append({"theme": "other", "step": PREPARATION["other"]})
        feedback.append({"text": entry["text"], "received_on": str(entry["received_on"]), "themes": themes,
                         "skills": named, "steps": steps})
    review = {
        "went_well": view.get("went_well"),
        "went_wrong": view.get("went_wrong"),
        "tags": [{"tag": tag, "step": PREPARATION[tag]} for tag in view["went_wrong_tags"]],
    }
    return {
        "rejection": {"rejection_id": view["rejection_id"], "title": view["title"], "company": view.get("company"),
                      "stage": view.get("stage"), "rejected_on": str(view["rejected_on"] or "") or None},
        "computed_on": str(today),
        "openings": len(openings),
        "has_cv": has_cv,
        "skills": [s.as_json() for s in skills],
        "you_bring": [s.as_json() for s in already_bring(skills)],
        "to_build": [s.as_json() for s in building],
        "feedback": feedback,
        "review": review,
    }

