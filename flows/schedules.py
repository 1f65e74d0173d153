"""When plenty runs itself: the `[schedule]` crons and the Prefect deployments `plenty serve` starts."""

from __future__ import annotations

from dataclasses import dataclass

from datahome.errors import ConfigError
from datahome.settings import Settings

DEFAULT_NIGHTLY_CRON = "0 2 * * *"
DEFAULT_DIGEST_CRON = "0 7 * * 1"
NIGHTLY_DEPLOYMENT = "plenty-nightly"
DIGEST_DEPLOYMENT = "plenty-digest"


@dataclass(frozen=True)
class Schedule:
    """The two crons (and their optional IANA time zone) from config.toml's `[schedule]` table."""

    nightly: str = DEFAULT_NIGHTLY_CRON
    digest: str = DEFAULT_DIGEST_CRON
    timezone: str | None = None


def load_schedule(settings: Settings) -> Schedule:
    """`[schedule] nightly`, `digest` and `timezone`, checked; raises ConfigError naming a bad cron or zone."""
    from prefect.client.schemas.schedules import CronSchedule
    from pydantic import ValidationError

    table = settings.section("schedule")
    schedule = Schedule(str(table.get("nightly") or DEFAULT_NIGHTLY_CRON).strip(),
                        str(table.get("digest") or DEFAULT_DIGEST_CRON).strip(),
                        str(table["timezone"]).strip() if table.get("timezone") else None)
    for key in ("nightly", "digest"):
        try:
            CronSchedule(cron=getattr(schedule, key), timezone=schedule.timezone)
        except ValidationError as exc:
            problem = exc.errors()[0].get("msg", str(exc))
            raise ConfigError(f"[schedule] {key} = {getattr(schedule, key)!r} in {settings.config_file} is not "
                              f"usable ({problem}); write a cron like \"0 2 * * *\"") from None
    return schedule


def build_deployments(settings: Settings, schedule: Schedule | None = None) -> list:
    """The nightly and digest deployments with their crons, ready for `prefect.serve` (nothing is started)."""
    from prefect.schedules import Cron

    from flows.nightly import nightly_flow
    from flows.weekly_digest import digest_flow

    schedule = schedule or load_schedule(settings)
    home = {"home": str(settings.home)}
    # One run of each at a time: a slow night must not overlap the next one on the same warehouse.
    return [
        nightly_flow.to_deployment(name=NIGHTLY_DEPLOYMENT, schedule=Cron(schedule.nightly, timezone=schedule.timezone),
                                   parameters=home, concurrency_limit=1,
                                   description="Crawl, load, embed, index and match every night."),
        digest_flow.to_deployment(name=DIGEST_DEPLOYMENT, schedule=Cron(schedule.digest, timezone=schedule.timezone),
                                  parameters=home, concurrency_limit=1,
                                  description="Write (and mail, when [smtp] is set) the weekly digest."),
    ]
