"""Reading what a form sent: its fields, checked, and the same filters as `plenty similar`."""

from __future__ import annotations

from datetime import date

from datahome.errors import InputError
from recommend.filters import Filters


def field(form, name: str, default: str = "") -> str:
    """A text field, stripped ("" when absent)."""
    value = form.get(name)
    return default if value is None else str(value).strip()


def optional_int(form, name: str, label: str) -> int | None:
    """A whole number field, None when empty; `InputError` naming the field otherwise."""
    text = field(form, name)
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        raise InputError(f"{label} {text!r} is not a whole number") from None
    if number < 0:
        raise InputError(f"{label} must not be negative")
    return number


def optional_date(form, name: str, label: str) -> date | None:
    """A YYYY-MM-DD field, None when empty."""
    text = field(form, name)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{label} {text!r} is not a date; use YYYY-MM-DD") from None


def filters_from_form(form) -> Filters:
    """The filters of `plenty similar` from a form's fields (empty fields filter nothing)."""
    return Filters.from_options(field(form, "remote") in ("on", "1", "true"), field(form, "location"),
                                field(form, "seniority"), optional_int(form, "min_salary", "minimum salary"),
                                field(form, "currency"), optional_int(form, "posted_within", "posted within (days)"),
                                field(form, "exclude_company").split(","))


async def checked_form(request) -> dict:
    """The fields of a posted form once its CSRF token and origin are checked (raises `CsrfRejected`)."""
    form = await request.form()
    fields = {key: str(value) for key, value in form.items()}
    request.app.state.csrf.check(fields.get("csrf"), request.headers.get("origin"), request.headers.get("host"))
    fields.pop("csrf", None)
    return fields
