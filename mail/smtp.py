"""SMTP settings from `[smtp]`, the password only from the environment, and sending one message."""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from typing import Sequence

from mail.errors import MailConfigError, SendFailed

PASSWORD_VARIABLE = "PLENTY_SMTP_PASSWORD"
SECURITY = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send: from config.toml's `[smtp]` table (never the password)."""

    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str | None = None
    security: str = "starttls"
    timeout: float = 60.0
    cafile: str | None = None


def mail_settings(table: dict, where: str = "config.toml", *, needs_to: bool = True) -> MailSettings:
    """Validate an `[smtp]` table: host, port, from, to (one address or a list; optional when not `needs_to`, as
    for drafts, which go to the journal's contact), optional user, security ("starttls", "ssl" or "none"; or the
    booleans ``starttls`` / ``ssl``), timeout and cafile (a CA bundle for a server with a private certificate).
    Raises MailConfigError naming the missing or bad key."""
    if not table:
        keys = "host, port, from, to" if needs_to else "host, port, from"
        raise MailConfigError(f"sending needs an [smtp] table in {where} ({keys}); see the README")
    host = str(table.get("host") or "").strip()
    if not host:
        raise MailConfigError(f"[smtp] in {where} has no host")
    security = _security(table, where)
    try:
        port = int(table.get("port") or (465 if security == "ssl" else 587))
        timeout = float(table.get("timeout", 60))
    except (TypeError, ValueError):
        raise MailConfigError(f"[smtp] port and timeout in {where} must be numbers") from None
    sender = str(table.get("from") or table.get("user") or "").strip()
    if "@" not in parseaddr(sender)[1]:
        raise MailConfigError(f"[smtp] in {where} needs a sender address: from = \"you@example.org\"")
    to = table.get("to")
    recipients = tuple(str(a).strip() for a in ([to] if isinstance(to, str) else (to or [])) if str(a).strip())
    bad = [a for a in recipients if "@" not in parseaddr(a)[1]]
    if (needs_to and not recipients) or bad:
        raise MailConfigError(f"[smtp] in {where} needs to = \"you@example.org\" (or a list of addresses)"
                              + (f"; not an address: {bad[0]!r}" if bad else ""))
    user = str(table.get("user") or "").strip() or None
    cafile = str(table["cafile"]) if table.get("cafile") else None
    return MailSettings(host, port, sender, recipients, user, security, timeout, cafile)


def _security(table: dict, where: str) -> str:
    if "security" in table:
        value = str(table["security"]).strip().lower()
        if value not in SECURITY:
            raise MailConfigError(f"[smtp] security in {where} must be one of {', '.join(SECURITY)}, got {value!r}")
        return value
    if table.get("ssl"):
        return "ssl"
    if table.get("starttls") is False:
        return "none"
    return "ssl" if str(table.get("port")) == "465" else "starttls"


def smtp_password(mail: MailSettings) -> str | None:
    """The SMTP password from PLENTY_SMTP_PASSWORD; required when a user is configured."""
    password = os.environ.get(PASSWORD_VARIABLE)
    if mail.user and not password:
        raise MailConfigError(f"[smtp] user is set but {PASSWORD_VARIABLE} is not; export the password there "
                              "(it is never read from config.toml)")
    return password


def message_id(mail: MailSettings) -> str:
    """A fresh Message-ID in the sender's domain."""
    return make_msgid(domain=parseaddr(mail.sender)[1].rpartition("@")[2] or None)


def send_message(message: EmailMessage, mail: MailSettings, password: str | None, *,
                 recipients: Sequence[str] | None = None, what: str = "the message",
                 unsent: str = "nothing was recorded as sent") -> None:
    """Deliver ``message`` to ``recipients`` (default: `[smtp] to`) or raise SendFailed naming ``what`` failed and
    ``unsent`` (what the caller left undone); the error never names the password."""
    to = list(recipients or mail.recipients)
    context = ssl.create_default_context(cafile=mail.cafile)
    try:
        if mail.security == "ssl":
            client = smtplib.SMTP_SSL(mail.host, mail.port, timeout=mail.timeout, context=context)
        else:
            client = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout)
        with client:
            if mail.security == "starttls":
                client.starttls(context=context)
            if mail.user:
                client.login(mail.user, password or "")
            refused = client.send_message(message, from_addr=parseaddr(mail.sender)[1],
                                          to_addrs=[parseaddr(a)[1] for a in to])
    except (smtplib.SMTPException, OSError) as exc:
        raise SendFailed(f"could not send {what} through {mail.host}:{mail.port} ({_describe(exc)}); {unsent}") from None
    if refused:
        raise SendFailed(f"the server refused {', '.join(sorted(refused))} for {what}; {unsent}")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "refused " + ", ".join(f"{a}: {c} {_text(m)}" for a, (c, m) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__}: {exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
