"""The nightly matches: the top open postings of every active rejection, stored with their reasons."""

from __future__ import annotations

import logging
from datetime import date, datetime, timezone

from datahome.settings import Settings

log = logging.getLogger("plenty")


def compute_matches(settings: Settings, run_id: str, k: int = 20, encoder=None, today: date | None = None, *,
                    rejection_ids: list[int] | None = None, recommender=None) -> int:
    """Store the top ``k`` open postings for every active rejection (or only those of ``rejection_ids``) under
    ``run_id``; returns rejections matched. A long-lived caller (the web app) passes its ``recommender``.

    Postings marked applied or dismissed, and the openings of every company whose cool-off still runs on
    ``today`` (default: the current UTC date), are left out; each rejection's own filters apply. Each match's
    reason is stored beside it.
    """
    from recommend.doors import door_settings, held_back, rejection_query
    from recommend.filters import Filters
    from recommend.recommender import Recommender
    from warehouse.db import connect, transaction
    from warehouse.matches import finish_match_run, record_matches, start_match_run
    from warehouse.recommendations import record_match_reasons, rejection_filters
    from warehouse.rejections import list_rejections

    today = today or datetime.now(timezone.utc).date()
    with connect(settings.db_path) as con:
        rejections = [r for r in list_rejections(con) if rejection_ids is None or r["rejection_id"] in rejection_ids]
        if not rejections:
            return 0
        held = held_back(con, today, door_settings(settings).cooloff_days)
        filters = [Filters.from_stored(rejection_filters(con, r["rejection_id"])) for r in rejections]
    log.info("matching %d active rejections", len(rejections))
    recommender = recommender or Recommender.open(settings, encoder=encoder)
    if recommender.empty:
        return 0
    results = recommender.similar([rejection_query(r["title"], r["text"]) for r in rejections], k=k,
                                  exclude_posting_ids=held.posting_ids, exclude_company_ids=held.company_ids,
                                  titles=[r["title"] for r in rejections], filters=filters, today=today)
    # One transaction: a run killed while storing leaves no half-stored match run behind.
    with connect(settings.db_path) as con, transaction(con):
        start_match_run(con, recommender.model, run_id)
        for rejection, result in zip(rejections, results):
            record_matches(con, run_id, rejection["rejection_id"],
                           [(p["posting_id"], p["score"], rank) for rank, p in enumerate(result.postings, 1)],
                           atomic=False)
            record_match_reasons(con, run_id, rejection["rejection_id"],
                                 {p["posting_id"]: p["reason"] for p in result.postings if p.get("reason")},
                                 atomic=False)
        finish_match_run(con, run_id)
    return len(rejections)


def prepare_queries(settings: Settings, encoder=None) -> int:
    """Read the ranking corpus now and keep the read in the data home's cache, so the next ``plenty similar``
    starts from it instead of the warehouse (the match step does this when there are rejections to match);
    returns how many postings it holds (0 without an index or postings)."""
    from embeddings.errors import IndexMissing
    from recommend.recommender import Recommender

    try:
        recommender = Recommender.open(settings, encoder=encoder)
    except IndexMissing:
        return 0
    return 0 if recommender.empty else recommender.prepare()
