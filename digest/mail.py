"""Mail the digest: multipart text + HTML to `[smtp] to`, through the shared SMTP settings and sending (`mail.smtp`)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

from mail.smtp import MailSettings, mail_settings, message_id, smtp_password
from mail.smtp import send_message as send_smtp

__all__ = ["build_message", "mail_settings", "send_message", "smtp_password"]


def build_message(subject: str, text: str, html: str, mail: MailSettings) -> EmailMessage:
    """A multipart/alternative message: the Markdown as text/plain, then the HTML."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = mail.sender
    message["To"] = ", ".join(mail.recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = message_id(mail)
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message


def send_message(message: EmailMessage, mail: MailSettings, password: str | None) -> None:
    """Deliver the digest to every recipient or raise SendFailed; a failed digest is not marked as sent."""
    send_smtp(message, mail, password, what="the digest", unsent="it is not marked as sent and the next run retries it")
