"""Opening the warehouse: migrations, schema versions, locking."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from tests.support.warehouse_rows import night, posting, snapshot, write_feed
from warehouse import WarehouseLocked, connect, load_feed
from warehouse.db import apply_migrations, available_migrations
from warehouse.errors import SchemaError
from warehouse.rejections import add_rejection

REPO = Path(__file__).resolve().parents[2]


def test_a_fresh_warehouse_records_every_migration(tmp_path):
    con = connect(tmp_path / "plenty.duckdb")
    recorded = con.execute("select version, name from schema_migrations order by version").fetchall()
    assert recorded == [(version, name) for version, name, _ in available_migrations()]
    assert recorded[0] == (1, "init")


def test_reopening_applies_nothing_and_keeps_data(tmp_path):
    path = tmp_path / "plenty.duckdb"
    con = connect(path)
    load_feed(con, write_feed(tmp_path / "a.jsonl", [posting("1")]), source="greenhouse", board="acme",
              complete=True, crawled_at=night(0))  # fmt: skip
    add_rejection(con, title="Data Engineer", company="Initech", text="pipelines")
    before = snapshot(con)
    con.close()
    con = connect(path)
    assert apply_migrations(con) == []
    assert snapshot(con) == before


def test_a_warehouse_from_a_newer_plenty_is_refused(tmp_path):
    path = tmp_path / "plenty.duckdb"
    con = connect(path)
    con.execute("insert into schema_migrations values (999, 'future', now()::timestamp)")
    con.close()
    with pytest.raises(SchemaError, match="upgrade plenty"):
        connect(path)


def test_read_only_open_of_an_unmigrated_file_is_refused(tmp_path):
    path = tmp_path / "plenty.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(SchemaError, match="open it once for writing"):
        connect(path, read_only=True)
    connect(path).close()
    connect(path, read_only=True).close()


def test_migrations_never_drop_user_data():
    destructive = re.compile(r"\b(drop\s+table|drop\s+column|delete\s+from|truncate)\b", re.IGNORECASE)
    for version, name, text in available_migrations():
        code = "\n".join(line.split("--")[0] for line in text.splitlines())
        assert not destructive.search(code), f"migration {version}_{name} drops data"


@contextmanager
def held_by_another_process(path: Path, release_after: float | None = None) -> Iterator[None]:
    """Another process holds the DuckDB file at `path` during the block (or only its first `release_after`
    seconds)."""
    connect(path).close()
    release = "sys.stdin.read()" if release_after is None else f"time.sleep({release_after}); c.close(); time.sleep(60)"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
         + release, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait(timeout=120)


def test_a_file_held_by_another_process_raises_warehouse_locked(tmp_path):
    path = tmp_path / "plenty.duckdb"
    with held_by_another_process(path):
        with pytest.raises(WarehouseLocked, match="another plenty process holds") as caught:
            connect(path, wait_seconds=0.5)
        assert str(path) in str(caught.value)
    connect(path).close()  # released once the holder is gone


def test_opening_waits_for_another_process_that_lets_go(tmp_path):
    path = tmp_path / "plenty.duckdb"
    with held_by_another_process(path, release_after=2):
        connect(path, wait_seconds=120).close()  # the holder let go after ~2 s: opened, no WarehouseLocked


def test_a_failing_migration_leaves_no_trace(tmp_path, monkeypatch):
    import warehouse.db as db

    shipped = available_migrations()
    broken = (max(v for v, _, _ in shipped) + 1, "broken", "create table half_done (x integer); select nonsense_fn();")
    monkeypatch.setattr(db, "available_migrations", lambda: [*shipped, broken])
    path = tmp_path / "plenty.duckdb"
    with pytest.raises(SchemaError, match="broken failed"):
        connect(path)
    monkeypatch.undo()
    con = connect(path)
    tables = {row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()}
    assert "half_done" not in tables
    assert broken[0] not in [row[0] for row in con.execute("select version from schema_migrations").fetchall()]
