"""Named errors of the spiders package; only the crawl runner's command line turns them into messages."""

from __future__ import annotations


class SpiderError(Exception):
    """Base class of every error raised by the spiders package."""


class UnknownKind(SpiderError):
    """No spider exists for the requested source kind."""


class BadArgument(SpiderError):
    """A spider or runner argument is missing or malformed (no board, a non-numeric page size, ...)."""


class UnexpectedResponse(SpiderError):
    """A board answered with something that is not the JSON shape its API documents."""
