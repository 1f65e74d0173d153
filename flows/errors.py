"""Named exceptions of the glue layer; the CLI turns them into one-line messages."""


class PlentyError(Exception):
    """Base of every error the flows layer reports to a user."""


class SourcesError(PlentyError):
    """The sources file is missing, malformed or names an unknown kind."""


class ConfigError(PlentyError):
    """The configuration file or an environment setting is invalid."""


class InputError(PlentyError):
    """A command-line input (file, text, id, date) is invalid."""


class RunLocked(PlentyError):
    """Another nightly run holds the data home's lock."""


class AllSourcesFailed(PlentyError):
    """Every configured source failed to crawl in a run."""


class UnknownCompany(PlentyError):
    """No open posting belongs to the company a command names."""


class PrefectUnavailable(PlentyError):
    """Prefect's temporary API server could not be started."""
