"""After the nightly loads: close postings past their ``valid_through``, then decide which open postings are one
opening (cross-source dedupe). The glue between the nightly flow and ``warehouse.expiry``/``warehouse.dedupe``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from datahome.settings import Settings

log = logging.getLogger("plenty")


@dataclass
class OpeningsReport:
    """What settling the openings did: postings closed by date, duplicates found, openings left."""

    expired: int = 0
    duplicates: int = 0
    openings: int = 0


def settle_openings(settings: Settings, run_id: str | None = None, source_rows: list[dict] | None = None,
                    now: datetime | None = None) -> OpeningsReport:
    """Close expired postings and recompute duplicates; closures are added to ``source_rows`` (the run report).

    ``source_rows`` are the nightly report's per-source rows (``kind``, ``board``, ``closed``); the stored report
    in ``source_runs`` for ``run_id`` is updated by the warehouse.
    """
    from warehouse.db import connect
    from warehouse.dedupe import dedupe_openings
    from warehouse.expiry import close_expired

    with connect(settings.db_path) as con:
        expired = close_expired(con, now or datetime.now(timezone.utc), run_id=run_id)
        deduped = dedupe_openings(con)
    for row in source_rows or []:
        row["closed"] = row.get("closed", 0) + expired.get((row.get("kind"), row.get("board")), 0)
    report = OpeningsReport(expired=sum(expired.values()), duplicates=deduped.duplicates, openings=deduped.openings)
    log.info("openings: %d closed past their deadline; %d open postings are copies of another; %d openings%s",
             report.expired, report.duplicates, report.openings,
             " (open postings unchanged: the last dedupe pass stands)" if deduped.reused else "")
    return report
