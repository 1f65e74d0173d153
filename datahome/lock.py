"""One nightly run at a time per data home: an OS file lock, released by the kernel when its process dies."""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from datahome.errors import RunLocked


@contextmanager
def run_lock(path: Path, what: str) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` while the block runs; raise RunLocked naming the holder if taken.

    ``flock`` locks vanish with the process that held them, so a killed run never leaves the lock stuck; the
    file's content only describes the holder for the message.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunLocked(f"another {what} is running ({_describe_holder(path)}); wait for it to finish") from None
        holder = {"pid": os.getpid(), "what": what, "started_at": datetime.now(timezone.utc).isoformat()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def ensure_free(path: Path, what: str) -> None:
    """Raise RunLocked naming the holder when ``path`` is locked now; take nothing otherwise.

    A quick check for commands that have slow set-up before they take the lock for real (``plenty nightly``
    starts Prefect first): the second run refuses at once instead of after that set-up.
    """
    if not path.exists():
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunLocked(f"another {what} is running ({_describe_holder(path)}); wait for it to finish") from None
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _describe_holder(path: Path) -> str:
    try:
        holder = json.loads(path.read_text(encoding="utf-8"))
        return f"{holder['what']} pid {holder['pid']} started {holder['started_at']}"
    except (OSError, ValueError, KeyError):
        return f"lock file {path}"
