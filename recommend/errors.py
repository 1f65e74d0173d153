"""Named exceptions of the recommender; the CLI turns them into one-line messages."""

from datahome.errors import PlentyError


class UnknownCompany(PlentyError):
    """No open posting belongs to the company a command names."""
