"""`plenty ui` on the data home `make demo` leaves: it shows the demo's rejection and the same matches the demo
printed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from datahome.settings import load_settings
from tests.ui.world import posting_ids
from ui.app import create_app

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.model, pytest.mark.prefect]


def test_the_demo_data_home_shows_the_demo_rejection_and_its_matches(tmp_path, monkeypatch):
    home = tmp_path / "demo-home"
    demo = subprocess.run([sys.executable, "-m", "demo", "--home", str(home)], cwd=REPO, capture_output=True,
                          text=True, timeout=1800, env={**os.environ, "PLENTY_HOME": str(home)})
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    printed = re.findall(r"#\d+\s+\d+ %\s+(.+?) — ", demo.stdout)
    assert len(printed) == 8

    monkeypatch.setenv("PLENTY_HOME", str(home))
    with TestClient(create_app(load_settings()), base_url="http://127.0.0.1") as client:
        front = client.get("/").text
        assert "Senior Backend Engineer, Payments Platform</strong> at Ledgerline" in front
        page = client.get("/rejections/1").text
    assert len(posting_ids(page)) >= 8
    shown = re.findall(r'class="title"[^>]*>([^<]+)</', page)
    import html

    assert [html.unescape(t) for t in shown[:8]] == printed
