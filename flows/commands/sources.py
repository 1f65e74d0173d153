"""``plenty sources``: list the configured job sources with how their crawls went, and add one."""

from __future__ import annotations

import json
from pathlib import Path

import click

from flows.commands.common import open_warehouse, reports_errors, settings

SOURCES_OPTION = click.option("--sources", "sources_file", type=click.Path(path_type=Path, dir_okay=False),
                              help="Sources file (TOML); default: sources.toml in the data home.")


def _sources_path(sources_file: Path | None) -> Path:
    from flows.steps import default_sources_file

    return sources_file or default_sources_file(settings())


@click.group()
def sources() -> None:
    """The job boards plenty crawls: list them with their last crawl, add new ones."""


def source_rows(sources_file: Path | None) -> list[dict]:
    """One row per configured source: kind, board, company, last crawl, postings seen and open, errors."""
    from flows.sources import all_sources
    from warehouse.boards import board_counts
    from warehouse.runs import latest_source_status

    path = _sources_path(sources_file)
    if not path.is_file():
        from flows.errors import SourcesError

        raise SourcesError(f"sources file {path} not found; pass --sources FILE or create it")
    configured = all_sources(path.read_text(encoding="utf-8"), path)
    with open_warehouse() as con:
        status = latest_source_status(con)
        counts = board_counts(con)
    rows = []
    for source in configured:
        latest = status.get(source.key) or {}
        seen = counts.get((source.kind, source.board), {})
        errors = latest.get("last_errors")
        errors = json.loads(errors) if isinstance(errors, str) else (errors or [])
        last = latest.get("last_crawl_at")
        rows.append({
            "source": source.key, "kind": source.kind, "board": source.board, "company": source.company,
            "enabled": bool(source.options.get("enabled", True)),
            "last_crawl_at": last.strftime("%Y-%m-%dT%H:%M:%SZ") if last else None,
            "last_crawl_complete": latest.get("last_crawl_complete"),
            "postings_seen": seen.get("seen", 0), "postings_open": seen.get("open", 0),
            "failed_runs": int(latest.get("count_failed_runs") or 0), "runs": int(latest.get("count_runs") or 0),
            "errors": list(errors),
        })
    return rows


@sources.command("list")
@SOURCES_OPTION
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source (stable for scripts).")
@reports_errors
def list_sources(sources_file: Path | None, as_json: bool) -> None:
    """Show each configured source: kind, board, company, last crawl, postings seen (open), errors."""
    rows = source_rows(sources_file)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    click.echo(f"{'kind':15} {'board':24} {'company':20} {'last crawl':20} {'seen':>6} {'open':>6}  status")
    for row in rows:
        if not row["enabled"]:
            state = "disabled"
        elif row["last_crawl_at"] is None:
            state = "never crawled"
        elif row["errors"] or not row["last_crawl_complete"]:
            state = "FAILED: " + ("; ".join(row["errors"]) or "incomplete crawl")[:120]
        else:
            state = "ok"
        if row["failed_runs"]:
            state += f" ({row['failed_runs']} of {row['runs']} runs failed)"
        click.echo(f"{row['kind'][:15]:15} {(row['board'] or '(all)')[:24]:24} {(row['company'] or '')[:20]:20}"
                   f" {row['last_crawl_at'] or '-':20} {row['postings_seen']:>6} {row['postings_open']:>6}  {state}")


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
    """Add a source (KIND BOARD, e.g. 'greenhouse gitlab') to the sources file, checked before it is written.

    Aggregators (remotive, remoteok, arbeitnow) take an optional BOARD (a category, tag or search term); hn takes
    the thread's item id; jsonld takes a name for the site and --url and/or --sitemap.
    """
    from flows.sources import add_source

    path = _sources_path(sources_file)
    source = add_source(path, kind, board, company=company, urls=list(urls) or None, sitemap=sitemap)
    click.echo(f"Added {source.key} to {path}.")
