"""Writing the journal of a rejection: the contact, feedback asked and received, the self-review. Every value is
checked before anything is written; a bad one raises `InvalidEntry` and leaves the journal as it was."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from email.errors import HeaderParseError
from email.headerregistry import Address
from pathlib import Path

from journal.errors import InvalidEntry
from journal.review_tags import normalise_tag

MAX_NAME = 200
MAX_TEXT = 100_000
EARLIEST = date(1970, 1, 1)
# Line breaks and control characters: a contact name goes into a mail header, where a line break starts a header.
_NOT_IN_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def check_contact_name(name: str) -> str | None:
    """The contact's name stripped (None when empty); raises `InvalidEntry` for a line break or control character,
    which could start a mail header of its own."""
    if _NOT_IN_A_LINE.search(name or ""):
        raise InvalidEntry("--name must be one line without control characters (it goes into a mail header); "
                           "nothing was saved")
    name = " ".join((name or "").split())
    if len(name) > MAX_NAME:
        raise InvalidEntry(f"--name is longer than {MAX_NAME} characters; nothing was saved")
    return name or None


def check_email(email: str) -> str | None:
    """The contact's address (None when empty); raises `InvalidEntry` unless it is one plain address."""
    email = (email or "").strip()
    if not email:
        return None
    if _NOT_IN_A_LINE.search(email) or " " in email:
        raise InvalidEntry(f"--email {email!r} is not an e-mail address; nothing was saved")
    try:
        address = Address(addr_spec=email)
    except (HeaderParseError, ValueError, IndexError, TypeError):
        raise InvalidEntry(f"--email {email!r} is not an e-mail address; nothing was saved") from None
    if not address.username or "." not in address.domain:
        raise InvalidEntry(f"--email {email!r} is not an e-mail address (name@domain.tld); nothing was saved")
    return address.addr_spec


def check_day(day: date | None, option: str = "--date", today: date | None = None) -> date:
    """A past day (tomorrow allowed, for time zones), default today; raises `InvalidEntry`."""
    today = today or date.today()
    day = day or today
    if not EARLIEST <= day <= today + timedelta(days=1):
        raise InvalidEntry(f"{option} {day.isoformat()} is not a past date")
    return day


def read_text(text: str | None, file: Path | None, what: str = "feedback") -> str:
    """The text from --text or --file (UTF-8), exactly one of them, not empty; raises `InvalidEntry`."""
    if (text is None) == (file is None):
        raise InvalidEntry(f"give the {what} with exactly one of --text or --file")
    if file is not None:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InvalidEntry(f"file {file} not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidEntry(f"cannot read {file} as UTF-8 text ({exc.__class__.__name__}); save it as UTF-8 "
                               "text") from None
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise InvalidEntry(f"the {what}{' in ' + str(file) if file else ''} is empty")
    if len(text) > MAX_TEXT:
        raise InvalidEntry(f"the {what} is longer than {MAX_TEXT:,} characters")
    return text


def set_contact(con, rejection_id: int, name: str | None = None, email: str | None = None) -> dict:
    """Keep who to write to about a rejection: the options given replace the stored ones ("" clears one)."""
    fields = {}
    if name is not None:
        fields["contact_name"] = check_contact_name(name)
    if email is not None:
        fields["contact_email"] = check_email(email)
    if not fields:
        raise InvalidEntry("give --name, --email or both")
    return _update(con, rejection_id, **fields)


def add_feedback(con, rejection_id: int, text: str | None = None, file: Path | None = None,
                 received_on: date | None = None) -> int:
    """Keep a piece of feedback received (from --text or --file, dated `received_on`, default today); returns
    its id. Earlier feedback stays."""
    from warehouse.journal import add_feedback as store

    body = read_text(text, file)
    return store(con, rejection_id, body, check_day(received_on))


def set_review(con, rejection_id: int, went_well: str | None = None, went_wrong: str | None = None,
               tags: tuple[str, ...] | list[str] = ()) -> dict:
    """Keep the self-review: what went well, what went wrong, and tags from `review_tags.TAGS`. The parts given
    replace the stored ones ("" clears a text; tags given replace the stored tags)."""
    fields = {}
    if went_well is not None:
        fields["went_well"] = went_well.strip() or None
    if went_wrong is not None:
        fields["went_wrong"] = went_wrong.strip() or None
    if tags:
        fields["went_wrong_tags"] = list(dict.fromkeys(normalise_tag(t) for t in tags))
    if not fields:
        raise InvalidEntry("give --went-well, --went-wrong or --tag")
    for name in ("went_well", "went_wrong"):
        if fields.get(name) and len(fields[name]) > MAX_TEXT:
            raise InvalidEntry(f"--{name.replace('_', '-')} is longer than {MAX_TEXT:,} characters")
    return _update(con, rejection_id, **fields)


def record_asked(con, rejection_id: int, on: date | None = None, now: datetime | None = None) -> dict:
    """Record that feedback was asked (today, or on the day given): by phone, or by a draft you sent yourself."""
    day = check_day(on)
    moment = now if on is None and now is not None else datetime.combine(day, time(12))
    return _update(con, rejection_id, feedback_asked_at=moment)


def _update(con, rejection_id: int, **fields) -> dict:
    from warehouse.journal import update_journal

    return update_journal(con, rejection_id, **fields)
