"""The whole journal entry of a rejection, read in one place: what `plenty reject show` prints and the drafts and
plans are written from."""

from __future__ import annotations

from datetime import date

from recommend.doors import door_of

FOLLOW_UP_AFTER_DAYS = 7


def journal_view(con, rejection_id: int, today: date | None = None, default_cooloff_days: int = 120) -> dict:
    """The rejection with its journal fields, feedback, drafts mailed, filters and cool-off; raises
    `UnknownRejection`."""
    from recommend.filters import Filters
    from warehouse.feedback import rejection_doors
    from warehouse.journal import feedback_entries, journal_entry, sent_drafts
    from warehouse.recommendations import rejection_filters
    from warehouse.rejections import get_rejection

    today = today or date.today()
    rejection = get_rejection(con, rejection_id)
    entry = journal_entry(con, rejection_id)
    doors = {r["rejection_id"]: r for r in rejection_doors(con, include_archived=True)}
    door = door_of(doors[int(rejection_id)], default_cooloff_days)
    filters = Filters.from_stored(rejection_filters(con, rejection_id))
    return {
        **rejection,
        **entry,
        "feedback": feedback_entries(con, rejection_id),
        "drafts_sent": sent_drafts(con, rejection_id),
        "filters": filters.describe() if filters.active else None,
        "cooloff_ends": door.ends if door.company_id else None,
        "cooling": bool(door.company_id) and door.cooling(today),
    }


def days_since(moment, today: date) -> int | None:
    """Whole days from a timestamp (or date) to ``today``; None for None."""
    if moment is None:
        return None
    day = moment.date() if hasattr(moment, "date") else moment
    return (today - day).days
