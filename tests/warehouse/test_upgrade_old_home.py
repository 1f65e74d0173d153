"""A data home written by the first schema (migration 001 only, with data) is migrated in place, keeping every row.

The fixture ``tests/fixtures/old-home/plenty-001.duckdb`` is built by ``make_old_home.py`` beside it and committed:
it is the file an early user has on disk, not something the current code wrote.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from cli.main import cli
from warehouse import connect
from warehouse.checks import check_keys
from warehouse.db import available_migrations

OLD = Path(__file__).resolve().parents[1] / "fixtures" / "old-home" / "plenty-001.duckdb"
TABLES_001 = ("feed_loads", "raw_postings", "postings", "companies", "rejections", "posting_vectors", "match_runs",
              "matches")


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of the tables 001 created, in the columns 001 gave them, sorted."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = {}
        for table in TABLES_001:
            columns = [r[0] for r in con.execute(
                "select column_name from duckdb_columns() where table_name = $t and database_name = current_database()"
                " order by column_index", {"t": table}).fetchall()]
            tables[table] = (columns, sorted(con.execute(f"select * from {table}").fetchall(), key=repr))
        return tables
    finally:
        con.close()


@pytest.fixture
def old_home(home):
    home.mkdir(parents=True)
    shutil.copy(OLD, home / "plenty.duckdb")
    return home


def test_the_fixture_is_a_001_warehouse_with_data():
    con = duckdb.connect(str(OLD), read_only=True)
    try:
        assert con.execute("select version from schema_migrations").fetchall() == [(1,)]
        counts = {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in TABLES_001}
    finally:
        con.close()
    assert all(counts.values()), counts


def test_connect_migrates_an_old_home_in_place_and_keeps_every_row(old_home):
    before = dump(old_home / "plenty.duckdb")
    with connect(old_home / "plenty.duckdb") as con:
        versions = [r[0] for r in con.execute("select version from schema_migrations order by version").fetchall()]
        assert versions == [version for version, _, _ in available_migrations()]
        assert {t: n for t, n in check_keys(con).items() if n} == {}
        # Columns later migrations added exist, empty, on the old rows.
        assert con.execute("select count(*) from rejections where cooloff_days is null").fetchall() == [(2,)]
    after = dump(old_home / "plenty.duckdb")
    for table, (columns, rows) in before.items():
        new_columns, new_rows = after[table]
        assert new_columns[: len(columns)] == columns, table
        assert [row[: len(columns)] for row in sorted(new_rows, key=repr)] == rows, table
    # Opening again changes nothing.
    with connect(old_home / "plenty.duckdb"):
        pass
    assert dump(old_home / "plenty.duckdb") == after


def test_the_commands_work_on_the_migrated_home(old_home):
    listed = CliRunner().invoke(cli, ["reject", "list", "--all"])
    assert listed.exit_code == 0, listed.output
    assert "Data Engineer at Initech [onsite]" in listed.output and "Staff Nurse at Harborview Clinics (archived)" in (
        listed.output)
    matches = CliRunner().invoke(cli, ["matches"])
    assert matches.exit_code == 0, matches.output
    assert "Senior Data Engineer — Brightwater Analytics (Berlin)" in matches.output
    exported = CliRunner().invoke(cli, ["export"])
    assert exported.exit_code == 0 and len(exported.output.splitlines()) == 2  # the closed posting is not exported
