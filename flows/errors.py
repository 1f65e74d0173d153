"""Named exceptions of the flows; the CLI turns them into one-line messages."""

from datahome.errors import PlentyError


class AllSourcesFailed(PlentyError):
    """Every configured source failed to crawl in a run."""
