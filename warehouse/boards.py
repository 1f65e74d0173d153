"""Postings per board: how many a source has listed and how many are open, for ``plenty sources list``."""

from __future__ import annotations

import duckdb


def board_counts(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict[str, int]]:
    """Per (source kind, board): postings ever seen, open now, and open ones that duplicate another opening."""
    rows = con.execute(
        """
        select
            postings.source,
            postings.board,
            count(*) as count_seen,
            count(*) filter (where postings.closed_at is null) as count_open,
            count(duplicates.posting_id) filter (where postings.closed_at is null) as count_duplicates,
        from postings
        left join posting_duplicates as duplicates on duplicates.posting_id = postings.posting_id
        group by all
        """
    ).fetchall()
    return {(source, board): {"seen": int(seen), "open": int(open_), "duplicates": int(dups)}
            for source, board, seen, open_, dups in rows}
