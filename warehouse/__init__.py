"""DuckDB warehouse for plenty: SQL lives in .sql files beside this package.

Raw feed records (`raw_postings`) → staging (`stg_postings`) → marts (`postings`, `companies`), plus
`rejections`, `match_runs`, `matches` and the embedding cache `posting_vectors`.
"""

from warehouse.checks import check_keys
from warehouse.db import connect, transaction
from warehouse.errors import (
    FeedError,
    InvalidInput,
    SchemaError,
    UnknownMatchRun,
    UnknownRejection,
    WarehouseError,
    WarehouseLocked,
)
from warehouse.identity import posting_id, posting_key
from warehouse.loading import LoadReport
from warehouse.postings import export_postings, import_postings, load_feed, open_posting_ids, posting_details

__all__ = [
    "FeedError",
    "InvalidInput",
    "LoadReport",
    "SchemaError",
    "UnknownMatchRun",
    "UnknownRejection",
    "WarehouseError",
    "WarehouseLocked",
    "check_keys",
    "connect",
    "export_postings",
    "import_postings",
    "load_feed",
    "open_posting_ids",
    "posting_details",
    "posting_id",
    "posting_key",
    "transaction",
]
