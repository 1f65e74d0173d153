"""Open the warehouse, apply its migrations, and run SQL files in transactions."""

from __future__ import annotations

import os
import re
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterator

import duckdb

from warehouse.errors import SchemaError, WarehouseError, WarehouseLocked

# How long opening the warehouse waits for another plenty process to let go of it, and how often it looks.
LOCK_WAIT_SECONDS = 15.0
LOCK_RETRY_SECONDS = 0.2

_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")

_SCHEMA_MIGRATIONS = """
create table if not exists schema_migrations (
    version integer not null,
    name varchar not null,
    applied_at timestamp not null
)
"""


def connect(path: Path | str, *, read_only: bool = False, wait_seconds: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB warehouse at `path` (":memory:" allowed) with every migration applied.

    While another process holds the file (DuckDB allows one writer process), waits up to `wait_seconds` (default
    `LOCK_WAIT_SECONDS`) for it to let go: plenty's processes hold it only for short steps, so a nightly and the
    web app or a command take turns instead of failing. Raises `WarehouseLocked` when the wait runs out, and
    `SchemaError` when the file was written by a newer plenty or (read-only) still needs migrations.
    """
    path = str(path)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds)
    while True:
        try:
            con = duckdb.connect(path, read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise WarehouseError(f"cannot open the warehouse {path}: {exc}") from exc
            if time.monotonic() >= deadline:
                raise WarehouseLocked(path, _lock_detail(str(exc))) from exc
            time.sleep(LOCK_RETRY_SECONDS)
    # Timestamps are stored as naive UTC; make the session agree so casts never shift them.
    con.execute("set TimeZone = 'UTC'")
    try:
        if read_only:
            _check_current(con)
        else:
            apply_migrations(con)
    except BaseException:
        con.close()
        raise
    return con


def file_stamp(path: Path | str) -> tuple | None:
    """What changes whenever DuckDB writes the warehouse file at `path`: the inode, size and modification time of the
    file and of its write-ahead log (None for an in-memory warehouse). A process that keeps what it read may reuse it
    while the stamp is unchanged, without opening the file again (every write goes through one of the two files)."""
    path = str(path)
    if path == ":memory:":
        return None
    stamp = []
    for name in (path, path + ".wal"):
        try:
            info = os.stat(name)
        except FileNotFoundError:
            stamp.append(None)
            continue
        stamp.append((info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns))
    return tuple(stamp)


def _lock_detail(message: str) -> str:
    match = re.search(r"\(PID (\d+)\)", message)
    return f"PID {match.group(1)}" if match else ""


def available_migrations() -> list[tuple[int, str, str]]:
    """Return the shipped migrations as (version, name, sql), ordered by version."""
    found = []
    for entry in resources.files("warehouse").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [version for version, _, _ in found]
    if len(set(versions)) != len(versions):
        raise SchemaError(f"two migrations share a version number: {versions}")
    return found


def applied_versions(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Return the migration versions recorded in `schema_migrations`, ascending."""
    con.execute(_SCHEMA_MIGRATIONS)
    return [row[0] for row in con.execute("select version from schema_migrations order by version").fetchall()]


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration not yet recorded, each in its own transaction; return the versions applied."""
    done = set(applied_versions(con))
    shipped = available_migrations()
    newest = max((version for version, _, _ in shipped), default=0)
    if done and max(done) > newest:
        raise SchemaError(
            f"the warehouse has schema version {max(done)} but this plenty knows only up to {newest}; upgrade plenty"
        )
    applied = []
    for version, name, text in shipped:
        if version in done:
            continue
        try:
            with transaction(con):
                con.execute(text)
                con.execute(
                    "insert into schema_migrations (version, name, applied_at) values ($v, $n, $at)",
                    {"v": version, "n": name, "at": utcnow()},
                )
        except duckdb.Error as exc:
            raise SchemaError(f"migration {version:03d}_{name} failed and was rolled back: {exc}") from exc
        applied.append(version)
    return applied


def _check_current(con: duckdb.DuckDBPyConnection) -> None:
    tables = {row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()}
    done = set()
    if "schema_migrations" in tables:
        done = {row[0] for row in con.execute("select version from schema_migrations").fetchall()}
    missing = [version for version, _, _ in available_migrations() if version not in done]
    if missing:
        raise SchemaError("the warehouse needs migrations; open it once for writing (e.g. run any plenty command)")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in one transaction: commit on success, roll back on any exception."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


@lru_cache(maxsize=None)
def sql(name: str) -> str:
    """Return the text of `warehouse/sql/<name>.sql`."""
    return resources.files("warehouse").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def utcnow() -> datetime:
    """Now as a naive UTC datetime: the warehouse stores every timestamp in UTC without a zone."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_utc(moment: datetime) -> datetime:
    """Convert an aware datetime to naive UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def fetch_dicts(result: duckdb.DuckDBPyConnection) -> list[dict]:
    """Return the rows of an executed query as dicts keyed by column name."""
    names = [column[0] for column in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


def first_row(result: duckdb.DuckDBPyConnection) -> tuple | None:
    """Return the first row of an executed query, or None, reading the result to its end.

    DuckDB 2 refuses further work on a connection while a result is only partly fetched, so a bare
    `fetchone()` on a streaming query would break the caller's next statement.
    """
    rows = result.fetchall()
    return rows[0] if rows else None


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame) -> Iterator[None]:
    """Expose a pandas frame to SQL as view `name` for the duration of the block."""
    con.register(name, frame)
    try:
        yield
    finally:
        con.unregister(name)
