"""The home page: each active rejection with its new matches since the last visit, the nightly, the sources."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ui.rendering import render
from ui.state import last_match_run, next_nightly, nightly_running, source_health
from ui.store import warehouse

router = APIRouter()


def rejection_summaries(con) -> list[dict]:
    """Active rejections, newest first, each with its current matches and which are new since its last visit."""
    from warehouse.matches import latest_matches
    from warehouse.rejections import list_rejections
    from warehouse.visits import last_visits, matched_before

    visits = last_visits(con)
    summaries = []
    for rejection in sorted(list_rejections(con), key=lambda r: -r["rejection_id"]):
        matches = latest_matches(con, rejection["rejection_id"])
        seen_at = visits.get(rejection["rejection_id"])
        old = matched_before(con, rejection["rejection_id"], seen_at) if seen_at else set()
        new = [m for m in matches if m["posting_id"] not in old] if seen_at else matches
        summaries.append({**rejection, "matches": matches, "new": new, "visited_at": seen_at})
    return summaries


@router.get("/")
def home(request: Request):
    """Rejections with their new matches, the nightly's state and the sources' health."""
    settings = request.app.state.settings
    with warehouse(settings) as con:
        rejections = rejection_summaries(con)
        health = source_health(con)
        last_run = last_match_run(con)
    failing = [s for s in health if not s.get("last_crawl_complete")]
    return render(request, "home.html", rejections=rejections, health=health, failing=failing, last_run=last_run,
                  running=nightly_running(settings), next_nightly=next_nightly(settings))


@router.get("/nightly")
def nightly_state(request: Request):
    """The running nightly's progress as JSON (the home page refreshes itself while one runs)."""
    return nightly_running(request.app.state.settings) or {"step": None}
