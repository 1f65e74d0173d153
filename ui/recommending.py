"""The recommender behind the app's live answers (search, companies, a new rejection's first matches): loaded on
first use and kept while the index stays the same; reloaded when a nightly has rebuilt it."""

from __future__ import annotations

import secrets
import threading
from datetime import date, datetime, timezone

from datahome.settings import Settings


class LiveRecommender:
    """One `Recommender` per index build, shared by the app's requests."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._recommender = None
        self._stamp = None

    def _index_stamp(self):
        try:
            return max(p.stat().st_mtime_ns for p in self.settings.index_dir.iterdir())
        except (OSError, ValueError):
            return None

    def get(self):
        """The recommender of the current index, or None on a data home with no postings and no index yet
        (raises the embeddings' named errors when an index cannot load)."""
        from embeddings.errors import IndexMissing
        from recommend.recommender import Recommender

        with self._lock:
            stamp = self._index_stamp()
            if self._recommender is None or stamp != self._stamp:
                try:
                    self._recommender = Recommender.open(self.settings)
                except IndexMissing:
                    if self._has_postings():
                        raise
                    return None
                self._stamp = stamp
            return self._recommender

    def _has_postings(self) -> bool:
        from ui.store import warehouse
        from warehouse.postings import posting_counts

        with warehouse(self.settings) as con:
            return posting_counts(con)["open"] > 0

    def search(self, text: str, filters, k: int = 20):
        """Open postings and companies like a free text (as `plenty similar --text`)."""
        from recommend.recommender import SimilarResult

        recommender = self.get()
        return recommender.similar([text], k=k, filters=filters)[0] if recommender else SimilarResult()

    def for_rejection(self, rejection: dict, k: int = 20, today: date | None = None):
        """Openings and companies like a rejection, as `plenty similar --rejection`: its stored filters, without
        applied or dismissed postings and companies in a cool-off."""
        from recommend.doors import door_settings, held_back, rejection_query
        from recommend.filters import Filters
        from ui.store import warehouse
        from warehouse.recommendations import rejection_filters

        from recommend.recommender import SimilarResult

        recommender = self.get()
        if recommender is None:
            return SimilarResult()
        with warehouse(self.settings) as con:
            held = held_back(con, today or date.today(), door_settings(self.settings).cooloff_days)
            filters = Filters.from_stored(rejection_filters(con, rejection["rejection_id"]))
        return recommender.similar([rejection_query(rejection["title"], rejection["text"])], k=k,
                                  titles=[rejection["title"]], filters=filters,
                                  exclude_posting_ids=held.posting_ids, exclude_company_ids=held.company_ids)[0]

    def match_now(self, rejection_id: int) -> int:
        """Store a rejection's matches now (a match run of its own), as the nightly would: its similar openings
        show at once instead of after the next nightly. Returns 1, or 0 when there are no postings yet."""
        from recommend.matching import compute_matches

        recommender = self.get()
        if recommender is None or recommender.empty:
            return 0
        run_id = f"ui-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
        return compute_matches(self.settings, run_id, rejection_ids=[int(rejection_id)], recommender=recommender)
