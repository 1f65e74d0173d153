"""Rejections: record one, and its page (journal, drafts, analysis and plan, matches), and the journal's forms."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse

from ui.forms import checked_form, field, optional_date, optional_int
from ui.rendering import render
from ui.store import warehouse

router = APIRouter()
DRAFT_KINDS = ("ask", "thank", "follow-up")


def shown_matches(con, rejection_id: int) -> list[dict]:
    """The rejection's current matches with reasons, salary, freshness, credit, marks and application stage."""
    from recommend.recommender import salary_of
    from warehouse.applications import tracked_postings
    from warehouse.feedback import current_marks
    from warehouse.matches import latest_matches
    from warehouse.postings import posting_details
    from warehouse.recommendations import match_reasons

    rows = latest_matches(con, rejection_id)
    if not rows:
        return []
    reasons = match_reasons(con, rows[0]["run_id"], rejection_id)
    details = {d["posting_id"]: d for d in posting_details(con, [r["posting_id"] for r in rows])}
    marks = current_marks(con, [r["posting_id"] for r in rows])
    stages = {t["posting_id"]: t["stage"] for t in tracked_postings(con)}
    shown = []
    for row in rows:
        d = details.get(row["posting_id"], {})
        shown.append({**row, "reason": reasons.get(row["posting_id"]), "salary": salary_of(d),
                      "posted_at": d.get("posted_at") or d.get("first_seen_at"), "credit": d.get("credit"),
                      "mark": (marks.get(row["posting_id"]) or {}).get("mark"),
                      "stage": stages.get(row["posting_id"])})
    return shown


def drafts_of(settings, con, rejection_id: int) -> list[dict]:
    """The drafts one may copy for a rejection (a follow-up only once feedback was asked)."""
    from journal.drafts import compose_draft
    from journal.errors import JournalError

    drafts = []
    for kind in DRAFT_KINDS:
        try:
            drafts.append({"kind": kind, "text": compose_draft(settings, con, rejection_id, kind, date.today()).text})
        except JournalError as exc:
            drafts.append({"kind": kind, "text": None, "why": str(exc)})
    return drafts


def plan_of(con, rejection_id: int) -> dict | None:
    """The stored analysis of a rejection with its Markdown plan's text, or None."""
    from pathlib import Path

    from warehouse.plans import stored_plans

    plan = stored_plans(con).get(int(rejection_id))
    if plan is None:
        return None
    path = Path(plan["markdown_path"]) if plan.get("markdown_path") else None
    text = path.read_text(encoding="utf-8", errors="replace") if path and path.is_file() else None
    return {**plan, "markdown": text}


@router.post("/rejections")
async def record(request: Request):
    """Record a rejection from the home page's form, store its first matches, and show its page."""
    from journal.rejections import record_rejection

    form = await checked_form(request)
    app = request.app
    with warehouse(app.state.settings) as con:
        rejection_id = record_rejection(
            con, title=field(form, "title"), company=field(form, "company"), text=field(form, "text"),
            rejected_on=optional_date(form, "date", "the date"), stage=field(form, "stage") or None,
            cooloff_days=optional_int(form, "cooloff_days", "cool-off days"))
    app.state.live.match_now(rejection_id)
    return RedirectResponse(f"/rejections/{rejection_id}", status_code=303)


@router.get("/rejections/{rejection_id}")
def rejection_page(request: Request, rejection_id: int):
    """A rejection: journal, drafts, analysis and plan, and its matches (which stop being "new" once shown)."""
    from journal.review_tags import TAGS
    from journal.view import journal_view
    from warehouse.visits import last_visits, matched_before, record_visit

    settings = request.app.state.settings
    with warehouse(settings) as con:
        view = journal_view(con, rejection_id)
        matches = shown_matches(con, rejection_id)
        seen_at = last_visits(con).get(int(rejection_id))
        old = matched_before(con, rejection_id, seen_at) if seen_at else set()
        for match in matches:
            match["new"] = bool(seen_at) and match["posting_id"] not in old
        drafts = drafts_of(settings, con, rejection_id)
        plan = plan_of(con, rejection_id)
        record_visit(con, rejection_id)
    return render(request, "rejection.html", r=view, matches=matches, drafts=drafts, plan=plan, tags=TAGS)


@router.post("/rejections/{rejection_id}/contact")
async def contact(request: Request, rejection_id: int):
    """Keep the contact's name and e-mail."""
    from journal.entries import set_contact

    form = await checked_form(request)
    with warehouse(request.app.state.settings) as con:
        set_contact(con, rejection_id, name=field(form, "name"), email=field(form, "email"))
    return RedirectResponse(f"/rejections/{rejection_id}#journal", status_code=303)


@router.post("/rejections/{rejection_id}/feedback")
async def feedback(request: Request, rejection_id: int):
    """Keep a piece of feedback received."""
    from journal.entries import add_feedback

    form = await checked_form(request)
    with warehouse(request.app.state.settings) as con:
        add_feedback(con, rejection_id, text=field(form, "text"), received_on=optional_date(form, "date", "the date"))
    return RedirectResponse(f"/rejections/{rejection_id}#journal", status_code=303)


@router.post("/rejections/{rejection_id}/review")
async def review(request: Request, rejection_id: int):
    """Keep the self-review (what went well, what went wrong, tags)."""
    from journal.entries import set_review

    form = await checked_form(request)
    tags = [t for t in field(form, "tags").replace(";", ",").split(",") if t.strip()]
    with warehouse(request.app.state.settings) as con:
        set_review(con, rejection_id, went_well=field(form, "went_well"), went_wrong=field(form, "went_wrong"),
                   tags=tags)
    return RedirectResponse(f"/rejections/{rejection_id}#journal", status_code=303)


@router.post("/rejections/{rejection_id}/archive")
async def archive(request: Request, rejection_id: int):
    """Stop a rejection from producing matches (its history stays)."""
    from warehouse.rejections import archive_rejection

    await checked_form(request)
    with warehouse(request.app.state.settings) as con:
        archive_rejection(con, rejection_id)
    return RedirectResponse("/", status_code=303)
