"""Data tests: each file in sql/tests/ returns the rows that break a table's key (unique and not null)."""

from __future__ import annotations

from importlib import resources

import duckdb

from warehouse.db import first_row


def check_keys(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Run every key test and return, per table, how many failing rows its tests returned (0 is good)."""
    failing: dict[str, int] = {}
    for entry in sorted(resources.files("warehouse").joinpath("sql", "tests").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".sql"):
            continue
        table = entry.name.removesuffix(".sql").split("__")[0]
        count = first_row(con.execute(f"select count(*) from ({entry.read_text(encoding='utf-8')})"))[0]
        failing[table] = failing.get(table, 0) + int(count)
    return failing
