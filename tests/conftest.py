"""Shared fixtures: a fresh data home per test, quiet isolated Prefect, and the path to ../shared."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = SHARED / "data" / "fixtures"

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


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test when ../shared is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared absent)")
    return path


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
