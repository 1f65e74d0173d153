"""``plenty similar``: the open postings and companies most like a rejected role or any text."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.common import open_warehouse, reports_errors, settings
from datahome.errors import InputError
from display.safe_text import safe_json, safe_line
from recommend.facts import SENIORITY_LEVELS
from recommend.filters import DEFAULT_CURRENCY, Filters


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


def rejection_query(rejection_id: int) -> tuple[str, str, str, Filters]:
    """The query text of a recorded rejection, its company, its title and its stored suggestion filters."""
    from warehouse.recommendations import rejection_filters
    from warehouse.rejections import get_rejection

    with open_warehouse() as con:
        rejection = get_rejection(con, rejection_id)
        stored = Filters.from_stored(rejection_filters(con, rejection_id))
    return f"{rejection['title']}\n{rejection['text']}", rejection["company"], rejection["title"], stored


def filter_options(func):
    """The filter options shared by `similar` and `reject add`."""
    options = [
        click.option("--remote", is_flag=True, help="Only remote openings (or in --location, when given too)."),
        click.option("--location", help="Only openings whose place contains this text (e.g. Berlin)."),
        click.option("--seniority", help=f"Only these levels, comma-separated: {', '.join(SENIORITY_LEVELS)} "
                                         "(read from the title; no level word means mid)."),
        click.option("--min-salary", type=click.FloatRange(min=0), help="Leave out openings known to pay less "
                     "(yearly; openings without a salary, or in another currency, stay)."),
        click.option("--currency", help=f"Currency of --min-salary (default {DEFAULT_CURRENCY})."),
        click.option("--posted-within", type=click.IntRange(min=0), help="Only openings posted in the last DAYS."),
        click.option("--exclude-company", multiple=True, help="Never suggest this company (repeatable)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def filters_from(remote, location, seniority, min_salary, currency, posted_within, exclude_company) -> Filters:
    """Filters from the command-line options (unset options filter nothing)."""
    return Filters.from_options(remote, location, seniority, min_salary, currency, posted_within, exclude_company)


def print_result(result, as_json: bool, show_ids: bool = False, narrowed: bool = False) -> None:
    """One query's answer, as a readable list (rank, match %, title, company, place, age, salary, why, link;
    internal ids with `show_ids`) or as stable JSON; `narrowed`: filters or held-back postings left some out."""
    from datetime import date

    from display.match_line import age_of, salary_text

    if as_json:
        click.echo(safe_json({"postings": result.postings, "companies": result.companies}))
        return
    if not result.postings:
        click.echo("No open posting passes the filters; try fewer of them." if narrowed else
                   "No open postings yet; run 'plenty nightly' or 'plenty import FILE' first.")
        return
    click.echo("Similar openings (match % = how often a match this strong shares your role's occupation):")
    today = date.today()
    for rank, p in enumerate(result.postings, 1):
        facts = [safe_line(p.get("location")) if p.get("location") else None, age_of(p.get("posted_at"), today),
                 salary_text(p.get("salary"))]
        click.echo(f"{'#' + str(rank):>4} {p.get('match', round(100 * p['score'])):>3} %  {safe_line(p['title'])}"
                   f" — {safe_line(p['company']) or '?'}")
        if any(facts):
            click.echo(f"           {' · '.join(safe_line(f) for f in facts if f)}")
        if p.get("reason"):
            click.echo(f"           why: {safe_line(p['reason'])}")
        if p.get("url"):
            click.echo(f"           {safe_line(p['url'])}")
        if show_ids:
            click.echo(f"           [{safe_line(p['source'])}:{safe_line(p['source_id'])}  id {p['posting_id']}]")
    if result.companies:
        click.echo("\nSimilar companies:")
        print_companies(result.companies)


def print_companies(companies: list[dict]) -> None:
    """Companies with a few of their current openings."""
    for c in companies:
        click.echo(f"   {c['score']:.3f}  {safe_line(c['company'])} ({c.get('open_postings', c['matching_postings'])}"
                   " open)")
        for o in c.get("openings", [])[:3]:
            click.echo(f"          - {safe_line(o['title'])}{'  ' + safe_line(o['url']) if o.get('url') else ''}")


@click.command()
@click.option("--rejection", "rejection_id", type=int, help="Id of a recorded rejection (see 'plenty reject list').")
@click.option("--text", help="Any text: a job ad, a title, a description of what you want.")
@click.option("--queries", type=click.Path(path_type=Path, dir_okay=False),
              help='JSON lines of {"id": ..., "text": ...}; writes one JSON line of results per query.')
@click.option("--k", "k", default=10, show_default=True, type=click.IntRange(1, 1000), help="How many postings.")
@click.option("--json", "as_json", is_flag=True, help="Print stable JSON for scripts.")
@click.option("--ids", "show_ids", is_flag=True, help="Also print each opening's source and posting id.")
@click.option("--include-rejecting-company", is_flag=True,
              help="With --rejection: also show openings at companies still in their cool-off.")
@filter_options
@reports_errors
def similar(rejection_id: int | None, text: str | None, queries: Path | None, k: int, as_json: bool,
            show_ids: bool, include_rejecting_company: bool, **filter_values) -> None:
    """Show the open postings and companies most similar to a rejection, a text, or a file of queries.

    Each opening comes with its match % and why it was suggested; 'plenty mark #N applied' marks the N-th opening
    of the last list shown. With --rejection, postings you marked applied or dismissed are
    left out, and so are the openings of every company whose cool-off after a rejection still runs (unless
    --include-rejecting-company); the rejection's own filters (set with 'plenty reject add') apply, and the
    options given here take precedence.
    """
    from recommend.recommender import Recommender

    if sum(x is not None for x in (rejection_id, text, queries)) != 1:
        raise InputError("give exactly one of --rejection ID, --text S or --queries FILE")
    if text is not None and not text.strip():
        raise InputError("--text is empty")
    filters = filters_from(**filter_values)
    batch = read_queries(queries) if queries is not None else None
    query_text, titles = text, None
    if rejection_id is not None:
        query_text, _, title, stored = rejection_query(rejection_id)
        filters, titles = stored.merged(filters), [title]
    recommender = Recommender.open(settings())
    if recommender.index is None:
        raise InputError("no postings yet; run 'plenty nightly' or 'plenty import FILE' first")
    if batch is not None:
        results = recommender.similar([t for _, t in batch], k=k, filters=filters)
        for (query_id, _), result in zip(batch, results):
            click.echo(safe_json({"id": query_id, "results": result.postings, "companies": result.companies}))
        return
    held = held_back_today(include_rejecting_company) if rejection_id is not None else None
    exclusions = {"exclude_posting_ids": held.posting_ids, "exclude_company_ids": held.company_ids} if held else {}
    if filters.active and not as_json:
        click.echo(f"Filters: {safe_line(filters.describe())}")
    result = recommender.similar([query_text], k=k, titles=titles, filters=filters, **exclusions)[0]
    if result.postings:
        from datahome.listing import save_listing

        save_listing(settings().home, [p["posting_id"] for p in result.postings])
    print_result(result, as_json, show_ids, narrowed=filters.active or bool(held and held.posting_ids))


def held_back_today(include_rejecting_company: bool):
    """What a rejection's suggestions leave out today: applied/dismissed postings, companies in a cool-off."""
    from datetime import date

    from recommend.doors import door_settings, held_back

    with open_warehouse() as con:
        return held_back(con, date.today(), door_settings(settings()).cooloff_days, include_rejecting_company)
