"""``plenty import``, ``plenty export`` and ``plenty index``: postings in and out, and the vector index."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import click

from cli.common import open_warehouse, reports_errors, settings
from datahome.errors import InputError
from display.safe_text import safe_json, safe_text


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--skip-bad", is_flag=True, help="Load the valid records even when some are rejected.")
@reports_errors
def import_postings(file: Path, skip_bad: bool) -> None:
    """Load postings from JSON lines (only 'title' required) or CSV, including JobSpy's CSV."""
    from sources.import_files import read_import_file
    from warehouse.postings import import_postings as load_records

    batch = read_import_file(file)
    for line, reason in batch.rejected[:20]:
        click.echo(f"{file} line {line}: {reason}", err=True)
    if batch.rejected and not skip_bad:
        raise InputError(f"{len(batch.rejected)} bad record(s) in {file}; nothing imported"
                         " (fix them, or pass --skip-bad to load the rest)")
    with open_warehouse() as con:
        report = load_records(con, batch.records)
    from corpus.index_sync import bring_index_up_to_date

    embedded, index = bring_index_up_to_date(settings())
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
    if out is None:
        write_export(sys.stdout, rows, fmt)
        return
    # Written beside the target and renamed over it: a failed export never leaves half a file.
    partial = out.with_name(f".{out.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as stream:
            write_export(stream, rows, fmt)
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None


def write_export(stream, rows: list[dict], fmt: str) -> None:
    """Rows as JSON lines or CSV; control characters that would drive a terminal are escaped, not written."""
    if fmt == "jsonl":
        for row in rows:
            stream.write(safe_json(row, default=str) + "\n")
    elif rows:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            cells = {**row, "locations": "; ".join(row.get("locations") or [])}
            writer.writerow({k: safe_text(v) if isinstance(v, str) else v for k, v in cells.items()})


@click.group()
def index() -> None:
    """Inspect or rebuild the vector index."""


@index.command("rebuild")
@reports_errors
def rebuild() -> None:
    """Rebuild the index from scratch for the configured model (after changing the model)."""
    from corpus import embedding, encoders, index_sync

    s = settings()
    embedded = embedding.embed_missing(s)
    update = index_sync.refresh_index(s, rebuild=True)
    click.echo(f"Rebuilt the index for {encoders.model_identity(s)}: {update.count} postings ({embedded} embedded).")


@index.command("status")
@reports_errors
def status() -> None:
    """Show the index manifest: model, dimension, count, build time."""
    from embeddings.manifest import read_manifest

    manifest = read_manifest(settings().index_dir)
    for key, value in vars(manifest).items():
        click.echo(f"{key}: {value}")
