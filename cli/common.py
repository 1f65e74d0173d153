"""What every command shares: turning named errors into messages, and opening the data home."""

from __future__ import annotations

import functools
import sys

import click

from datahome.errors import PlentyError


def user_errors() -> tuple[type[BaseException], ...]:
    """Exception classes whose message is meant for the user (one base per package)."""
    from embeddings.errors import EmbeddingsError
    from warehouse.errors import WarehouseError

    return (PlentyError, WarehouseError, EmbeddingsError)


def reports_errors(func):
    """Turn the library's named exceptions into ``Error: ...`` on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except user_errors() as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)

    return wrapper


def settings():
    """The settings of this process (PLENTY_HOME, config.toml, PLENTY_MODEL)."""
    from datahome.settings import load_settings

    return load_settings()


def open_warehouse(read_only: bool = False):
    """A connection to the data home's warehouse, migrated to the current schema."""
    from warehouse.db import connect

    s = settings()
    s.ensure_dirs()
    return connect(s.db_path)
