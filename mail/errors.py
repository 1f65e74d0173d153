"""Named exceptions of sending mail; the CLI turns them into one-line messages."""

from datahome.errors import PlentyError


class MailError(PlentyError):
    """Base of every error about mail settings or sending."""


class MailConfigError(MailError):
    """The [smtp] table of config.toml, or the password in the environment, is missing or malformed."""


class SendFailed(MailError):
    """The SMTP server could not be reached or refused the message; nothing was recorded as sent."""
