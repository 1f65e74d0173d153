"""The recommender behind the app's live answers (search, companies, a new rejection's first matches): opened on
first use and kept; it follows the data home itself (a new index, a changed warehouse)."""

from __future__ import annotations

import secrets
import threading
from datetime import date, datetime, timezone

from datahome.settings import Settings


class LiveRecommender:
    """One `Recommender` shared by the app's requests."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._recommender = None

    def get(self):
        """The recommender (raises the embeddings' named errors when an index cannot load)."""
        from recommend.recommender import Recommender

        with self._lock:
            if self._recommender is None:
                self._recommender = Recommender.open(self.settings)
            return self._recommender

    def search(self, text: str, filters, k: int = 20):
        """Open postings and companies like a free text (as `plenty similar --text`)."""
        return self.get().similar([text], k=k, filters=filters)[0]

    def for_rejection(self, rejection: dict, k: int = 20, today: date | None = None):
        """Openings and companies like a rejection, as `plenty similar --rejection`: its stored filters, without
        applied or dismissed postings and companies in a cool-off."""
        from recommend.doors import door_settings, held_back, rejection_query
        from recommend.filters import Filters
        from ui.store import warehouse
        from warehouse.recommendations import rejection_filters

        with warehouse(self.settings) as con:
            held = held_back(con, today or date.today(), door_settings(self.settings).cooloff_days)
            filters = Filters.from_stored(rejection_filters(con, rejection["rejection_id"]))
        return self.get().similar([rejection_query(rejection["title"], rejection["text"])], k=k,
                                  titles=[rejection["title"]], filters=filters,
                                  exclude_posting_ids=held.posting_ids, exclude_company_ids=held.company_ids)[0]

    def match_now(self, rejection_id: int) -> int:
        """Store a rejection's matches now (a match run of its own), as the nightly would: its similar openings
        show at once instead of after the next nightly. Returns 1, or 0 when there are no postings yet."""
        from recommend.matching import compute_matches

        recommender = self.get()
        if recommender.empty:
            return 0
        run_id = f"ui-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
        return compute_matches(self.settings, run_id, rejection_ids=[int(rejection_id)], recommender=recommender)
