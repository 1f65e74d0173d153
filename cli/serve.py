"""``plenty serve``: run the nightly flow and the weekly digest on their schedules until stopped."""

from __future__ import annotations

import click

from cli.common import reports_errors, settings


@click.command()
@click.option("--dry-run", is_flag=True, help="Print the deployments and their crons, then exit without serving.")
@reports_errors
def serve(dry_run: bool) -> None:
    """Serve the nightly flow and the weekly digest as Prefect deployments on the crons of config.toml's
    [schedule] (defaults: nightly "0 2 * * *", digest "0 7 * * 1"). Runs until Ctrl-C.

    Schedules need a Prefect API: start `prefect server start` and set PREFECT_API_URL, or use systemd or cron
    with `plenty nightly` and `plenty digest --send` instead (see the README).
    """
    from cli.prefect_settings import configure_prefect

    s = settings()
    s.ensure_dirs()
    configure_prefect(s)
    from flows.schedules import build_deployments

    deployments = build_deployments(s)
    for deployment in deployments:
        cron = deployment.schedules[0].schedule.cron
        click.echo(f"{deployment.name}: cron {cron!r} (flow {deployment.flow_name})")
    if dry_run:
        return
    from prefect import serve as prefect_serve

    prefect_serve(*deployments)
