"""Prefect set-up for server-less runs, and a clear error when its temporary server cannot start."""

import pytest

from cli.errors import PrefectUnavailable
from cli.prefect_settings import configure_prefect, prefect_server_errors
from datahome.settings import load_settings


def test_server_start_timeout_becomes_a_plenty_error():
    with pytest.raises(PrefectUnavailable, match="PREFECT_API_URL"):
        with prefect_server_errors():
            raise RuntimeError("Timed out while attempting to connect to ephemeral Prefect API server.")


def test_other_runtime_errors_pass_through():
    with pytest.raises(RuntimeError, match="something else"):
        with prefect_server_errors():
            raise RuntimeError("something else")


def test_prefect_state_lives_in_the_data_home_unless_set(home, monkeypatch):
    monkeypatch.delenv("PREFECT_HOME", raising=False)
    monkeypatch.delenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", raising=False)
    configure_prefect(load_settings())
    import os

    assert os.environ["PREFECT_HOME"] == str(home / "prefect")
    assert (home / "prefect").is_dir()  # created with its parents: a fresh data home does not exist yet
    assert int(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]) >= 120
