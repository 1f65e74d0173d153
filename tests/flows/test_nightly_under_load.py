"""``plenty nightly`` on a busy 2-core machine, with no Prefect variable set: Prefect's temporary server may be
slow to start and slow to answer, and the run must succeed anyway (issue 16).

Beside the run, two processes spin on the CPU, as other work on a small machine (or CI) does. The run is the real
``plenty`` script in a subprocess, with every ``PREFECT_*`` variable removed from its environment, so only what
plenty sets itself (cli/prefect_settings.py) keeps Prefect patient.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mirror.board_server import BoardServer, Route
from tests.spiders.test_crawl_faults import greenhouse_board
from warehouse import connect

pytestmark = pytest.mark.model
PLENTY = Path(sys.executable).with_name("plenty")
HOG = "while True: pass"


def cpu_hogs(count: int = 2) -> list[subprocess.Popen]:
    """Processes that keep ``count`` cores busy until they are killed."""
    return [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(count)]


def test_a_nightly_beside_two_busy_processes_succeeds_without_any_prefect_setting(tmp_path):
    home = tmp_path / "home"
    with BoardServer() as server:
        server.routes["/v1/boards/loaded/jobs"] = Route(greenhouse_board(
            {"id": 1, "title": "Registered Nurse"}, {"id": 2, "title": "Data Engineer", "location": None}))
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[source]]\nkind = "greenhouse"\nboard = "loaded"\napi_base = "{server.url}"\n',
                           encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env["PLENTY_HOME"] = str(home)
        hogs = cpu_hogs()
        try:
            run = subprocess.run([str(PLENTY), "nightly", "--sources", str(sources)], env=env, capture_output=True,
                                 text=True, timeout=1800, cwd=tmp_path)
        finally:
            for hog in hogs:
                hog.kill()
                hog.wait()
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
    assert "Traceback" not in run.stderr and "All connection attempts failed" not in run.stderr
    assert any(line.startswith("greenhouse-loaded") and line.endswith(" ok") for line in run.stdout.splitlines())
    with connect(home / "plenty.duckdb") as con:
        assert con.execute("select count(*) from postings where closed_at is null").fetchall() == [(2,)]
    manifest = json.loads((home / "index" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["count"] == 2
