"""Board directories: lists of companies' job boards (kind, token, company, open jobs when last checked).

plenty ships one, derived from the ``ats-jobs-mcp`` package (see `sources.directory_build`); a sources file may
name more (``[directory] files = [...]``), in the same tab-separated columns. A board is found by its company name
or token, case-insensitively.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from sources.errors import SourcesError
from sources.sources_file import BOARD_REQUIRED

DATA = Path(__file__).resolve().parent / "data"
BUILTIN_FILE = DATA / "board_directory.tsv"
BUILTIN_LICENSE = DATA / "board_directory.LICENSE"
BUILTIN_NAME = "ats-jobs-mcp 1.1.0"
COLUMNS = ("kind", "board", "company", "jobs", "checked")


@dataclass(frozen=True)
class DirectoryBoard:
    """One board of a directory."""

    kind: str
    board: str
    company: str | None
    jobs: int | None  # open jobs when the directory last checked it; None: not counted
    checked: date  # when the directory last checked it
    directory: str  # which directory lists it

    @property
    def key(self) -> tuple[str, str]:
        """(kind, board folded): boards are the same board whatever the case of their token."""
        return self.kind, self.board.casefold()


def write_directory(path: Path, rows: list[dict]) -> None:
    """Write directory rows (dicts of `COLUMNS`; None as empty) as tab-separated text with a header."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row[c] for c in COLUMNS])
    Path(path).write_text(out.getvalue(), encoding="utf-8")


def read_directory(path: Path, name: str | None = None) -> list[DirectoryBoard]:
    """The boards of a directory file; raises `SourcesError` naming the file and line of a bad row."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"cannot read the board directory {path}: {exc}") from exc
    reader = csv.reader(io.StringIO(text), delimiter="\t")
    header = next(reader, None)
    if header is None or tuple(header[: len(COLUMNS)]) != COLUMNS:
        raise SourcesError(f"board directory {path}: the first line must name the columns {', '.join(COLUMNS)}")
    boards = []
    for number, fields in enumerate(reader, start=2):
        if not any(fields):
            continue
        boards.append(_board(fields, f"board directory {path} line {number}", name or path.name))
    return boards


def _board(fields: list[str], where: str, directory: str) -> DirectoryBoard:
    if len(fields) < len(COLUMNS):
        raise SourcesError(f"{where}: expected {len(COLUMNS)} tab-separated columns ({', '.join(COLUMNS)})")
    kind, board, company, jobs, checked = (f.strip() for f in fields[: len(COLUMNS)])
    if kind not in BOARD_REQUIRED or not BOARD_REQUIRED[kind]:
        raise SourcesError(f"{where}: kind {kind!r} is not a board kind plenty crawls")
    if not board:
        raise SourcesError(f"{where}: empty board")
    try:
        count = int(jobs) if jobs else None
        when = date.fromisoformat(checked)
    except ValueError:
        raise SourcesError(f"{where}: jobs must be a whole number or empty, checked a date (YYYY-MM-DD)") from None
    if count is not None and count < 0:
        raise SourcesError(f"{where}: jobs cannot be negative")
    return DirectoryBoard(kind, board, company or None, count, when, directory)


@lru_cache(maxsize=1)
def builtin_directory() -> tuple[DirectoryBoard, ...]:
    """The directory shipped with plenty (read once per process)."""
    return tuple(read_directory(BUILTIN_FILE, BUILTIN_NAME))


def merged(directories: list[list[DirectoryBoard]] | list[tuple[DirectoryBoard, ...]]) -> list[DirectoryBoard]:
    """The boards of several directories, each board once (the first directory listing it wins)."""
    seen: set[tuple[str, str]] = set()
    boards = []
    for directory in directories:
        for board in directory:
            if board.key not in seen:
                seen.add(board.key)
                boards.append(board)
    return boards


def find_boards(boards: list[DirectoryBoard], text: str) -> list[DirectoryBoard]:
    """The boards whose company name or token contains `text` (case-insensitive): exact matches of the token or
    name first, then names and tokens starting with it, then the rest, each group by kind and board."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return []
    found = []
    for board in boards:
        token, company = board.board.casefold(), " ".join((board.company or "").split()).casefold()
        if wanted in token or wanted in company:
            rank = 0 if wanted in (token, company) else 1 if (token.startswith(wanted) or company.startswith(wanted)) else 2
            found.append((rank, board.kind, board.board.casefold(), board))
    found.sort(key=lambda item: item[:3])
    return [board for *_, board in found]
