"""Named exceptions of the recommender; the CLI turns them into one-line messages."""

from datahome.errors import PlentyError


class UnknownCompany(PlentyError):
    """No open posting belongs to the company a command names."""


class CalibrationError(PlentyError):
    """The match-percentage calibration has no curve for the kind of query asked for."""


class RecommendError(PlentyError):
    """The recommender's own data disagree (e.g. vectors that do not match the corpus they were read with)."""
