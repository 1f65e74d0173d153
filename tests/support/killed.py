"""Run ``plenty nightly`` as a real process, wait for a stage line on stderr, kill it; then check the data home.

The checks are what "nothing lost, nothing doubled" means: every posting the boards list is open exactly once,
the FAISS index holds exactly the open postings' ids, and the latest match run is finished and complete.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
PLENTY = REPO / ".venv" / "bin" / "plenty"
DEMO = REPO / "demo"
# Generous: a busy 2-core CI box needs up to 25 s for Prefect's temporary server and more to import torch.
STAGE_WAIT = 900


@dataclass
class NightlyProcess:
    """A ``plenty nightly`` child in its own process group, its stderr read line by line in a thread."""

    proc: subprocess.Popen
    lines: list[str] = field(default_factory=list)
    stdout: str = ""
    _readers: list[threading.Thread] = field(default_factory=list)

    @classmethod
    def start(cls, home: Path, sources: Path, env: dict | None = None) -> "NightlyProcess":
        """Start ``plenty nightly --sources SOURCES`` with ``PLENTY_HOME=home``."""
        (home / "prefect").mkdir(parents=True, exist_ok=True)
        environment = dict(os.environ, PLENTY_HOME=str(home), PREFECT_HOME=str(home / "prefect"), **(env or {}))
        proc = subprocess.Popen([str(PLENTY), "nightly", "--sources", str(sources)], env=environment, cwd=REPO,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        run = cls(proc)
        run._readers = [threading.Thread(target=run._read_stderr, daemon=True),
                        threading.Thread(target=run._read_stdout, daemon=True)]
        for reader in run._readers:
            reader.start()
        return run

    def _read_stderr(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def _read_stdout(self) -> None:
        self.stdout = self.proc.stdout.read()

    def wait_for(self, pattern: str, timeout: float = STAGE_WAIT) -> str:
        """The first stderr line matching ``pattern``; fails the test if the process ends or time runs out."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if regex.search(line):
                    return line
            if self.proc.poll() is not None:
                time.sleep(0.5)  # let the reader thread drain what is left
                if not any(regex.search(line) for line in self.lines):
                    break
            time.sleep(0.02)
        self.kill_all()
        pytest.fail(f"no stderr line matched {pattern!r}; exit {self.proc.poll()}; stderr:\n" + "\n".join(self.lines))

    def kill(self) -> None:
        """SIGKILL the nightly process itself (only it: its children are left to die by themselves)."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=60)

    def group_members(self) -> list[tuple[int, str]]:
        """(pid, command line) of the processes still alive in the run's process group."""
        members = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                pgrp = int(stat.rsplit(")", 1)[1].split()[2])
                state = stat.rsplit(")", 1)[1].split()[0]
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except (OSError, ValueError, IndexError):
                continue
            if pgrp == self.proc.pid and state != "Z":
                members.append((int(entry.name), cmdline))
        return members

    def kill_all(self) -> None:
        """Clean up: SIGKILL whatever is left of the run's process group (Prefect's temporary server)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=60)

    def finish(self, timeout: float = STAGE_WAIT) -> int:
        """Wait for the run to end; returns its exit code (stdout kept in ``stdout``)."""
        try:
            self.proc.wait(timeout=timeout)
        finally:
            self.kill_all()
        for reader in self._readers:
            reader.join(timeout=60)
        return self.proc.returncode


def demo_boards(names: list[str]) -> dict[tuple[str, str], Path]:
    """(kind, board) -> file for the named demo boards."""
    found = {}
    for kind in ("greenhouse", "lever", "ashby"):
        for file in sorted((DEMO / "boards" / kind).glob("*.json")):
            if file.stem in names:
                found[(kind, file.stem)] = file
    assert len(found) == len(names), f"missing demo boards: {set(names) - {b for _, b in found}}"
    return found


def listed_ids(boards: dict[tuple[str, str], Path]) -> set[tuple[str, str, str]]:
    """(kind, board, source_id) of every posting the board files list (Ashby's unlisted ones left out)."""
    ids = set()
    for (kind, board), file in boards.items():
        data = json.loads(file.read_text(encoding="utf-8"))
        jobs = data if kind == "lever" else data["jobs"]
        ids |= {(kind, board, str(job["id"])) for job in jobs if job.get("isListed", True) is not False}
    return ids


def write_sources(path: Path, boards, api_base: str) -> Path:
    """A sources file for ``boards`` served at ``api_base``."""
    path.write_text("".join(f'[[source]]\nkind = "{kind}"\nboard = "{board}"\napi_base = "{api_base}"\n\n'
                            for kind, board in boards), encoding="utf-8")
    return path


def check_consistent(home: Path, expected: set[tuple[str, str, str]], rejections: int, k: int = 20) -> None:
    """Every expected posting open exactly once and nothing else open; index ids == open ids; matches complete."""
    from embeddings.index import VectorIndex
    from warehouse import connect
    from warehouse.checks import check_keys

    with connect(home / "plenty.duckdb") as con:
        rows = con.execute("select source, board, source_id, posting_id from postings where closed_at is null"
                           ).fetchall()
        keys = con.execute("select count(*), count(distinct posting_key) from postings").fetchall()[0]
        failing = {table: n for table, n in check_keys(con).items() if n}
        model = con.execute("select model from match_runs order by started_at desc limit 1").fetchall()
        runs = con.execute("select run_id, finished_at from match_runs order by started_at desc").fetchall()
        latest = runs[0][0]
        matched = dict(con.execute("select rejection_id, count(*) from matches where run_id = $r group by 1",
                                   {"r": latest}).fetchall())
        matched_rank = con.execute("select count(*) from matches where run_id = $r and rank between 1 and $k",
                                   {"r": latest, "k": k}).fetchall()[0][0]
    assert failing == {}, f"key tests fail: {failing}"
    assert keys[0] == keys[1], "a posting key is stored twice"
    found = [(source, board, source_id) for source, board, source_id, _ in rows]
    assert len(found) == len(set(found)), "an open posting is stored twice"
    assert set(found) == expected, (f"lost: {sorted(expected - set(found))[:5]}, "
                                    f"extra: {sorted(set(found) - expected)[:5]}")
    index = VectorIndex.load(home / "index", expected_model=model[0][0])
    assert np.array_equal(np.sort(index.ids()), np.sort(np.array([r[3] for r in rows], dtype=np.int64)))
    assert runs[0][1] is not None, "the latest match run never finished"
    assert len(matched) == rejections and all(n == min(k, len(expected)) for n in matched.values()), matched
    assert matched_rank == sum(matched.values())
