"""Read postings: open ids, details for display, exports. Loading lives in feeds.py and imports.py."""

from __future__ import annotations

from typing import Iterable

import duckdb
import numpy as np

from warehouse.db import fetch_dicts, first_row, sql
from warehouse.feeds import load_feed
from warehouse.imports import import_postings
from warehouse.loading import LoadReport

__all__ = [
    "LoadReport",
    "company_details",
    "export_postings",
    "import_postings",
    "load_feed",
    "open_posting_ids",
    "posting_counts",
    "posting_details",
]


def open_posting_ids(con: duckdb.DuckDBPyConnection) -> np.ndarray:
    """Return the ids of every open posting as a sorted int64 array (what the FAISS index must hold)."""
    ids = con.execute("select posting_id from postings where closed_at is null order by posting_id").fetchnumpy()
    return np.asarray(ids["posting_id"], dtype=np.int64)


def posting_details(con: duckdb.DuckDBPyConnection, posting_ids: Iterable[int]) -> list[dict]:
    """Return one dict per known posting id, in the order given (open or closed: see `closed_at`)."""
    ids = [int(posting_id) for posting_id in posting_ids]
    if not ids:
        return []
    return fetch_dicts(con.execute(sql("marts/posting_details"), {"posting_ids": ids}))


def export_postings(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Return every open posting as a dict with the feed's field names (timestamps as ISO 8601 UTC text)."""
    return fetch_dicts(con.execute(sql("marts/open_postings_export")))


def posting_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Return how many postings are open and closed."""
    row = first_row(con.execute(
        "select count(*) filter (where closed_at is null), count(*) filter (where closed_at is not null) from postings"
    ))
    return {"open": int(row[0]), "closed": int(row[1])}


def company_details(con: duckdb.DuckDBPyConnection, company_ids: Iterable[str]) -> list[dict]:
    """Return one dict per known company id (company_id, name, count_open_postings, ...), in the order given."""
    ids = [str(company_id) for company_id in company_ids]
    if not ids:
        return []
    rows = fetch_dicts(con.execute("select * from companies where list_contains($ids, company_id)", {"ids": ids}))
    by_id = {row["company_id"]: row for row in rows}
    return [by_id[company_id] for company_id in ids if company_id in by_id]



def company_open_postings(con: duckdb.DuckDBPyConnection, company_id: str, limit: int = 200) -> list[dict]:
    """A company's open postings, newest first (title, place, url, posted, salary, source, credit)."""
    return fetch_dicts(con.execute(sql("marts/company_open_postings"),
                                   {"company_id": str(company_id), "limit": int(limit)}))
