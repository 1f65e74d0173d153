"""The ocean: the user's own sources plus the board directory's, and which directory boards are due tonight.

A directory board is crawled when it had jobs at its last check (a board the directory lists without a count, as
it lists every Greenhouse board, counts as having jobs until plenty checks it); a board that was empty is checked
again once a week; a board marked gone (404 several nights in a row, `warehouse.board_checks`) once a month. The
user's own sources come first, so their boards are crawled and loaded before the directory's on the same host.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sources.directory import DirectoryBoard, builtin_directory, find_boards, merged, read_directory
from sources.errors import SourcesError
from sources.sources_file import Source, all_sources, read_file_options

RECHECK_EMPTY = timedelta(days=7)
RETRY_GONE = timedelta(days=30)
# Kinds whose whole board is one response body, so an unchanged body means an unchanged board.
ONE_BODY_KINDS = frozenset({"greenhouse", "ashby"})


@dataclass(frozen=True)
class OceanBoard:
    """A directory board with plenty's last check of it (None: never checked)."""

    board: DirectoryBoard
    check: dict | None

    @property
    def state(self) -> str:
        """``new`` (never checked; listed with jobs or without a count), ``jobs`` (it had jobs), ``empty``,
        ``failed`` (its last check failed or answered 404) or ``gone``."""
        if self.check is None:
            return "new" if self.board.jobs != 0 else "empty"
        if self.check["gone_at"] is not None:
            return "gone"
        if self.check["last_outcome"] in ("not_found", "failed"):
            return "failed"
        return "empty" if self.check["last_seen_jobs"] == 0 else "jobs"

    def last_check(self) -> datetime:
        """When the board was last checked, by plenty or else by the directory (UTC, naive)."""
        if self.check is not None:
            return self.check["last_check_at"]
        when: date = self.board.checked
        return datetime(when.year, when.month, when.day)

    def due(self, now: datetime) -> bool:
        """Whether tonight's crawl (starting at `now`) reads this board."""
        since = _naive_utc(now) - self.last_check()
        state = self.state
        if state == "gone":
            return since >= RETRY_GONE
        if state == "empty":
            return since >= RECHECK_EMPTY
        return True


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


def directory_boards(sources_path: Path | None) -> list[DirectoryBoard]:
    """The boards of the sources file's own directories (first) and of the shipped one (unless the file says
    ``shipped_directory = false``), each board once."""
    options = read_file_options(sources_path) if sources_path else {"directory_files": [], "shipped_directory": True}
    shipped = [builtin_directory()] if options["shipped_directory"] else []
    return merged([*(read_directory(f) for f in options["directory_files"]), *shipped])


def ocean_boards(con, sources_path: Path) -> list[OceanBoard]:
    """Every directory board with its last check, leaving out the boards the sources file lists itself."""
    from warehouse.board_checks import board_checks

    own = {(s.kind, s.board.casefold()) for s in all_sources(Path(sources_path).read_text(encoding="utf-8"),
                                                            sources_path)}
    checks = board_checks(con)
    return [OceanBoard(b, checks.get(b.key)) for b in directory_boards(sources_path) if b.key not in own]


def nightly_sources(con, sources_path: Path, now: datetime) -> list[Source]:
    """What tonight's crawl reads: the enabled sources of the file, then (with ``include_directory = true``) the
    directory boards due at `now`. A Greenhouse or Ashby board last read complete carries its body hash
    (option ``unchanged_sha256``), so the spider can skip an unchanged body."""
    from sources.sources_file import load_sources
    from warehouse.board_checks import board_checks

    options = read_file_options(sources_path)
    checks = board_checks(con)
    chosen = list(load_sources(sources_path))
    if options["include_directory"]:
        bases = options["directory_api_base"]
        chosen += [Source(kind=o.board.kind, board=o.board.board, company=o.board.company,
                          api_base=bases.get(o.board.kind), options={"origin": o.board.directory})
                   for o in ocean_boards(con, sources_path) if o.due(now)]
    return [with_body_hash(source, checks.get((source.kind, source.board.casefold()))) for source in chosen]


def tonight(settings, sources_path: Path, now: datetime) -> list[Source]:
    """`nightly_sources` read from the data home's warehouse (opened for this and closed again)."""
    from warehouse.db import connect

    with connect(settings.db_path) as con:
        return nightly_sources(con, sources_path, now)


def is_directory_board(source: Source) -> bool:
    """Whether a source of tonight's crawl comes from the directory (not from the sources file itself)."""
    return "origin" in source.options


def night_rounds(sources: list[Source]) -> list[list[Source]]:
    """The night's crawl in rounds: the sources file's own boards, then the directory's (one round when there
    is only one kind)."""
    own = [s for s in sources if not is_directory_board(s)]
    directory = [s for s in sources if is_directory_board(s)]
    return [own, directory] if own and directory else [sources]


def with_body_hash(source: Source, check: dict | None) -> Source:
    """The source with its last body hash as option ``unchanged_sha256`` when it has one and it applies."""
    if source.kind not in ONE_BODY_KINDS or not check or not check.get("body_sha256"):
        return source
    return replace(source, options={**source.options, "unchanged_sha256": check["body_sha256"]})


def find_directory(sources_path: Path | None, text: str) -> list[DirectoryBoard]:
    """Directory boards whose company or token contains `text` (see `sources.directory.find_boards`)."""
    return find_boards(directory_boards(sources_path), text)


def directory_hit(sources_path: Path | None, name: str) -> DirectoryBoard:
    """The one directory board called `name` (its token or company name, case-insensitive); raises
    `SourcesError` when none or several are."""
    wanted = " ".join(name.split()).casefold()
    hits = [b for b in find_directory(sources_path, name)
            if wanted in (b.board.casefold(), " ".join((b.company or "").split()).casefold())]
    if not hits:
        raise SourcesError(f"no board of the directory is called {name!r}; try 'plenty sources find {name}'")
    if len(hits) > 1:
        listed = ", ".join(f"{b.kind} {b.board}" for b in hits[:6])
        raise SourcesError(f"{len(hits)} directory boards are called {name!r} ({listed}); give KIND BOARD instead")
    return hits[0]
