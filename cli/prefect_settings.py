"""Prefect settings for running without a server; must run before ``prefect`` is imported."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from cli.errors import PrefectUnavailable
from datahome.settings import Settings

# Seconds to wait for Prefect's temporary server: it can take 25 s to start on a busy 2-core machine, and Prefect's
# default of 20 s fails at random there.
TEMPORARY_SERVER_TIMEOUT_S = 300
# Once the server answers /health, a starved machine can still make it slow to answer, or its SQLite database
# busy: these defaults (Prefect's own settings; a user's values win) keep the client patient. The client retries
# timeouts, resets and 429/502/503 answers with exponential back-off (2, 4, 8, ... s): 8 retries wait up to ~8
# minutes instead of 5 retries and ~1 minute; 500 is what a request that met a locked database may answer; each
# request may take 3 minutes rather than 1; the server waits a minute, not 10 s, for its database.
PATIENT_PREFECT = {
    "PREFECT_CLIENT_MAX_RETRIES": "8",
    "PREFECT_CLIENT_RETRY_EXTRA_CODES": "500",
    "PREFECT_API_REQUEST_TIMEOUT": "180",
    "PREFECT_SERVER_DATABASE_TIMEOUT": "60",
    "PREFECT_SERVER_DATABASE_CONNECTION_TIMEOUT": "60",
}


def configure_prefect(settings: Settings) -> None:
    """Keep Prefect's state under the data home, quiet, and patient with a slow temporary server and a slow API
    (`PATIENT_PREFECT`).

    Values already in the environment win, so a user with a real Prefect server keeps ``PREFECT_API_URL``.
    """
    os.environ.setdefault("PREFECT_HOME", str(settings.home / "prefect"))
    # Prefect creates only the last level of its home; on a fresh data home its server would fail to start.
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(TEMPORARY_SERVER_TIMEOUT_S))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
    for name, value in PATIENT_PREFECT.items():
        os.environ.setdefault(name, value)


def startup_timeout() -> float:
    """Seconds to wait for the temporary server: Prefect's own setting for it, else plenty's default."""
    try:
        return float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", TEMPORARY_SERVER_TIMEOUT_S))
    except ValueError:
        return float(TEMPORARY_SERVER_TIMEOUT_S)


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
