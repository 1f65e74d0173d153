"""``plenty import``, ``plenty export`` and ``plenty index``: postings in and out, and the vector index."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from flows.commands.common import open_warehouse, reports_errors, settings
from flows.errors import InputError


def bring_index_up_to_date() -> tuple[int, object]:
    """Embed what has no vector yet and sync the index (loads the model only when something is new)."""
    from flows import steps

    s = settings()
    embedded = steps.embed_missing(s)
    return embedded, steps.refresh_index(s)


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--skip-bad", is_flag=True, help="Load the valid records even when some are rejected.")
@reports_errors
def import_postings(file: Path, skip_bad: bool) -> None:
    """Load postings from JSON lines (only 'title' required) or CSV, including JobSpy's CSV."""
    from flows.importing import read_import_file
    from warehouse.postings import import_postings as load_records

    batch = read_import_file(file)
    for line, reason in batch.rejected[:20]:
        click.echo(f"{file} line {line}: {reason}", err=True)
    if batch.rejected and not skip_bad:
        raise InputError(f"{len(batch.rejected)} bad record(s) in {file}; nothing imported"
                         " (fix them, or pass --skip-bad to load the rest)")
    with open_warehouse() as con:
        report = load_records(con, batch.records)
    embedded, index = bring_index_up_to_date()
    click.echo(f"Imported {len(batch.records)} postings from {file} ({report.new} new, {report.updated} updated,"
               f" {len(batch.rejected)} skipped); embedded {embedded}; index holds {index.count}.")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write here instead of stdout.")
@reports_errors
def export_postings(fmt: str, out: Path | None) -> None:
    """Write every open posting with its fields."""
    from warehouse.postings import export_postings as open_rows

    with open_warehouse() as con:
        rows = open_rows(con)
    stream = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        if fmt == "jsonl":
            for row in rows:
                stream.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        elif rows:
            writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
            writer.writeheader()
            for row in rows:
                writer.writerow({**row, "locations": "; ".join(row.get("locations") or [])})
    finally:
        if out:
            stream.close()


@click.group()
def index() -> None:
    """Inspect or rebuild the vector index."""


@index.command("rebuild")
@reports_errors
def rebuild() -> None:
    """Rebuild the index from scratch for the configured model (after changing the model)."""
    from flows import steps

    s = settings()
    embedded = steps.embed_missing(s)
    update = steps.refresh_index(s, rebuild=True)
    click.echo(f"Rebuilt the index for {steps.model_identity(s)}: {update.count} postings ({embedded} embedded).")


@index.command("status")
@reports_errors
def status() -> None:
    """Show the index manifest: model, dimension, count, build time."""
    from embeddings.manifest import read_manifest

    manifest = read_manifest(settings().index_dir)
    for key, value in vars(manifest).items():
        click.echo(f"{key}: {value}")
