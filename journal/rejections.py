"""Recording a rejection: the role, the company, its text and date, checked before anything is written, with its
own cool-off and suggestion filters kept beside it in one transaction."""

from __future__ import annotations

from datetime import date, timedelta

from datahome.errors import InputError
from recommend.filters import Filters

EARLIEST_DATE = date(1970, 1, 1)


def check_rejection(title: str, company: str, text: str, rejected_on: date, today: date | None = None) -> None:
    """Raise `InputError` naming the field when the title, company or text is empty, or the date is not a past one
    (tomorrow is allowed, for time zones; a far date would break the cool-off arithmetic)."""
    today = today or date.today()
    for name, value in (("title", title), ("company", company), ("role's text", text)):
        if not (value or "").strip():
            raise InputError(f"the {name} is empty" if name == "role's text" else f"--{name} is empty")
    if not EARLIEST_DATE <= rejected_on <= today + timedelta(days=1):
        raise InputError(f"--date {rejected_on.isoformat()} is not a past date; use the day you heard back")


def record_rejection(con, *, title: str, company: str, text: str, rejected_on: date | None = None,
                     stage: str | None = None, notes: str | None = None, cooloff_days: int | None = None,
                     filters: Filters | None = None, atomic: bool = True) -> int:
    """Check and store one rejection (see `check_rejection`) with its cool-off and filters; returns its id.

    `atomic=False` when the caller's transaction holds this and more."""
    from contextlib import nullcontext

    from warehouse.db import transaction
    from warehouse.feedback import set_cooloff_days
    from warehouse.recommendations import set_rejection_filters
    from warehouse.rejections import add_rejection

    rejected_on = rejected_on or date.today()
    check_rejection(title, company, text, rejected_on)
    with transaction(con) if atomic else nullcontext():
        rejection_id = add_rejection(con, title=title.strip(), company=company.strip(), text=text.strip(),
                                     rejected_on=rejected_on, stage=stage, notes=notes)
        if cooloff_days is not None:
            set_cooloff_days(con, rejection_id, cooloff_days)
        if filters is not None and filters.active:
            set_rejection_filters(con, rejection_id, atomic=False, **filters.to_stored())
    return rejection_id
