"""Named exceptions of the sources; the CLI turns them into one-line messages."""

from datahome.errors import PlentyError


class SourcesError(PlentyError):
    """The sources file is missing, malformed or names an unknown kind."""
