"""Shared fixtures: a fresh data home per test, quiet isolated Prefect, and the path to ../shared."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.support.paths import FIXTURES, REPO, SHARED, shared_path  # noqa: F401 (re-exported for the tests)

# Prefect reads its settings at import: isolate and quiet it before any test imports it.
_PREFECT_HOME = tempfile.mkdtemp(prefix="plenty-prefect-")
os.environ.setdefault("PREFECT_HOME", _PREFECT_HOME)
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# One ONNX export of the packaged model for the whole session, not one per fresh data home.
os.environ.setdefault("PLENTY_MODEL_CACHE", tempfile.mkdtemp(prefix="plenty-models-"))


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A fresh, empty PLENTY_HOME for one test."""
    path = tmp_path / "home"
    monkeypatch.setenv("PLENTY_HOME", str(path))
    monkeypatch.delenv("PLENTY_MODEL", raising=False)
    return path


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for the whole session (its start-up alone can take 25 s on CI)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=300):
        yield


# The fast tier (`make test-fast`, `-m "not model and not browser and not crawl and not prefect"`) leaves out the
# tests that start crawler subprocesses or Prefect's server; `model` and `browser` are marked in their modules.
CRAWL_TESTS = ("spiders/test_crawl_", "sources/test_crawl_", "flows/", "warehouse/test_killed_writes.py")
PREFECT_TESTS = ("flows/", "cli/test_prefect_server.py")


def pytest_collection_modifyitems(config, items):
    """Mark the tests of `CRAWL_TESTS` `crawl` and those of `PREFECT_TESTS` (or using `prefect_harness`)
    `prefect`."""
    for item in items:
        where = Path(str(item.fspath)).resolve().relative_to(REPO / "tests").as_posix()
        if where.startswith(CRAWL_TESTS):
            item.add_marker(pytest.mark.crawl)
        if where.startswith(PREFECT_TESTS) or "prefect_harness" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.prefect)
