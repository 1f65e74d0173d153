"""The dependency rule of docs/ARCHITECTURE.md holds: import-linter's contracts in pyproject.toml are kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.paths import REPO


def test_every_import_linter_contract_is_kept():
    lint = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"]
    result = subprocess.run(lint, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
