"""``plenty nightly``: run the nightly flow now and print what each source did."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click

from cli.common import reports_errors, settings
from display.safe_text import safe_line


def print_report(report) -> None:
    """The per-source table and the totals of one run."""
    click.echo(f"Run {report.run_id}")
    click.echo(f"{'source':40} {'fetched':>7} {'new':>5} {'updated':>7} {'closed':>6}  status")
    for row in report.sources:
        status = "ok" if row["complete"] and not row["errors"] else failed_status(row)
        dropped = sum(row["dropped"].values())
        if dropped:
            status += f" (dropped {dropped}: " + ", ".join(f"{k} {v}" for k, v in row["dropped"].items()) + ")"
        cleared = sum((row.get("cleared") or {}).values())
        if cleared:
            status += f" (cleared {cleared}: " + ", ".join(f"{k} {v}" for k, v in row["cleared"].items()) + ")"
        click.echo(f"{row['source'][:40]:40} {row['fetched']:>7} {row['new']:>5} {row['updated']:>7}"
                   f" {row['closed']:>6}  {status}")
    click.echo(f"Embedded {report.embedded} new or changed postings; index +{report.index_added}"
               f" -{report.index_removed} ~{report.index_updated}; matched {report.matched_rejections} rejections.")
    if report.seconds:
        click.echo("Seconds: " + ", ".join(f"{name} {value:.1f}" for name, value in report.seconds.items()))


def failed_status(row: dict) -> str:
    """``FAILED (timeout 1, http_503 2): first error; ...`` for a source that did not crawl completely."""
    reasons = ", ".join(f"{reason} {count}" for reason, count in sorted((row.get("failures") or {}).items()))
    head = f"FAILED ({reasons})" if reasons else "FAILED"
    return f"{head}: " + safe_line("; ".join(row["errors"])[:200])


def show_progress() -> None:
    """Print the flow's stage messages (logger "plenty") to stderr as they happen."""
    import logging

    logger = logging.getLogger("plenty")
    if not any(getattr(h, "plenty_progress", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("plenty: %(message)s"))
        handler.plenty_progress = True
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


@click.command()
@click.option("--sources", "sources_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Sources file (TOML); default: sources.toml in the data home.")
@click.option("--http-cache", type=click.Path(path_type=Path, file_okay=False),
              help="Cache HTTP responses in this folder (for development: repeated runs do not hit the boards).")
@click.option("--task-runner", "runner", type=click.Choice(["threads", "dask"]), default="threads",
              show_default=True, help="Run tasks on local threads or on a Dask cluster (embedding batches in parallel).")
@click.option("--dask-address", help="Scheduler address of an existing Dask cluster (default: a local one).")
@reports_errors
def nightly(sources_file: Path | None, http_cache: Path | None, runner: str, dask_address: str | None) -> None:
    """Crawl every source, load, embed new or changed postings, update the index and match every rejection."""
    from contextlib import nullcontext

    from cli.prefect_server import prefect_api
    from cli.prefect_settings import configure_prefect, prefect_server_errors, startup_timeout
    from datahome.errors import InputError, RunLocked
    from datahome.lock import ensure_free
    from flows.errors import AllSourcesFailed
    from sources.crawl_processes import crawls_started_ahead
    from sources.ocean import night_rounds, tonight
    from sources.sources_file import default_sources_file

    s = settings()
    ensure_free(s.home / "nightly.lock", "plenty nightly")  # refuse before Prefect's slow start; the flow locks
    sources_path = sources_file or default_sources_file(s)
    # A malformed file is reported before any work starts. Only the first round is started ahead (the flow
    # starts the directory's boards after the own ones are matched).
    first_round = night_rounds(tonight(s, sources_path, datetime.now(timezone.utc)))[0]
    if dask_address and runner != "dask":
        raise InputError("--dask-address needs --task-runner dask")
    configure_prefect(s)
    show_progress()
    # Prefect's temporary server and the crawl (which mostly waits on the hosts' delays) start first, so they go
    # on while this process imports Prefect and the server starts. On Dask the crawl tasks may run elsewhere.
    crawl_ahead = (crawls_started_ahead(first_round, s.feeds_dir, s.logs_dir,
                                        user_agent=s.user_agent, http_cache=http_cache)
                   if runner == "threads" else nullcontext(None))
    with prefect_api() as temporary_server, crawl_ahead as run_id:
        from flows.nightly import nightly_with_runner

        if temporary_server:
            temporary_server.wait_ready(startup_timeout())
        with prefect_server_errors():
            report = nightly_with_runner(runner, dask_address)(
                sources_file=str(sources_path), home=str(s.home), http_cache=str(http_cache) if http_cache else None,
                run_id=run_id)
    if report.refused:
        raise RunLocked(report.refused)
    print_report(report)
    if report.all_failed:
        raise AllSourcesFailed(f"every source failed in run {report.run_id}; see {s.logs_dir / report.run_id}")
