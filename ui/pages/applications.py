"""The applications board (saved -> applied -> interviewing -> offer | rejected) and marks on postings."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse

from ui.forms import checked_form, field
from ui.rendering import render
from ui.store import warehouse

router = APIRouter()


def back_to(form, default: str) -> str:
    """Where to go after a form: its `next` field when it is a path of this app, else `default`."""
    target = field(form, "next")
    return target if target.startswith("/") and not target.startswith("//") else default


@router.get("/applications")
def board(request: Request):
    """The board, one column per stage."""
    from journal.applications import STAGE_LABELS, application_board, next_stages

    with warehouse(request.app.state.settings) as con:
        columns = application_board(con)
    return render(request, "applications.html", columns=columns, labels=STAGE_LABELS, next_stages=next_stages)


@router.post("/applications/{posting_id}")
async def move(request: Request, posting_id: int):
    """Move a posting to a stage; to "rejected" records a rejection from it and shows that rejection's matches."""
    from journal.applications import move_application

    form = await checked_form(request)
    app = request.app
    with warehouse(app.state.settings) as con:
        stage = move_application(con, posting_id, field(form, "stage"))
    if stage["stage"] == "rejected" and stage["rejection_id"] is not None:
        app.state.live.match_now(stage["rejection_id"])
        return RedirectResponse(f"/rejections/{stage['rejection_id']}", status_code=303)
    return RedirectResponse(back_to(form, "/applications"), status_code=303)


@router.post("/postings/{posting_id}/mark")
async def mark(request: Request, posting_id: int):
    """Mark a posting: applied or saved also put it on the board; dismissed only hides it from suggestions."""
    from journal.applications import move_application
    from warehouse.feedback import mark_posting

    form = await checked_form(request)
    given = field(form, "mark")
    with warehouse(request.app.state.settings) as con:
        if given in ("applied", "saved"):
            move_application(con, posting_id, given)
        else:
            mark_posting(con, posting_id, given, note=field(form, "note") or None)
    return RedirectResponse(back_to(form, "/applications"), status_code=303)
