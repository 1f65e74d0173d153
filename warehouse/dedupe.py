"""Cross-source dedupe in the warehouse: decide which open postings are one opening, and read that back.

``dedupe_openings`` recomputes ``posting_duplicates`` from the open postings with the rule in ``dedupe_rule``;
``duplicate_of`` maps each duplicate posting to its opening's canonical posting; the ``openings`` view lists
every open opening once with all its source links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import duckdb

from warehouse.db import fetch_dicts, first_row, sql, transaction, utcnow
from warehouse.dedupe_rule import RULE_VERSION, Candidate, find_duplicates


@dataclass
class DedupeReport:
    """What one dedupe pass decided."""

    open_postings: int = 0
    duplicates: int = 0  # open postings shown as another posting's opening
    openings: int = 0  # open postings minus duplicates
    reused: bool = False  # the open postings had not changed since the last pass: its result was kept


def open_candidates(con: duckdb.DuckDBPyConnection) -> list[Candidate]:
    """Every open posting as the dedupe rule reads it."""
    rows = con.execute(sql("marts/dedupe_candidates")).fetchall()
    return [Candidate(posting_id=int(pid), source=source, title=title, company=company, locations=list(places or []),
                      description=description or "", first_seen_at=first_seen)
            for pid, source, title, company, places, description, first_seen in rows]


def open_postings_key(con: duckdb.DuckDBPyConnection) -> tuple[str, int]:
    """A fingerprint of what a dedupe pass reads (the rule's version and every open posting's compared fields),
    and the number of open postings."""
    # Each row hashed whole, xor-ed: independent of order; the same rows the rule reads in `open_candidates`.
    query = ("select count(*), coalesce(bit_xor(hash(candidates)), 0) "
             f"from ({sql('marts/dedupe_candidates')}) as candidates")
    count, digest = first_row(con.execute(query))
    return f"rule {RULE_VERSION}; {count} open; {digest}", int(count)


def dedupe_openings(con: duckdb.DuckDBPyConnection, *, force: bool = False) -> DedupeReport:
    """Recompute which open postings duplicate another (in one transaction) and report the counts.

    When the open postings are exactly those the last pass read (same fingerprint, kept in the same transaction
    as its result), that result stands and nothing is recomputed, unless `force`.
    """
    key, count_open = open_postings_key(con)
    stored = first_row(con.execute("select open_postings_key from dedupe_state"))
    if stored is not None and stored[0] == key and not force:
        count_duplicates = first_row(con.execute("select count(*) from posting_duplicates"))[0]
        return DedupeReport(open_postings=count_open, duplicates=count_duplicates,
                            openings=count_open - count_duplicates, reused=True)
    candidates = open_candidates(con)
    rows = find_duplicates(candidates)
    decided_at = utcnow()
    with transaction(con):
        con.execute("delete from posting_duplicates")
        if rows:
            con.executemany("insert into posting_duplicates values (?, ?, ?, ?, ?)",
                            [(*row, decided_at) for row in rows])
        con.execute("delete from dedupe_state")
        con.execute("insert into dedupe_state values ($key, $at)", {"key": key, "at": decided_at})
    return DedupeReport(open_postings=len(candidates), duplicates=len(rows), openings=len(candidates) - len(rows))


def duplicate_of(con: duckdb.DuckDBPyConnection, posting_ids: Iterable[int] | None = None) -> dict[int, int]:
    """``{posting_id: canonical_posting_id}`` for duplicate postings (only those among ``posting_ids`` if given)."""
    if posting_ids is None:
        rows = con.execute("select posting_id, canonical_posting_id from posting_duplicates").fetchall()
    else:
        ids = [int(i) for i in posting_ids]
        if not ids:
            return {}
        rows = con.execute(
            "select posting_id, canonical_posting_id from posting_duplicates where list_contains($ids, posting_id)",
            {"ids": ids},
        ).fetchall()
    return {int(posting): int(canonical) for posting, canonical in rows}


def opening_links(con: duckdb.DuckDBPyConnection, opening_ids: Iterable[int]) -> dict[int, list[dict]]:
    """Every source link (posting_id, source, board, url, credit) of each requested open opening."""
    ids = [int(i) for i in opening_ids]
    if not ids:
        return {}
    rows = fetch_dicts(con.execute(
        "select opening_id, source_links from openings where list_contains($ids, opening_id)", {"ids": ids}))
    return {int(row["opening_id"]): list(row["source_links"]) for row in rows}
