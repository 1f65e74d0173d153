"""Drafts written from the journal: asking for feedback, thanking (the door kept open), following up on a
request. Each is printed, saved as .txt and .eml under the data home, and mailed on request.

Templates are Jinja2 files, shipped in journal/templates and overridden by a file of the same name in
`$PLENTY_HOME/templates/`. They run sandboxed, and every value they print is made one inert line of text, so no
journal field can add a line, a header or a control sequence; mail headers are built by the email package
(`Address`), never by joining strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from importlib import resources
from pathlib import Path

from datahome.files import write_atomically
from datahome.settings import Settings
from display.safe_text import safe_line
from journal.errors import DraftNotReady, InvalidEntry, TemplateError
from journal.view import FOLLOW_UP_AFTER_DAYS, days_since

KINDS = ("ask", "thank", "follow-up")
_SUBJECT = re.compile(r"\ASubject:[ \t]*(.*)\n")


@dataclass
class Draft:
    """One draft: its subject and body, the contact it is for, and where it was saved."""

    rejection_id: int
    kind: str
    subject: str
    body: str
    to: Address | None
    template: str
    txt_path: Path | None = None
    eml_path: Path | None = None
    sent: bool = False

    @property
    def text(self) -> str:
        """The draft as the .txt file holds it: To and Subject lines, a blank line, the body."""
        to = str(self.to) if self.to else "(no address yet: plenty reject contact ID --email ...)"
        return f"To: {to}\nSubject: {self.subject}\n\n{self.body}\n"


def drafts_dir(settings: Settings) -> Path:
    """Where drafts are saved: ``$PLENTY_HOME/drafts``."""
    return settings.home / "drafts"


def templates_dir(settings: Settings) -> Path:
    """Where a user's own templates override the shipped ones: ``$PLENTY_HOME/templates``."""
    return settings.home / "templates"


def make_draft(settings: Settings, rejection_id: int, kind: str, *, send: bool = False, today: date | None = None,
               now: datetime | None = None) -> Draft:
    """Write the `kind` draft of a rejection from its journal, save it, and mail it when `send` (recording the
    request for `ask` and `follow-up`). Everything a send needs is checked before any file is written."""
    from warehouse.db import connect

    if kind not in KINDS:
        raise InvalidEntry(f"unknown draft {kind!r}; use one of {', '.join(KINDS)}")
    today = today or date.today()
    mail = _mail_for_sending(settings) if send else None
    with connect(settings.db_path) as con:
        draft = compose_draft(settings, con, rejection_id, kind, today)
    if send and draft.to is None:
        raise DraftNotReady(f"rejection {rejection_id} has no contact e-mail; add one with 'plenty reject contact "
                            f"{rejection_id} --email ...'")
    message = write_draft(settings, draft, mail[0] if mail else _configured_sender(settings))
    if send:
        send_draft(settings, draft, message, *mail, now=now)
    return draft


def compose_draft(settings: Settings, con, rejection_id: int, kind: str, today: date) -> Draft:
    """The draft of `kind` for a rejection, rendered from its template (nothing saved)."""
    from journal.view import journal_view
    from warehouse.profiles import current_profile

    view = journal_view(con, rejection_id, today)
    if kind == "follow-up":
        _check_follow_up(view, today)
    profile = current_profile(con) or {}
    fields = draft_fields(view, profile.get("name"), today)
    source, origin = load_template(settings, kind)
    subject, body = render_template(source, origin, fields)
    to = None
    if view.get("contact_email"):
        user, _, domain = view["contact_email"].rpartition("@")
        to = Address(display_name=view.get("contact_name") or "", username=user, domain=domain)
    return Draft(int(rejection_id), kind, subject, body, to, origin)


def draft_fields(view: dict, my_name: str | None, today: date) -> dict:
    """What a template may print, each one line: role, company, stage, rejected_on, contact_name, contact_email,
    my_name, asked_on, days_since_asked."""
    asked = view.get("feedback_asked_at")
    return {
        "role": view["title"],
        "company": view.get("company") or "the company",
        "stage": (view.get("stage") or "").strip(),
        "rejected_on": _long_date(view.get("rejected_on")),
        "contact_name": view.get("contact_name") or "",
        "contact_email": view.get("contact_email") or "",
        "my_name": my_name or "",
        "asked_on": _long_date(asked),
        "days_since_asked": days_since(asked, today),
    }


def load_template(settings: Settings, kind: str) -> tuple[str, str]:
    """(text, where it came from) of the `kind` template: the user's override when present, else the shipped one."""
    own = templates_dir(settings) / f"{kind}.txt"
    try:
        if own.exists():
            return own.read_text(encoding="utf-8"), str(own)
        return resources.files("journal").joinpath("templates", f"{kind}.txt").read_text(encoding="utf-8"), \
            f"journal/templates/{kind}.txt"
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"cannot read the template {own} ({exc.__class__.__name__}); fix or remove it") from None


def render_template(source: str, origin: str, fields: dict) -> tuple[str, str]:
    """(subject, body) of a template whose first line is ``Subject: ...``; every printed value made one inert line.
    Raises `TemplateError` naming the file for a syntax error, an unknown field or a missing subject."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    environment = SandboxedEnvironment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                                       finalize=lambda value: " ".join(safe_line(value).split()))
    try:
        text = environment.from_string(source).render(**fields)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template {origin}, line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template {origin}: {safe_line(exc)}; the fields are {', '.join(sorted(fields))}") \
            from None
    text = text.replace("\r\n", "\n")
    match = _SUBJECT.match(text)
    if not match or not match.group(1).strip():
        raise TemplateError(f"template {origin} must start with a line 'Subject: ...'")
    subject = " ".join(safe_line(match.group(1)).split())
    body = text[match.end():].strip("\n")
    return subject, body


def write_draft(settings: Settings, draft: Draft, sender: str | None) -> EmailMessage:
    """Save the draft as ``<id>-<kind>.txt`` and ``.eml`` (an unsent message a mail client opens); returns the
    message."""
    message = EmailMessage()
    message["Subject"] = draft.subject
    if sender:
        message["From"] = sender
    if draft.to is not None:
        message["To"] = draft.to
    message["Date"] = formatdate(localtime=True)
    message["X-Unsent"] = "1"  # mail clients open it as a draft to send, not as a received message
    message.set_content(draft.body + "\n", charset="utf-8")
    folder = drafts_dir(settings)
    draft.txt_path = folder / f"{draft.rejection_id}-{draft.kind}.txt"
    draft.eml_path = folder / f"{draft.rejection_id}-{draft.kind}.eml"
    write_atomically(draft.txt_path, draft.text)
    write_atomically(draft.eml_path, message.as_bytes())
    return message


def send_draft(settings: Settings, draft: Draft, message: EmailMessage, mail, password: str | None,
               now: datetime | None = None) -> None:
    """Mail the saved draft to its contact through `[smtp]`, then record it (and, for `ask` and `follow-up`,
    that feedback was asked). A failed send records nothing."""
    from mail.smtp import message_id, send_message
    from warehouse.db import connect, transaction, utcnow
    from warehouse.journal import record_sent_draft, update_journal

    del message["X-Unsent"]
    del message["From"]
    message["From"] = mail.sender
    message["Message-ID"] = message_id(mail)
    send_message(message, mail, password, recipients=[draft.to.addr_spec], what=f"the {draft.kind} draft",
                 unsent=f"nothing was recorded as sent; the draft is saved in {draft.eml_path}")
    draft.sent = True
    moment = now or utcnow()
    asked = {"ask": {"feedback_asked_at": moment}, "follow-up": {"followed_up_at": moment}}.get(draft.kind)
    with connect(settings.db_path) as con, transaction(con):
        record_sent_draft(con, draft.rejection_id, draft.kind, draft.to.addr_spec, message["Message-ID"], moment)
        if asked:
            update_journal(con, draft.rejection_id, now=moment, atomic=False, **asked)


def _check_follow_up(view: dict, today: date) -> None:
    rid = view["rejection_id"]
    if view["feedback"]:
        raise DraftNotReady(f"rejection {rid} already has feedback; no follow-up is needed ('plenty reject show "
                            f"{rid}')")
    asked = view.get("feedback_asked_at")
    if asked is None:
        raise DraftNotReady(f"feedback was not asked for rejection {rid} yet; write 'plenty draft {rid} ask' first, "
                            f"or record a request made another way with 'plenty reject asked {rid}'")
    waited = days_since(view.get("followed_up_at") or asked, today)
    if waited < FOLLOW_UP_AFTER_DAYS:
        raise DraftNotReady(f"feedback for rejection {rid} was asked {waited} day{'s' if waited != 1 else ''} ago; "
                            f"give them {FOLLOW_UP_AFTER_DAYS} days before following up")


def _mail_for_sending(settings: Settings):
    from mail.smtp import mail_settings, smtp_password

    mail = mail_settings(settings.section("smtp"), str(settings.config_file), needs_to=False)
    return mail, smtp_password(mail)


def _configured_sender(settings: Settings) -> str | None:
    from mail.errors import MailConfigError
    from mail.smtp import mail_settings

    try:
        return mail_settings(settings.section("smtp"), str(settings.config_file), needs_to=False).sender if (
            settings.section("smtp")) else None
    except MailConfigError:
        return None


def _long_date(value) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    return f"{day.day} {day:%B %Y}"
