"""What the home page says about plenty itself: a running nightly and how far it is, the next scheduled one, the
last finished match run, and the sources' health."""

from __future__ import annotations

from datetime import datetime, timezone

from datahome.settings import Settings


def nightly_running(settings: Settings) -> dict | None:
    """The running nightly's progress (step, detail, at) when one holds the data home's lock, else None."""
    from datahome.errors import RunLocked
    from datahome.lock import ensure_free
    from datahome.night_progress import read_night_progress

    try:
        ensure_free(settings.home / "nightly.lock", "plenty nightly")
    except RunLocked:
        progress = read_night_progress(settings.home) or {}
        if progress.get("step") == "finished":
            progress = {}
        return {"step": progress.get("step") or "starting", "detail": progress.get("detail") or "",
                "at": progress.get("at")}
    return None


def next_nightly(settings: Settings, now: datetime | None = None) -> str:
    """When the schedule runs the next nightly (config.toml's [schedule] nightly cron, UTC unless a timezone is
    set), as text; the schedule runs only under `plenty serve`, cron or systemd."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from cronsim import CronSim, CronSimError

    from flows.schedules import DEFAULT_NIGHTLY_CRON

    table = settings.section("schedule")
    cron = str(table.get("nightly") or DEFAULT_NIGHTLY_CRON).strip()
    try:
        zone = ZoneInfo(str(table["timezone"])) if table.get("timezone") else timezone.utc
        start = (now or datetime.now(timezone.utc)).astimezone(zone)
        upcoming = next(iter(CronSim(cron, start)))
    except (CronSimError, ZoneInfoNotFoundError, ValueError, StopIteration):
        return f"the [schedule] nightly cron {cron!r} in {settings.config_file} is not valid"
    return f"{upcoming:%a %d %b %H:%M} {upcoming.tzname()} (cron {cron!r}, when 'plenty serve' or your cron runs it)"


def last_match_run(con) -> datetime | None:
    """When the latest match run finished (naive UTC), or None."""
    row = con.execute("select max(finished_at) from match_runs").fetchall()
    return row[0][0] if row else None


def source_health(con) -> list[dict]:
    """Each source's last crawl: when, whether it was complete, how many postings, its errors."""
    from warehouse.runs import latest_source_status

    return list(latest_source_status(con).values())
