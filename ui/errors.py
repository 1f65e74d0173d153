"""Named exceptions of the web app; `ui.app` turns each into an error page."""

from __future__ import annotations


class UiError(Exception):
    """Base class of every error the web app raises on purpose."""


class WarehouseBusy(UiError):
    """The warehouse stayed locked by another process (a nightly run) for longer than a request waits."""


class CsrfRejected(UiError):
    """A form arrived without this app's token, or from another site."""


class NotFound(UiError):
    """The page names something that does not exist (a rejection, a company, a week)."""
