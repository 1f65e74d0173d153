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


def test_the_client_and_server_are_made_patient_unless_the_user_chose(home, monkeypatch):
    import os

    from cli.prefect_settings import PATIENT_PREFECT

    for name in PATIENT_PREFECT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "2")
    configure_prefect(load_settings())
    assert os.environ["PREFECT_CLIENT_MAX_RETRIES"] == "2"  # the user's value wins
    assert os.environ["PREFECT_CLIENT_RETRY_EXTRA_CODES"] == "500"
    assert float(os.environ["PREFECT_API_REQUEST_TIMEOUT"]) >= 120
    assert float(os.environ["PREFECT_SERVER_DATABASE_TIMEOUT"]) >= 30


def test_prefect_reads_the_patient_defaults_as_its_own_settings(tmp_path):
    # In a fresh process, as `plenty nightly` sets them before Prefect is imported.
    import subprocess
    import sys

    from cli.prefect_settings import PATIENT_PREFECT
    from tests.support.paths import REPO

    code = ("from prefect.settings import get_current_settings as g; s = g(); "
            "print(s.client.max_retries, sorted(s.client.retry_extra_codes), s.api.request_timeout, "
            "s.server.database.timeout, s.server.database.connection_timeout)")
    env = {**PATIENT_PREFECT, "PREFECT_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["8", "[500]", "180.0", "60.0", "60.0"]


def test_the_digest_runs_without_importing_prefect(home):
    # The weekly digest is plain Python: it never waits on Prefect's server, loaded machine or not.
    import subprocess
    import sys

    from tests.support.paths import REPO

    code = ("import sys; from cli.main import cli; cli(['digest'], standalone_mode=False); "
            "print('prefect' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "False" and "Digest " in run.stdout
