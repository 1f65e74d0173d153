"""Named exceptions of the journal; the CLI turns them into one-line messages."""

from datahome.errors import PlentyError


class JournalError(PlentyError):
    """Base of every error the journal reports to a user."""


class InvalidEntry(JournalError):
    """A journal field (contact, feedback, review tag, date) is missing or malformed; nothing was written."""


class CVReadError(JournalError):
    """A CV file is missing, unreadable, of an unsupported format, damaged or encrypted; nothing was stored."""


class TemplateError(JournalError):
    """A draft template (shipped or the user's override) cannot be read or rendered."""


class DraftNotReady(JournalError):
    """The journal lacks what a draft or its sending needs (a contact address, a request to follow up on)."""
