"""``plenty sources``: list the job sources (the user's own and the directory's) with how their crawls went, find
a company's board in the directory, and add one."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.common import open_warehouse, reports_errors, settings
from display.safe_text import safe_line

SOURCES_OPTION = click.option("--sources", "sources_file", type=click.Path(path_type=Path, dir_okay=False),
                              help="Sources file (TOML); default: sources.toml in the data home.")


def _sources_path(sources_file: Path | None) -> Path:
    from sources.sources_file import default_sources_file

    return sources_file or default_sources_file(settings())


@click.group()
def sources() -> None:
    """The job boards plenty crawls: list them with their last crawl, find one in the directory, add new ones."""


@sources.command("list")
@SOURCES_OPTION
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source (stable for scripts).")
@reports_errors
def list_sources(sources_file: Path | None, as_json: bool) -> None:
    """Show each source: kind, board, company, last crawl, postings seen (open), status; the directory's boards
    (crawled with include_directory = true) follow the sources file's own."""
    from sources.health import source_rows

    path = _sources_path(sources_file)
    with open_warehouse() as con:
        rows = source_rows(con, path)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    click.echo(f"{'kind':15} {'board':24} {'company':20} {'last crawl':20} {'seen':>6} {'open':>6}  status")
    for row in rows:
        last = row.get("last_crawl_at") or row.get("last_check_at") or "-"
        click.echo(f"{row['kind'][:15]:15} {(row['board'] or '(all)')[:24]:24} "
                   f"{safe_line(row['company'] or '')[:20]:20} {last:20} {row['postings_seen']:>6} "
                   f"{row['postings_open']:>6}  {_state(row)}")
    directory = [row for row in rows if row["origin"] != "own"]
    if directory:
        due = sum(1 for row in directory if row["state"] in ("new", "jobs", "failed"))
        click.echo(f"{len(rows) - len(directory)} of your own sources and {len(directory)} directory boards "
                   f"({due} with jobs or not yet checked).")


def _state(row: dict) -> str:
    if row["origin"] != "own":
        jobs = row["last_seen_jobs"] if row["last_seen_jobs"] is not None else row["directory_jobs"]
        counted = f", {jobs} jobs" if jobs is not None else ""
        return f"directory: {row['state']}{counted}"
    if not row["enabled"]:
        state = "disabled"
    elif row["last_crawl_at"] is None:
        state = "never crawled"
    elif row["errors"] or not row["last_crawl_complete"]:
        state = "FAILED: " + safe_line("; ".join(row["errors"]) or "incomplete crawl")[:120]
    else:
        state = "ok"
    if row["failed_runs"]:
        state += f" ({row['failed_runs']} of {row['runs']} runs failed)"
    return state


@sources.command("find")
@click.argument("text")
@SOURCES_OPTION
@click.option("--json", "as_json", is_flag=True, help="One JSON object per board found.")
@reports_errors
def find(text: str, sources_file: Path | None, as_json: bool) -> None:
    """Find boards in the directory by company name or board token, ignoring case: kind, board, company and
    open jobs at the directory's last check. Add one with 'plenty sources add NAME'."""
    from sources.ocean import find_directory

    found = find_directory(_sources_path(sources_file), text)
    if as_json:
        for board in found:
            click.echo(json.dumps({"kind": board.kind, "board": board.board, "company": board.company,
                                   "jobs": board.jobs, "checked": board.checked.isoformat(),
                                   "directory": board.directory}, ensure_ascii=False))
        return
    if not found:
        click.echo(f"No board of the directory matches {text!r}.")
        return
    click.echo(f"{'kind':12} {'board':32} {'company':32} {'open jobs':>9}")
    for board in found:
        jobs = "?" if board.jobs is None else str(board.jobs)
        click.echo(f"{board.kind:12} {board.board[:32]:32} {safe_line(board.company or '')[:32]:32} {jobs:>9}")
    click.echo(f"{len(found)} board(s); open jobs as the directory counted them on its check date (? : not counted).")


@sources.command("add")
@click.argument("kind")
@click.argument("board", default="")
@click.option("--company", help="Company display name (default: from the board's data).")
@click.option("--url", "urls", multiple=True, help="A career page URL (kind jsonld; repeatable).")
@click.option("--sitemap", help="A sitemap listing career pages (kind jsonld).")
@SOURCES_OPTION
@reports_errors
def add(kind: str, board: str, company: str | None, urls: tuple[str, ...], sitemap: str | None,
        sources_file: Path | None) -> None:
    """Add a source (KIND BOARD, e.g. 'greenhouse gitlab', or a directory board by its name or token, e.g.
    'GitLab') to the sources file, checked before it is written.

    Aggregators (remotive, remoteok, arbeitnow) take an optional BOARD (a category, tag or search term); hn takes
    the thread's item id; jsonld takes a name for the site and --url and/or --sitemap.
    """
    from sources.ocean import directory_hit
    from sources.sources_file import KNOWN_KINDS, add_source

    path = _sources_path(sources_file)
    if kind not in KNOWN_KINDS and not board and not urls and not sitemap:
        hit = directory_hit(path, kind)
        kind, board, company = hit.kind, hit.board, company or hit.company
    source = add_source(path, kind, board, company=company, urls=list(urls) or None, sitemap=sitemap)
    click.echo(f"Added {source.key} to {path}.")
