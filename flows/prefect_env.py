"""Prefect settings for running without a server; must run before ``prefect`` is imported."""

from __future__ import annotations

import os

from flows.config import Settings


def configure_prefect(settings: Settings) -> None:
    """Keep Prefect's state under the data home, quiet, and patient with a slow temporary server.

    Values already in the environment win, so a user with a real Prefect server keeps ``PREFECT_API_URL``.
    """
    os.environ.setdefault("PREFECT_HOME", str(settings.home / "prefect"))
    # The temporary server can take 25 s to start on a busy 2-core machine; the default 20 s fails at random.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
