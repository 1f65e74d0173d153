"""The sources file: one ``[[source]]`` table per job board plenty crawls."""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from datahome.settings import Settings
from sources.errors import SourcesError

# Source kinds and whether each needs a board (aggregators crawl a whole site; their board is an optional filter).
BOARD_REQUIRED = {
    "greenhouse": True,
    "lever": True,
    "ashby": True,
    "workable": True,
    "smartrecruiters": True,
    "recruitee": True,
    "personio": True,
    "remotive": False,  # a category slug, or "search:TERM"
    "remoteok": False,  # a tag
    "arbeitnow": False,  # a term the title or tags must contain
    "hn": True,  # the "Who is hiring?" thread's item id
    "jsonld": True,  # a name for the site; its pages come from `urls` and/or `sitemap`
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
    _check_kind_options(kind, board.strip(), options, where)
    return Source(kind=kind, board=board.strip(), company=company, api_base=api_base, options=options)


def _is_url(value: object) -> bool:
    parts = urlsplit(value) if isinstance(value, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.netloc)


def _check_kind_options(kind: str, board: str, options: dict, where: str) -> None:
    """What some kinds need beyond a board: page URLs or a sitemap for jsonld, a numeric thread id for hn."""
    urls, sitemap = options.get("urls"), options.get("sitemap")
    if urls is not None and not (isinstance(urls, list) and all(_is_url(u) for u in urls)):
        raise SourcesError(f"{where}: urls must be a list of http(s) URLs")
    if sitemap is not None and not _is_url(sitemap):
        raise SourcesError(f"{where}: sitemap {sitemap!r} is not an http(s) URL")
    if "enabled" in options and not isinstance(options["enabled"], bool):
        raise SourcesError(f"{where}: enabled must be true or false")
    if kind == "jsonld" and not (urls or sitemap):
        raise SourcesError(f"{where}: kind 'jsonld' needs urls = [...] or sitemap = \"URL\" (its pages)")
    if kind != "jsonld" and (urls is not None or sitemap is not None):
        raise SourcesError(f"{where}: urls and sitemap are for kind 'jsonld' only")
    if kind == "hn" and not board.isdigit():
        raise SourcesError(f"{where}: kind 'hn' needs the thread's item id as board (digits), not {board!r}")


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
    include_directory = file_options(data, path)["include_directory"]
    if not isinstance(tables, list) or not (tables or include_directory):
        raise SourcesError(f"sources file {path} has no [[source]] tables (and no include_directory = true)")
    sources = [parse_source(t, f"{path}: source #{i + 1}") for i, t in enumerate(tables)]
    seen: set[tuple[str, str]] = set()
    for source in sources:
        if (source.kind, source.board) in seen:
            raise SourcesError(f"sources file {path}: {source.kind} board {source.board!r} is listed twice")
        seen.add((source.kind, source.board))
    return [s for s in sources if s.options.get("enabled", True)]


def file_options(data: dict, path: Path) -> dict:
    """The sources file's own settings: ``include_directory`` (crawl the board directory's boards too; default
    false), ``directory_files`` (more directories, tab-separated like the shipped one; relative to the file) and
    ``directory_api_base`` (per kind, the API origin the directory's boards are read from: a mirror, a test);
    ``shipped_directory = false`` leaves the directory shipped with plenty out (only ``directory_files``)."""
    include = data.get("include_directory", False)
    if not isinstance(include, bool):
        raise SourcesError(f"sources file {path}: include_directory must be true or false")
    files = data.get("directory_files", [])
    if not (isinstance(files, list) and all(isinstance(f, str) and f.strip() for f in files)):
        raise SourcesError(f"sources file {path}: directory_files must be a list of file paths")
    shipped = data.get("shipped_directory", True)
    if not isinstance(shipped, bool):
        raise SourcesError(f"sources file {path}: shipped_directory must be true or false")
    bases = data.get("directory_api_base", {})
    if not (isinstance(bases, dict) and all(k in BOARD_REQUIRED and _is_url(v) for k, v in bases.items())):
        raise SourcesError(f"sources file {path}: directory_api_base must map source kinds to http(s) URLs")
    return {"include_directory": include, "shipped_directory": shipped, "directory_files": [Path(path).parent / f for f in files],
            "directory_api_base": {k: v.rstrip("/") for k, v in bases.items()}}


def read_file_options(path: Path) -> dict:
    """`file_options` of the sources file at `path`; raises `SourcesError` when it is missing or not TOML."""
    path = Path(path)
    if not path.is_file():
        raise SourcesError(f"sources file {path} not found; pass --sources FILE or create it")
    try:
        return file_options(tomllib.loads(path.read_text(encoding="utf-8")), path)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesError(f"sources file {path} is not valid TOML: {exc}") from exc


def source_table(kind: str, board: str, company: str | None = None, urls: list[str] | None = None,
                 sitemap: str | None = None) -> str:
    """The TOML ``[[source]]`` table for one source (strings quoted as TOML basic strings)."""
    lines = ["[[source]]", f"kind = {json.dumps(kind)}", f"board = {json.dumps(board)}"]
    if company:
        lines.append(f"company = {json.dumps(company)}")
    if urls:
        lines.append(f"urls = [{', '.join(json.dumps(u) for u in urls)}]")
    if sitemap:
        lines.append(f"sitemap = {json.dumps(sitemap)}")
    return "\n".join(lines) + "\n"


def add_source(path: Path, kind: str, board: str, company: str | None = None, urls: list[str] | None = None,
               sitemap: str | None = None) -> Source:
    """Append one source to the sources file after validating it and the file with it; returns the source.

    Raises ``SourcesError`` (and leaves the file as it was) for an unknown kind, an empty or malformed board, a
    source already listed, or a file that is itself invalid. The file is replaced atomically.
    """
    path = Path(path)
    board = (board or "").strip()
    company = company.strip() if company and company.strip() else None
    table = {"kind": kind, "board": board, **({"company": company} if company else {}),
             **({"urls": list(urls)} if urls else {}), **({"sitemap": sitemap} if sitemap else {})}
    source = parse_source(table, "cannot add the source")
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    existing = all_sources(text, path) if text.strip() else []
    if any((s.kind, s.board) == (source.kind, source.board) for s in existing):
        what = f"{kind} board {board!r}" if board else f"{kind} (whole board)"
        raise SourcesError(f"{what} is already in {path}; see 'plenty sources list'")
    separator = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    updated = text + separator + source_table(kind, board, company, urls, sitemap)
    all_sources(updated, path)  # the file as it will be must still load
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(updated, encoding="utf-8")
    os.replace(tmp, path)
    return source


def all_sources(text: str, path: Path) -> list[Source]:
    """Every source of a sources file's text, disabled ones included; raises ``SourcesError`` like ``load_sources``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"sources file {path} is not valid TOML: {exc}; fix it before adding") from exc
    tables = data.get("source", [])
    if not isinstance(tables, list):
        raise SourcesError(f"sources file {path}: 'source' must be an array of [[source]] tables")
    return [parse_source(t, f"{path}: source #{i + 1}") for i, t in enumerate(tables)]


def default_sources_file(settings: Settings) -> Path:
    """The data home's sources file, created from the shipped default list of public boards on first use."""
    if not settings.sources_file.exists():
        settings.ensure_dirs()
        shipped = resources.files("sources") / "data" / "sources.toml"
        settings.sources_file.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    return settings.sources_file
