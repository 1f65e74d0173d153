"""Named exceptions every part of plenty above the storage layers shares; the CLI turns them into one-line
messages. Each package adds its own beside them (`sources.errors`, `recommend.errors`, `digest.errors`, ...)."""


class PlentyError(Exception):
    """Base of every error plenty's own packages (above spiders, warehouse, embeddings) report to a user."""


class ConfigError(PlentyError):
    """The configuration file or an environment setting is invalid."""


class InputError(PlentyError):
    """An input (file, text, id, date, filter) is invalid."""


class RunLocked(PlentyError):
    """Another nightly run holds the data home's lock."""
