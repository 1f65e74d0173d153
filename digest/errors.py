"""Named exceptions of the digest; the CLI turns them into one-line messages. Mail errors live in `mail.errors`."""

from datahome.errors import PlentyError
from mail.errors import MailConfigError, SendFailed

__all__ = ["BadWeek", "DigestError", "MailConfigError", "SendFailed"]


class DigestError(PlentyError):
    """Base of every error the digest reports to a user."""


class BadWeek(DigestError):
    """A week is not written YYYY-Www or does not exist."""
