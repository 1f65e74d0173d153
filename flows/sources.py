"""The sources file: one ``[[source]]`` table per job board plenty crawls."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from flows.errors import SourcesError

# Source kinds and whether each needs a board (aggregators crawl a whole site; their board is an optional filter).
BOARD_REQUIRED = {
    "greenhouse": True,
    "lever": True,
    "ashby": True,
}
KNOWN_KINDS = tuple(BOARD_REQUIRED)
_OPTIONAL_KEYS = {"company", "api_base", "urls", "sitemap", "enabled"}


@dataclass(frozen=True)
class Source:
    """One configured job board."""

    kind: str
    board: str = ""
    company: str | None = None
    api_base: str | None = None
    options: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def key(self) -> str:
        """A stable, filesystem-safe name of this source, e.g. ``greenhouse-gitlab``."""
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.board) or "all"
        return f"{self.kind}-{slug}"


def parse_source(table: dict, where: str) -> Source:
    """Validate one ``[[source]]`` table; ``where`` names it in error messages."""
    if not isinstance(table, dict):
        raise SourcesError(f"{where}: each [[source]] must be a table")
    kind = table.get("kind")
    if not isinstance(kind, str) or kind not in BOARD_REQUIRED:
        raise SourcesError(f"{where}: unknown kind {kind!r}; use one of {', '.join(KNOWN_KINDS)}")
    board = table.get("board", "")
    if not isinstance(board, str) or (BOARD_REQUIRED[kind] and not board.strip()):
        raise SourcesError(f"{where}: kind {kind!r} needs a non-empty board (the board token the ATS uses)")
    unknown = set(table) - {"kind", "board"} - _OPTIONAL_KEYS
    if unknown:
        raise SourcesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    api_base = table.get("api_base")
    if api_base is not None:
        parts = urlsplit(str(api_base))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SourcesError(f"{where}: api_base {api_base!r} is not an http(s) URL")
        api_base = str(api_base).rstrip("/")
    company = table.get("company")
    if company is not None and (not isinstance(company, str) or not company.strip()):
        raise SourcesError(f"{where}: company must be a non-empty string")
    options = {k: table[k] for k in ("urls", "sitemap", "enabled") if k in table}
    return Source(kind=kind, board=board.strip(), company=company, api_base=api_base, options=options)


def load_sources(path: Path) -> list[Source]:
    """All enabled sources of a sources file; raises SourcesError naming the file and what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise SourcesError(f"sources file {path} not found; pass --sources FILE or create it")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesError(f"sources file {path} is not valid TOML: {exc}") from exc
    tables = data.get("source", [])
    if not isinstance(tables, list) or not tables:
        raise SourcesError(f"sources file {path} has no [[source]] tables")
    sources = [parse_source(t, f"{path}: source #{i + 1}") for i, t in enumerate(tables)]
    seen: set[tuple[str, str]] = set()
    for source in sources:
        if (source.kind, source.board) in seen:
            raise SourcesError(f"sources file {path}: {source.kind} board {source.board!r} is listed twice")
        seen.add((source.kind, source.board))
    return [s for s in sources if s.options.get("enabled", True)]
