"""``plenty sources``: list the configured job sources with how their crawls went, and add one."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.common import open_warehouse, reports_errors, settings

SOURCES_OPTION = click.option("--sources", "sources_file", type=click.Path(path_type=Path, dir_okay=False),
                              help="Sources file (TOML); default: sources.toml in the data home.")


def _sources_path(sources_file: Path | None) -> Path:
    from sources.sources_file import default_sources_file

    return sources_file or default_sources_file(settings())


@click.group()
def sources() -> None:
    """The job boards plenty crawls: list them with their last crawl, add new ones."""


@sources.command("list")
@SOURCES_OPTION
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source (stable for scripts).")
@reports_errors
def list_sources(sources_file: Path | None, as_json: bool) -> None:
    """Show each configured source: kind, board, company, last crawl, postings seen (open), errors."""
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
    from sources.sources_file import add_source

    path = _sources_path(sources_file)
    source = add_source(path, kind, board, company=company, urls=list(urls) or None, sitemap=sitemap)
    click.echo(f"Added {source.key} to {path}.")
