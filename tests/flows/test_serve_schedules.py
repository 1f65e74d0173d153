"""`plenty serve`: the nightly and digest deployments get the crons of config.toml's [schedule] (nothing served)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli.main import cli
from datahome.errors import ConfigError
from datahome.settings import load_settings
from flows.schedules import DEFAULT_DIGEST_CRON, DEFAULT_NIGHTLY_CRON, build_deployments, load_schedule


def crons(deployments) -> dict[str, tuple[str, str | None]]:
    return {d.name: (d.schedules[0].schedule.cron, d.schedules[0].schedule.timezone) for d in deployments}


def write_config(home, text: str):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text, encoding="utf-8")
    return load_settings()


def test_default_crons_are_nightly_at_two_and_monday_at_seven(home):
    deployments = build_deployments(load_settings())
    assert (DEFAULT_NIGHTLY_CRON, DEFAULT_DIGEST_CRON) == ("0 2 * * *", "0 7 * * 1")
    assert crons(deployments) == {"plenty-nightly": ("0 2 * * *", None), "plenty-digest": ("0 7 * * 1", None)}
    assert [d.flow_name for d in deployments] == ["plenty-nightly", "plenty-digest"]
    assert all(d.parameters == {"home": str(home)} and d.concurrency_limit == 1 for d in deployments)


def test_configured_crons_and_time_zone_are_used(home):
    settings = write_config(home, '[schedule]\nnightly = "30 3 * * *"\ndigest = "0 8 * * 6"\n'
                                  'timezone = "Europe/Berlin"\n')
    assert crons(build_deployments(settings)) == {"plenty-nightly": ("30 3 * * *", "Europe/Berlin"),
                                                 "plenty-digest": ("0 8 * * 6", "Europe/Berlin")}


@pytest.mark.parametrize("table", ['nightly = "every night"', 'digest = "0 7 * *"', 'timezone = "Mars/Olympus"'])
def test_a_bad_schedule_is_a_config_error(home, table):
    settings = write_config(home, f"[schedule]\n{table}\n")
    with pytest.raises(ConfigError, match=r"\[schedule\]"):
        load_schedule(settings)


def test_serve_dry_run_prints_the_deployments_and_returns(home):
    write_config(home, '[schedule]\nnightly = "15 1 * * *"\n')
    result = CliRunner().invoke(cli, ["serve", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["plenty-nightly: cron '15 1 * * *' (flow plenty-nightly)",
                                          "plenty-digest: cron '0 7 * * 1' (flow plenty-digest)"]


def test_serve_with_a_bad_cron_exits_with_one_line(home):
    write_config(home, '[schedule]\ndigest = "monday morning"\n')
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: [schedule] digest = 'monday morning' in ")
    assert len(result.output.strip().splitlines()) == 1
