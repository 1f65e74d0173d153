"""The last list of openings shown by ``plenty similar``, kept in the data home so that ``plenty mark #3``
means the third opening of that list."""

from __future__ import annotations

import json
import os
from pathlib import Path

from datahome.errors import InputError

LISTING_FILE = "last-listing.json"


def save_listing(home: Path, posting_ids: list[int]) -> None:
    """Remember the posting ids of the list just shown, best first (written whole, then renamed into place)."""
    path = Path(home) / LISTING_FILE
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    staging.write_text(json.dumps({"posting_ids": [int(i) for i in posting_ids]}) + "\n", encoding="utf-8")
    os.replace(staging, path)


def posting_at_rank(home: Path, rank: int) -> int:
    """The posting id shown at `rank` (1 = first) in the last list; raises `InputError` when there is none."""
    path = Path(home) / LISTING_FILE
    try:
        ids = json.loads(path.read_text(encoding="utf-8"))["posting_ids"]
    except FileNotFoundError:
        raise InputError(f"no listing to take #{rank} from; run 'plenty similar' first") from None
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError(f"the last listing ({path}) is unreadable; run 'plenty similar' again") from None
    if not 1 <= rank <= len(ids):
        raise InputError(f"#{rank} is not in the last listing (it had {len(ids)} openings)")
    return int(ids[rank - 1])
