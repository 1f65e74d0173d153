"""Prefect's temporary server started early by plenty: it serves Prefect's API, stops cleanly, and a server that
cannot start is a clear error (library and CLI)."""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from cli.errors import PrefectUnavailable
from cli.prefect_server import TemporaryPrefectServer, prefect_api

REPO = Path(__file__).resolve().parents[2]


def test_a_server_in_prefect_api_url_is_used_as_it_is(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    with prefect_api() as server:
        assert server is None
        assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:4200/api"


def test_once_prefect_is_imported_prefect_starts_its_own(monkeypatch):
    import prefect  # noqa: F401  (its settings are read at import: a URL set later would not reach it)

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with prefect_api() as server:
        assert server is None
        assert "PREFECT_API_URL" not in os.environ


def test_the_temporary_server_serves_prefects_api_and_stops(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    (tmp_path / "prefect").mkdir()
    server = TemporaryPrefectServer()
    try:
        server.wait_ready(300)
        with urllib.request.urlopen(f"{server.api_url}/admin/version", timeout=30) as answer:
            version = json.loads(answer.read())
        import prefect

        assert version == prefect.__version__
        assert (tmp_path / "prefect" / "prefect.db").is_file()  # its state went to the PREFECT_HOME given
    finally:
        server.stop()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{server.api_url}/health", timeout=5)


def test_a_server_that_cannot_start_is_a_named_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    (tmp_path / "prefect").mkdir()
    missing = tmp_path / "no" / "such" / "dir" / "prefect.db"
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", f"sqlite+aiosqlite:///{missing}")
    server = TemporaryPrefectServer()
    try:
        with pytest.raises(PrefectUnavailable, match="exited with code .*PREFECT_API_URL"):
            server.wait_ready(300)
    finally:
        server.stop()


def test_a_server_not_up_in_time_is_stopped_and_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    (tmp_path / "prefect").mkdir()
    server = TemporaryPrefectServer()
    with pytest.raises(PrefectUnavailable, match="did not start within 0.01 s.*PREFECT_API_URL"):
        server.wait_ready(0.01)
    assert server._process.poll() is not None  # stopped, not left running


def test_cli_reports_a_server_not_up_in_time_in_one_line(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nkind = "greenhouse"\nboard = "acme"\napi_base = "http://127.0.0.1:9"\n',
                       encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    # Prefect's setting is whole seconds; its server takes more than 1 s only to import (about 3 s of CPU).
    env.update(PLENTY_HOME=str(tmp_path / "home"), PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="1")
    proc = subprocess.run([str(Path(sys.executable).parent / "plenty"), "nightly", "--sources", str(sources)],
                          env=env, capture_output=True, text=True, cwd=REPO, timeout=600)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1].startswith("Error: Prefect's temporary server did not start within 1 s")
    assert "Traceback" not in proc.stderr
