"""The applications board: a tracked posting moves saved -> applied -> interviewing -> offer | rejected.

A move also marks the posting (saved, or applied from "applied" on, so it is never suggested again), and the move
to "rejected" records a rejection from the posting itself: its similar openings become the next doors at once.
"""

from __future__ import annotations

from datetime import date

from datahome.errors import InputError

STAGES = ("saved", "applied", "interviewing", "offer", "rejected")
STAGE_LABELS = {"saved": "Saved", "applied": "Applied", "interviewing": "Interviewing", "offer": "Offer",
                "rejected": "Rejected"}


def move_application(con, posting_id: int, stage: str, today: date | None = None) -> dict:
    """Move a posting to `stage` (tracking it if new) and return its stage row; moving to "rejected" records a
    rejection (title, company, the ad's text, today) unless one was already recorded from it.

    Raises `InputError` for an unknown stage or posting. One transaction: all of it is stored or none.
    """
    from journal.rejections import record_rejection
    from warehouse.applications import add_application_step, application_stage, posting_role, rejection_from_posting
    from warehouse.db import transaction
    from warehouse.feedback import current_marks, mark_posting

    if stage not in STAGES:
        raise InputError(f"unknown stage {stage!r}; use one of {', '.join(STAGES)}")
    role = posting_role(con, posting_id)
    if role is None:
        raise InputError(f"no posting {posting_id}; it may have been removed by a nightly run")
    with transaction(con):
        rejection_id = rejection_from_posting(con, posting_id)
        if stage == "rejected" and rejection_id is None:
            rejection_id = record_rejection(
                con, title=role["title"], company=role["company"] or "(unknown company)",
                text=(role["description"] or "").strip() or role["title"], rejected_on=today or date.today(),
                notes="recorded from the applications board", atomic=False)
        add_application_step(con, posting_id, stage, rejection_id=rejection_id if stage == "rejected" else None)
        wanted_mark = "saved" if stage == "saved" else "applied"
        mark = current_marks(con, [posting_id]).get(int(posting_id))
        if mark is None or mark["mark"] != wanted_mark:
            mark_posting(con, posting_id, wanted_mark)
    return application_stage(con, posting_id)


def application_board(con) -> dict[str, list[dict]]:
    """The tracked postings grouped by stage, in board order (most recently moved first in each column)."""
    from warehouse.applications import tracked_postings

    board: dict[str, list[dict]] = {stage: [] for stage in STAGES}
    for row in tracked_postings(con):
        board.setdefault(row["stage"], []).append(row)
    return board


def next_stages(stage: str | None) -> list[str]:
    """The stages a card can move to from `stage`: the later ones first (the next is the default), then the
    earlier ones (a move can be corrected)."""
    at = STAGES.index(stage) if stage in STAGES else -1
    return [s for s in STAGES[at + 1:] + STAGES[:max(at, 0)] if s != stage]
