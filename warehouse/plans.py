"""Each rejection's latest plan (`plenty analyse`), kept so the weekly digest can name the skills to build without
recomputing anything."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

import duckdb

from warehouse.db import fetch_dicts, transaction, utcnow
from warehouse.rejections import get_rejection


def store_plan(con: duckdb.DuckDBPyConnection, rejection_id: int, *, count_openings: int, to_build: Sequence[str],
               have: Sequence[str], markdown_path: str | None, now: datetime | None = None) -> None:
    """Replace the stored plan of a rejection. Raises `UnknownRejection`."""
    get_rejection(con, rejection_id)
    with transaction(con):
        con.execute("delete from rejection_plans where rejection_id = $id", {"id": int(rejection_id)})
        con.execute("""
            insert into rejection_plans (rejection_id, count_openings, to_build, have, markdown_path, computed_at)
            values ($id, $count, $to_build, $have, $path, $now)
            """, {"id": int(rejection_id), "count": int(count_openings), "to_build": list(to_build),
                  "have": list(have), "path": markdown_path, "now": now or utcnow()})


def stored_plans(con: duckdb.DuckDBPyConnection) -> dict[int, dict]:
    """`{rejection_id: plan}` of every stored plan (count_openings, to_build, have, markdown_path, computed_at)."""
    rows = fetch_dicts(con.execute("select * from rejection_plans order by rejection_id"))
    return {int(row["rejection_id"]): row for row in rows}
