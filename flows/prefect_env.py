"""Prefect settings for running without a server; must run before ``prefect`` is imported."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from flows.config import Settings
from flows.errors import PrefectUnavailable


def configure_prefect(settings: Settings) -> None:
    """Keep Prefect's state under the data home, quiet, and patient with a slow temporary server.

    Values already in the environment win, so a user with a real Prefect server keeps ``PREFECT_API_URL``.
    """
    os.environ.setdefault("PREFECT_HOME", str(settings.home / "prefect"))
    # Prefect creates only the last level of its home; on a fresh data home its server would fail to start.
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
    # The temporary server can take 25 s to start on a busy 2-core machine; the default 20 s fails at random.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")


@contextmanager
def prefect_server_errors() -> Iterator[None]:
    """Turn Prefect's failure to start its temporary server into a message that says what to do."""
    try:
        yield
    except RuntimeError as exc:
        if "ephemeral Prefect API server" not in str(exc):
            raise
        raise PrefectUnavailable(
            "Prefect's temporary server did not start in time (the machine may be overloaded); retry, raise "
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, or run 'prefect server start' and set PREFECT_API_URL"
        ) from None
