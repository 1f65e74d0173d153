"""The one-time preparation of the packaged model: it says what it does, step by step, on stderr, and a second data
home on the same machine reuses it (one export per user cache directory and model)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.model


def plenty_import(home: Path, cache_home: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    postings = tmp_path / "postings.jsonl"
    postings.write_text(json.dumps({"title": "Registered Nurse", "company": "Leeds NHS"}) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PLENTY_MODEL_CACHE"}  # the default cache, as a user has
    env.update(PLENTY_HOME=str(home), XDG_CACHE_HOME=str(cache_home))
    script = Path(sys.executable).with_name("plenty")
    run = subprocess.run([str(script), "import", str(postings)], env=env, capture_output=True, text=True,
                         timeout=1200)
    assert run.returncode == 0, run.stderr
    return run


def test_the_export_reports_its_steps_once_and_a_second_data_home_reuses_it(tmp_path):
    cache_home = tmp_path / "cache"
    first = plenty_import(tmp_path / "home-a", cache_home, tmp_path)
    lines = [line for line in first.stderr.splitlines() if line.startswith("plenty: ")]
    assert lines[0].startswith("plenty: preparing the model all-MiniLM-L6-v2 for this machine (once, about 20 s;")
    steps = [line for line in lines if line.startswith("plenty:   ")]
    assert [line.split("/")[0] for line in steps] == [f"plenty:   {n}" for n in range(1, 6)]
    assert "exporting to ONNX" in steps[1] and "quantising" in steps[3]
    assert lines[-1].startswith("plenty: model all-MiniLM-L6-v2 ready in ")
    (export,) = (cache_home / "plenty" / "models" / "onnx").iterdir()
    before = export.stat()
    assert not (tmp_path / "home-a" / "models").exists()

    second = plenty_import(tmp_path / "home-b", cache_home, tmp_path)
    assert "preparing the model" not in second.stderr and "ready in" not in second.stderr
    assert [p.name for p in (cache_home / "plenty" / "models" / "onnx").iterdir()] == [export.name]
    after = export.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert "Imported 1 postings" in second.stdout and "index holds 1" in second.stdout
