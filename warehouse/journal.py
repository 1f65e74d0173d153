"""The rejection journal as stored: contact, feedback asked and received, the self-review, drafts mailed.

Callers check the values (journal/entries.py); this module only reads and writes them, each write in one
statement or transaction, after checking that the rejection exists.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date, datetime

import duckdb

from warehouse.db import fetch_dicts, first_row, transaction, utcnow
from warehouse.rejections import get_rejection

JOURNAL_FIELDS = ("contact_name", "contact_email", "feedback_asked_at", "followed_up_at", "went_well", "went_wrong",
                  "went_wrong_tags")


def journal_entry(con: duckdb.DuckDBPyConnection, rejection_id: int) -> dict:
    """The journal fields of a rejection (all None when none were given); raises `UnknownRejection`."""
    get_rejection(con, rejection_id)
    rows = fetch_dicts(con.execute(f"select {', '.join(JOURNAL_FIELDS)} from rejection_journal "
                                   "where rejection_id = $id", {"id": int(rejection_id)}))
    entry = rows[0] if rows else dict.fromkeys(JOURNAL_FIELDS)
    entry["went_wrong_tags"] = list(entry["went_wrong_tags"] or [])
    return entry


def update_journal(con: duckdb.DuckDBPyConnection, rejection_id: int, now: datetime | None = None, *,
                   atomic: bool = True, **fields) -> dict:
    """Set the given journal fields of a rejection (others keep their values) in one transaction; returns the
    entry. `atomic=False` when the caller holds a transaction already. Raises `UnknownRejection`, and `ValueError`
    for a field that is not in `JOURNAL_FIELDS`."""
    unknown = set(fields) - set(JOURNAL_FIELDS)
    if unknown:
        raise ValueError(f"not journal fields: {', '.join(sorted(unknown))}")
    get_rejection(con, rejection_id)
    params = {"id": int(rejection_id), "now": now or utcnow()}
    for name in JOURNAL_FIELDS:
        params[name], params[f"set_{name}"] = fields.get(name), name in fields
    with (transaction(con) if atomic else nullcontext()):
        con.execute("""
            insert into rejection_journal (rejection_id, updated_at)
            select $id, $now
            where not exists (select 1 from rejection_journal where rejection_id = $id)
            """, {"id": params["id"], "now": params["now"]})
        con.execute(f"""
            update rejection_journal
            set {', '.join(f"{n} = case when $set_{n} then ${n} else {n} end" for n in JOURNAL_FIELDS)},
                updated_at = $now
            where rejection_id = $id
            """, params)
    return journal_entry(con, rejection_id)


def add_feedback(con: duckdb.DuckDBPyConnection, rejection_id: int, text: str, received_on: date,
                 now: datetime | None = None) -> int:
    """Keep one piece of feedback received on a rejection; returns its id. Raises `UnknownRejection`."""
    get_rejection(con, rejection_id)
    row = first_row(con.execute("""
        insert into rejection_feedback (rejection_id, text, received_on, recorded_at)
        values ($id, $text, $on, $now)
        returning feedback_id
        """, {"id": int(rejection_id), "text": text, "on": received_on, "now": now or utcnow()}))
    return int(row[0])


def feedback_entries(con: duckdb.DuckDBPyConnection, rejection_id: int) -> list[dict]:
    """The feedback received on a rejection, in the order it came (feedback_id, text, received_on)."""
    return fetch_dicts(con.execute("""
        select feedback_id, text, received_on, recorded_at from rejection_feedback
        where rejection_id = $id
        order by received_on, feedback_id
        """, {"id": int(rejection_id)}))


def record_sent_draft(con: duckdb.DuckDBPyConnection, rejection_id: int, kind: str, recipient: str,
                      message_id: str | None, sent_at: datetime | None = None) -> int:
    """Record that a draft was mailed; returns its id."""
    row = first_row(con.execute("""
        insert into sent_drafts (rejection_id, kind, recipient, message_id, sent_at)
        values ($id, $kind, $recipient, $message_id, $at)
        returning draft_id
        """, {"id": int(rejection_id), "kind": kind, "recipient": recipient, "message_id": message_id,
              "at": sent_at or utcnow()}))
    return int(row[0])


def sent_drafts(con: duckdb.DuckDBPyConnection, rejection_id: int) -> list[dict]:
    """The drafts mailed for a rejection, oldest first (kind, recipient, message_id, sent_at)."""
    return fetch_dicts(con.execute("""
        select draft_id, kind, recipient, message_id, sent_at from sent_drafts
        where rejection_id = $id
        order by sent_at, draft_id
        """, {"id": int(rejection_id)}))


def journal_states(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Per active rejection: title, company, rejected_on, feedback_asked_at, followed_up_at, and how many pieces
    of feedback it has (what the digest's "next steps" need, in one query)."""
    return fetch_dicts(con.execute("""
        with feedback as (
            select rejection_id, count(*) as count_feedback from rejection_feedback group by rejection_id
        )
        select
            rejections.rejection_id,
            rejections.title,
            rejections.company_name as company,
            rejections.rejected_on,
            journal.feedback_asked_at,
            journal.followed_up_at,
            coalesce(feedback.count_feedback, 0) as count_feedback,
        from rejections
        left join rejection_journal as journal on journal.rejection_id = rejections.rejection_id
        left join feedback on feedback.rejection_id = rejections.rejection_id
        where rejections.archived_at is null
        order by rejections.rejection_id
        """))
