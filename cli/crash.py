"""The guard around every command: an unexpected exception becomes one line, a crash log and exit code 70.

Named user errors never get here (``cli.common.reports_errors`` turns them into ``Error: ...`` and exit 1); what
does is a bug, and the user should see what failed, where the traceback went and whom to tell, not the traceback.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import traceback
from datetime import datetime, timezone
from pathlib import Path

import click

from display.safe_text import safe_line

EX_SOFTWARE = 70  # sysexits.h: an internal software error
BUG_REPORTS = "https://github.com/plenty-jobs/plenty/issues"
_DETAIL_CHARS = 200


class GuardedGroup(click.Group):
    """A click group whose commands (and their sub-commands) cannot end in a traceback."""

    def invoke(self, ctx: click.Context):
        """Run the command; an exception that is not click's own or a deliberate exit is reported as a crash."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit, BrokenPipeError):
            raise  # click reports these itself (usage errors, ^C, a closed pipe)
        except Exception as exc:
            report_crash(command_path(exc, ctx), exc)
            ctx.exit(EX_SOFTWARE)


def command_path(exc: BaseException, fallback: click.Context) -> str:
    """The full name of the command that was running (``plenty reject add``): the innermost click context on the
    exception's way out."""
    innermost = fallback
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        found = frame.f_locals.get("ctx")
        if isinstance(found, click.Context):
            innermost = found
    return innermost.command_path or "plenty"


def report_crash(command: str, exc: BaseException) -> Path:
    """Write the traceback to a crash log and print one line naming the command, the exception and the log."""
    log = write_crash_log(command, exc)
    detail = safe_line(str(exc)).strip()
    if len(detail) > _DETAIL_CHARS:
        detail = detail[:_DETAIL_CHARS] + "…"
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    click.echo(f"Error: '{command}' failed unexpectedly ({what}). This is a bug in plenty; the traceback is in "
               f"{log}. Please report it at {BUG_REPORTS} with that file.", err=True)
    return log


def write_crash_log(command: str, exc: BaseException) -> Path:
    """The crash log under ``$PLENTY_HOME/logs/`` (a temporary file when the data home cannot be written)."""
    now = datetime.now(timezone.utc)
    text = "".join([
        f"plenty crash report, {now.isoformat(timespec='seconds')}\n",
        f"command: {command}\n",
        f"arguments: {sys.argv[1:]!r}\n",
        f"plenty {_version()}, Python {platform.python_version()}, {platform.platform()}\n\n",
        *traceback.format_exception(exc),
    ])  # fmt: skip
    name = f"crash-{now.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}.log"
    try:
        logs = _logs_dir()
        logs.mkdir(parents=True, exist_ok=True)
        path = logs / name
        path.write_text(text, encoding="utf-8")
        return path
    except OSError:
        handle, fallback = tempfile.mkstemp(prefix="plenty-crash-", suffix=".log")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        return Path(fallback)


def _logs_dir() -> Path:
    # Read from the environment, not load_settings(): a broken config.toml may be what crashed.
    home = os.environ.get("PLENTY_HOME") or Path.home() / ".plenty"
    return Path(home).expanduser() / "logs"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("plenty")
    except PackageNotFoundError:
        return "(not installed)"
