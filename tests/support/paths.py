"""Where the tests find the repository, ../shared and their own fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
FIXTURES = SHARED / "data" / "fixtures"
OWN_FIXTURES = REPO / "tests" / "fixtures"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test when ../shared is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared absent)")
    return path
