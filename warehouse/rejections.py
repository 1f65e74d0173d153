"""Rejections: the roles a user was turned down for; each active one is a query for similar openings."""

from __future__ import annotations

from datetime import date

import duckdb

from warehouse.db import fetch_dicts, first_row, utcnow
from warehouse.errors import InvalidInput, UnknownRejection
from warehouse.text import storable

_COLUMNS = """
    rejection_id, title, company_name as company, company_id, text, rejected_on, stage, notes, created_at,
    archived_at
"""


def add_rejection(
    con: duckdb.DuckDBPyConnection,
    *,
    title: str,
    company: str | None,
    text: str,
    rejected_on: date | None = None,
    stage: str | None = None,
    notes: str | None = None,
) -> int:
    """Record a rejection and return its id; an empty title or text raises `InvalidInput`."""
    title, company, text, stage, notes = storable([title or "", company, text or "", stage, notes])
    title = title.strip()
    text = text.strip()
    if not title:
        raise InvalidInput("the rejection needs a title")
    if not text:
        raise InvalidInput("the rejection needs a text (the posting or a description of the role)")
    if rejected_on is not None and not isinstance(rejected_on, date):
        raise InvalidInput(f"rejected_on must be a date, got {rejected_on!r}")
    row = first_row(con.execute(
        """
        insert into rejections (title, company_name, company_id, text, rejected_on, stage, notes, created_at)
        values ($title, $company, company_id_of($company), $text, $rejected_on, $stage, $notes, $now)
        returning rejection_id
        """,
        {
            "title": title,
            "company": _blank_to_none(company),
            "text": text,
            "rejected_on": rejected_on,
            "stage": _blank_to_none(stage),
            "notes": _blank_to_none(notes),
            "now": utcnow(),
        },
    ))
    return int(row[0])


def list_rejections(con: duckdb.DuckDBPyConnection, include_archived: bool = False) -> list[dict]:
    """Return the rejections (active ones only unless `include_archived`), oldest first."""
    where = "" if include_archived else "where archived_at is null"
    return fetch_dicts(con.execute(f"select {_COLUMNS} from rejections {where} order by rejection_id"))


def get_rejection(con: duckdb.DuckDBPyConnection, rejection_id: int) -> dict:
    """Return one rejection as a dict; raises `UnknownRejection` when there is none with that id."""
    rows = fetch_dicts(
        con.execute(f"select {_COLUMNS} from rejections where rejection_id = $id", {"id": _as_id(rejection_id)})
    )
    if not rows:
        raise UnknownRejection(rejection_id)
    return rows[0]


def archive_rejection(con: duckdb.DuckDBPyConnection, rejection_id: int) -> dict:
    """Archive a rejection so it stops producing matches (its history stays); return it. Idempotent."""
    get_rejection(con, rejection_id)
    con.execute(
        "update rejections set archived_at = coalesce(archived_at, $now) where rejection_id = $id",
        {"now": utcnow(), "id": _as_id(rejection_id)},
    )
    return get_rejection(con, rejection_id)


def _as_id(rejection_id: object) -> int:
    try:
        return int(rejection_id)
    except (TypeError, ValueError):
        raise UnknownRejection(rejection_id) from None


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None
