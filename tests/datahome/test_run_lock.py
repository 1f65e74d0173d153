"""The data home's run lock: a second run refuses, a dead run leaves nothing stuck."""

import os
import signal
import subprocess
import sys

import pytest

from datahome.errors import RunLocked
from datahome.lock import run_lock

HOLD = """
import sys, time
from pathlib import Path
from datahome.lock import run_lock
with run_lock(Path(sys.argv[1]), "nightly run"):
    print("locked", flush=True)
    time.sleep(600)
"""


def test_second_holder_is_refused_with_the_first_named(tmp_path):
    lock = tmp_path / "nightly.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(RunLocked, match=f"nightly run pid {holder.pid} started"):
            with run_lock(lock, "nightly run"):
                pass
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_holder_leaves_the_lock_free(tmp_path):
    lock = tmp_path / "nightly.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    with run_lock(lock, "nightly run"):
        assert str(os.getpid()) in lock.read_text()


def test_lock_is_released_after_the_block(tmp_path):
    lock = tmp_path / "nightly.lock"
    with run_lock(lock, "nightly run"):
        pass
    with run_lock(lock, "nightly run"):
        pass
