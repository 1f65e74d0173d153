"""How far the running nightly is, in a small JSON file under the data home that other processes (the web app)
read: the step it is on, its latest progress line, and when that was written."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

PROGRESS_FILE = "nightly-progress.json"


def write_night_progress(home: Path, step: str, detail: str = "") -> None:
    """Replace the progress file with this step and detail (atomically: a reader never sees half a file)."""
    path = Path(home) / PROGRESS_FILE
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"step": step, "detail": detail,
                                     "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}),
                         encoding="utf-8")
    os.replace(temporary, path)


def read_night_progress(home: Path) -> dict | None:
    """The last progress written (step, detail, at), or None when there is none or it cannot be read."""
    try:
        value = json.loads((Path(home) / PROGRESS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) and "step" in value else None
