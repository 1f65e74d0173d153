"""Helpers for the spider and crawl tests: fixture paths, recorded responses and a crawl subprocess runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.http import TextResponse

REPO = Path(__file__).resolve().parents[2]
OWN_FIXTURES = REPO / "tests" / "fixtures" / "spiders"
SHARED_FIXTURES = REPO.parent / "shared" / "data" / "fixtures"
ATS_2026 = SHARED_FIXTURES / "ats-2026"
LEVER_2015 = SHARED_FIXTURES / "lever-2015"

# A fast, quiet crawl for tests: no politeness delays against our own loopback server.
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false", "--set", "RETRY_TIMES=0"]


def shared(path: Path) -> Path:
    """``path`` under ../shared, skipping the test when it is absent."""
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared absent)")
    return path


def recorded_boards(kind: str) -> list[tuple[str, Path]]:
    """(board, file) for each ats-2026 recording of ``kind``, the board read from the recorded endpoint."""
    manifest = ATS_2026 / "manifest.json"
    if not manifest.exists():
        return []
    boards = []
    for entry in json.loads(manifest.read_text()):
        if entry["source"] == kind:
            path = urlsplit(entry["endpoint"].split()[-1]).path
            board = path.rstrip("/").split("/")[-1] if kind != "greenhouse" else path.split("/")[3]
            boards.append((board, ATS_2026 / entry["file"]))
    return boards


def response_for(url: str, file: Path) -> TextResponse:
    """A Scrapy response with a recorded body, as the API would have answered at ``url``."""
    return TextResponse(url=url, body=Path(file).read_bytes(), encoding="utf-8")


def as_dicts(results) -> list[dict]:
    """The items among a callback's results, as plain dicts."""
    return [asdict(r) for r in results if not hasattr(r, "callback")]


def clean_title(title: str) -> str:
    """A title as the feed carries it: whitespace runs collapsed."""
    return " ".join(title.split())


def run_crawl(tmp_path: Path, kind: str, board: str, api_base: str, *extra: str) -> tuple[int, dict, list[dict], str]:
    """Run ``python -m spiders.crawl`` as a subprocess; returns (exit code, status, feed items, stderr)."""
    out, status = tmp_path / f"{kind}-{board}.jsonl", tmp_path / f"{kind}-{board}.status.json"
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(
        [sys.executable, "-m", "spiders.crawl", "--kind", kind, "--board", board, "--api-base", api_base,
         "--out", str(out), "--status", str(status), *FAST, *extra],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )
    assert status.exists(), proc.stderr
    assert not out.with_name(out.name + ".part").exists(), "the .part feed must be renamed"
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    return proc.returncode, json.loads(status.read_text(encoding="utf-8")), items, proc.stderr
