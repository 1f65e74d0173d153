"""`plenty reject filters`: show, add to, replace and clear the filters kept with a rejection."""

from __future__ import annotations

from click.testing import CliRunner

from cli.main import cli
from warehouse import connect
from warehouse.recommendations import rejection_filters


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def stored(home, rejection_id: int) -> dict:
    with connect(home / "plenty.duckdb") as con:
        return rejection_filters(con, rejection_id)


def add_rejection(*options: str) -> None:
    result = run("reject", "add", "--title", "Data Analyst", "--company", "Acme", "--text", "SQL", *options)
    assert result.exit_code == 0, result.output


def test_filters_show_add_replace_and_clear(home):
    add_rejection("--remote", "--exclude-company", "Initech")
    shown = run("reject", "filters", "1")
    assert shown.exit_code == 0 and shown.output == "Rejection 1 filters: remote; not at Initech\n"

    added = run("reject", "filters", "1", "--seniority", "senior", "--exclude-company", "Globex")
    assert added.exit_code == 0, added.output
    row = stored(home, 1)
    assert row["is_remote"] and row["seniority"] == "senior"
    assert row["exclude_companies"] == ["Initech", "Globex"]

    replaced = run("reject", "filters", "1", "--clear", "--location", "Berlin")
    assert replaced.output == "Rejection 1 filters: in Berlin\n"
    row = stored(home, 1)
    assert row["location"] == "Berlin" and not row["is_remote"] and row["exclude_companies"] is None

    cleared = run("reject", "filters", "1", "--clear")
    assert cleared.output == "Rejection 1 filters: none\n"
    assert all(value is None for value in stored(home, 1).values())


def test_filters_of_an_unknown_rejection_is_a_one_line_error(home):
    add_rejection()
    result = run("reject", "filters", "7", "--remote")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error: ") and "7" in result.output


def test_bad_filter_value_changes_nothing(home):
    add_rejection("--location", "Paris")
    result = run("reject", "filters", "1", "--seniority", "wizard")
    assert result.exit_code != 0 and "unknown seniority wizard" in result.output
    assert stored(home, 1)["location"] == "Paris"
