"""Named exceptions of the command line's own set-up (Prefect's API); turned into one-line messages."""

from datahome.errors import PlentyError


class PrefectUnavailable(PlentyError):
    """Prefect's temporary API server could not be started."""
