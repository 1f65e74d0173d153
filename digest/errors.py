"""Named exceptions of the digest; the CLI turns them into one-line messages."""

from datahome.errors import PlentyError


class DigestError(PlentyError):
    """Base of every error the digest reports to a user."""


class BadWeek(DigestError):
    """A week is not written YYYY-Www or does not exist."""


class MailConfigError(DigestError):
    """The [smtp] table of config.toml, or the password in the environment, is missing or malformed."""


class SendFailed(DigestError):
    """The SMTP server could not be reached or refused the digest; nothing was marked as sent."""
