"""``plenty similar``: the open postings and companies most like a rejected role or any text."""

from __future__ import annotations

import json
from pathlib import Path

import click

from flows.commands.common import open_warehouse, reports_errors, settings
from flows.errors import InputError


def read_queries(path: Path) -> list[tuple[object, str]]:
    """(id, text) pairs from a JSON-lines file of ``{"id": ..., "text": ...}``; errors name the line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"queries file {path} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read queries file {path}: {exc}") from None
    queries = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise InputError(f"{path} line {number}: not valid JSON") from None
        if not isinstance(record, dict) or "id" not in record or not str(record.get("text") or "").strip():
            raise InputError(f'{path} line {number}: expected {{"id": ..., "text": "..."}} with non-empty text')
        queries.append((record["id"], str(record["text"])))
    if not queries:
        raise InputError(f"queries file {path} has no queries")
    return queries


def rejection_query(rejection_id: int) -> tuple[str, str]:
    """The query text of a recorded rejection, and its company."""
    from warehouse.rejections import get_rejection

    with open_warehouse() as con:
        rejection = get_rejection(con, rejection_id)
    return f"{rejection['title']}\n{rejection['text']}", rejection["company"]


def print_result(result, as_json: bool) -> None:
    """One query's answer, as a readable list or as stable JSON."""
    if as_json:
        click.echo(json.dumps({"postings": result.postings, "companies": result.companies}, ensure_ascii=False))
        return
    if not result.postings:
        click.echo("No open postings yet; run 'plenty nightly' or 'plenty import FILE' first.")
        return
    click.echo("Similar openings:")
    for rank, p in enumerate(result.postings, 1):
        click.echo(f"{rank:>3}. {p['score']:.3f}  {p['title']} — {p['company'] or '?'}"
                   f"{' (' + p['location'] + ')' if p.get('location') else ''}")
        click.echo(f"       {p['url']}  [{p['source']}:{p['source_id']}  id {p['posting_id']}]")
    if result.companies:
        click.echo("\nSimilar companies:")
        for c in result.companies:
            click.echo(f"   {c['score']:.3f}  {c['company']} ({c['matching_postings']} matching openings,"
                       f" e.g. {'; '.join(c['examples'][:2])})")


@click.command()
@click.option("--rejection", "rejection_id", type=int, help="Id of a recorded rejection (see 'plenty reject list').")
@click.option("--text", help="Any text: a job ad, a title, a description of what you want.")
@click.option("--queries", type=click.Path(path_type=Path, dir_okay=False),
              help='JSON lines of {"id": ..., "text": ...}; writes one JSON line of results per query.')
@click.option("--k", "k", default=10, show_default=True, type=click.IntRange(1, 1000), help="How many postings.")
@click.option("--json", "as_json", is_flag=True, help="Print stable JSON for scripts.")
@click.option("--include-rejecting-company", is_flag=True,
              help="With --rejection: also show openings at companies still in their cool-off.")
@reports_errors
def similar(rejection_id: int | None, text: str | None, queries: Path | None, k: int, as_json: bool,
            include_rejecting_company: bool) -> None:
    """Show the open postings and companies most similar to a rejection, a text, or a file of queries.

    With --rejection, postings you marked applied or dismissed are left out, and so are the openings of every
    company whose cool-off after a rejection still runs (unless --include-rejecting-company).
    """
    from flows.recommend import Recommender

    if sum(x is not None for x in (rejection_id, text, queries)) != 1:
        raise InputError("give exactly one of --rejection ID, --text S or --queries FILE")
    if text is not None and not text.strip():
        raise InputError("--text is empty")
    batch = read_queries(queries) if queries is not None else None
    query_text = rejection_query(rejection_id)[0] if rejection_id is not None else text
    recommender = Recommender.open(settings())
    if batch is not None:
        results = recommender.similar([t for _, t in batch], k=k)
        for (query_id, _), result in zip(batch, results):
            click.echo(json.dumps({"id": query_id, "results": result.postings, "companies": result.companies},
                                  ensure_ascii=False))
        return
    held = held_back_today(include_rejecting_company) if rejection_id is not None else None
    exclusions = {"exclude_posting_ids": held.posting_ids, "exclude_company_ids": held.company_ids} if held else {}
    print_result(recommender.similar([query_text], k=k, **exclusions)[0], as_json)


def held_back_today(include_rejecting_company: bool):
    """What a rejection's suggestions leave out today: applied/dismissed postings, companies in a cool-off."""
    from datetime import date

    from flows.doors import door_settings, held_back

    with open_warehouse() as con:
        return held_back(con, date.today(), door_settings(settings()).cooloff_days, include_rejecting_company)
