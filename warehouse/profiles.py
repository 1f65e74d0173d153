"""The user's profile: a name that signs the drafts and the text of the CV. Each change adds a version; the latest
one is current, so an earlier CV is never lost."""

from __future__ import annotations

from datetime import datetime

import duckdb

from warehouse.db import fetch_dicts, transaction, utcnow

_KEEP = object()
_FIELDS = ("name", "cv_text", "cv_file", "cv_format")


def current_profile(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The latest profile (profile_id, name, cv_text, cv_file, cv_format, stored_at), or None before any."""
    rows = fetch_dicts(con.execute(
        "select profile_id, name, cv_text, cv_file, cv_format, stored_at from profiles "
        "order by stored_at desc, profile_id desc limit 1"))
    return rows[0] if rows else None


def store_profile(con: duckdb.DuckDBPyConnection, *, name=_KEEP, cv_text=_KEEP, cv_file=_KEEP, cv_format=_KEEP,
                  now: datetime | None = None) -> dict:
    """Store a new version of the profile: the fields given replace the current ones, the others are kept."""
    given = {"name": name, "cv_text": cv_text, "cv_file": cv_file, "cv_format": cv_format}
    with transaction(con):
        current = current_profile(con) or dict.fromkeys(_FIELDS)
        values = {f: current[f] if given[f] is _KEEP else given[f] for f in _FIELDS}
        con.execute("""
            insert into profiles (name, cv_text, cv_file, cv_format, stored_at)
            values ($name, $cv_text, $cv_file, $cv_format, $now)
            """, {**values, "now": now or utcnow()})
    return current_profile(con)
