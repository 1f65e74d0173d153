"""Run every read command of plenty on a data home and check that each one ends cleanly (no tests here).

"Cleanly" is the contract of the command line: exit code 0, or exit code 1 with one ``Error: ...`` line last on
stderr; never a traceback, never the crash exit code (70) of an unexpected exception.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from cli.main import cli

FILTERS = (
    ["--remote"], ["--location", "Berlin"], ["--seniority", "senior,junior"], ["--min-salary", "50000"],
    ["--min-salary", "1", "--currency", "usd"], ["--posted-within", "30"], ["--exclude-company", "Acme"],
    ["--remote", "--location", "Leeds", "--posted-within", "0"],
)  # fmt: skip


def assert_clean(result: Result, args: list[str]) -> None:
    """The command exited 0, or 1 with one ``Error:`` line; no traceback anywhere in its output."""
    shown = f"plenty {args!r} -> exit {result.exit_code}\n{result.output}"
    assert "Traceback" not in result.output, shown
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(shown) from result.exception
    assert result.exit_code in (0, 1), shown
    if result.exit_code == 1:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert lines and lines[-1].startswith("Error: "), shown
        assert sum(line.startswith("Error: ") for line in lines) == 1, shown


def plenty(*args: str) -> Result:
    """Run one command in this process (the configured data home) and check it ended cleanly."""
    args = [str(a) for a in args]
    result = CliRunner().invoke(cli, args)
    assert_clean(result, args)
    return result


def run_every_read_command(work: Path, query: str, rejection: dict, company: str,
                           filters: tuple[list[str], ...] = FILTERS) -> None:
    """``similar`` (text, JSON, each of ``filters``, a queries file, a rejection), ``companies like``, ``reject
    add``, the matches of a nightly run, ``matches``, ``mark``, ``digest``, ``export`` in each format and ``index
    status``."""
    from datahome.settings import load_settings
    from recommend import matching

    plenty("index", "status")
    plenty("similar", "--text", query)
    plenty("similar", "--text", query, "--json", "--k", "3")
    for options in filters:
        plenty("similar", "--text", query, *options)
    queries = work / "queries.jsonl"
    queries.write_text("".join(json.dumps(line) + "\n" for line in (
        {"id": 1, "text": query}, {"id": "two", "text": "nurse"}, {"id": None, "text": rejection["title"]})),
        encoding="utf-8")  # fmt: skip
    plenty("similar", "--queries", queries)
    plenty("similar", "--queries", queries, "--remote", "--min-salary", "10")
    plenty("companies", "like", company)
    plenty("companies", "like", company, "--json", "--top", "2")
    added = plenty("reject", "add", "--title", rejection["title"], "--company", rejection["company"],
                   "--text", rejection["text"], "--date", rejection["date"], *rejection["options"])
    if added.exit_code == 0:
        plenty("reject", "list")
        plenty("similar", "--rejection", "1")
        plenty("similar", "--rejection", "1", "--json", "--include-rejecting-company")
        settings = load_settings()
        if settings.index_dir.exists():  # the nightly's last step (which always follows an index update)
            matching.compute_matches(settings, "run-odd", k=5)
    plenty("matches")
    plenty("matches", "--rejection", "1")
    exported = plenty("export").stdout.splitlines()
    if exported:
        posting_id = json.loads(exported[0])["posting_id"]
        plenty("mark", posting_id, "saved", "--note", rejection["text"])
        plenty("mark", posting_id, "applied")
    plenty("mark", "12345", "dismissed")  # no such posting: a one-line error
    plenty("digest")
    plenty("export", "--format", "csv")
    plenty("export", "--format", "csv", "--out", work / "out.csv")
    plenty("export", "--out", work / "out.jsonl")
    plenty("similar", "--text", query)  # after the marks and the digest


def import_then_read(work: Path, text: str, suffix: str, options: list[str], query: str, rejection: dict,
                     company: str, filters: tuple[list[str], ...] = FILTERS) -> None:
    """``plenty import`` of a file holding ``text``, then every read command."""
    path = work / f"postings{suffix}"
    path.write_text(text, encoding="utf-8")
    plenty("import", path, *options)
    run_every_read_command(work, query, rejection, company, filters)


def feed_then_read(work: Path, feed_text: str, query: str, rejection: dict, company: str,
                   filters: tuple[list[str], ...] = FILTERS) -> None:
    """A crawl feed holding ``feed_text`` loaded as the nightly loads one (then embedded and indexed), then every
    read command."""
    from datetime import datetime, timezone

    from corpus.index_sync import bring_index_up_to_date
    from datahome.settings import load_settings
    from warehouse import connect, load_feed

    feed = work / "feed.jsonl"
    feed.write_text(feed_text, encoding="utf-8")
    settings = load_settings()
    settings.ensure_dirs()
    with connect(settings.db_path) as con:
        load_feed(con, feed, source="greenhouse", board="odd", complete=True, crawled_at=datetime.now(timezone.utc))
    bring_index_up_to_date(settings)
    run_every_read_command(work, query, rejection, company, filters)
