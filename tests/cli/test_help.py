"""Every command has help text, and the CLI starts without importing the heavy libraries."""

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from cli.main import cli


def all_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))


COMMANDS = list(all_commands(cli))


def test_top_level_help_lists_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in ("reject", "similar", "nightly", "import", "export", "index"):
        assert name in result.output


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help(path, command):
    assert command.help and command.help.strip(), f"plenty {' '.join(path)} has no help text"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    first_line = " ".join(command.help.split("\n\n")[0].split())
    assert first_line in " ".join(result.output.split())


def test_cli_import_does_not_load_heavy_libraries():
    code = ("import sys, cli.main; heavy = [m for m in ('torch', 'sentence_transformers', 'transformers', "
            "'onnxruntime', 'prefect', 'scrapy', 'faiss', 'duckdb', 'numpy', 'pandas') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_reading_the_warehouse_does_not_load_pandas():
    """Commands that only read (reject list, matches, export) import the warehouse; pandas comes only where a
    frame is built for a write."""
    code = ("import sys, warehouse, warehouse.matches, warehouse.rejections, warehouse.recommendations, "
            "warehouse.vectors, warehouse.digests, warehouse.imports; print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
