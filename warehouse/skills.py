"""The ESCO skills each posting's text names, kept per content hash and skill vocabulary, and how many open
openings name each skill (the document frequencies an IDF is made of)."""

from __future__ import annotations

from typing import Iterable, Sequence

import duckdb

from warehouse.db import fetch_dicts, first_row, registered, sql, transaction, utcnow
from warehouse.errors import InvalidInput


def postings_without_skills(con: duckdb.DuckDBPyConnection, vocabulary: str) -> list[dict]:
    """(content_hash, title, description) of each open posting's content not yet read under `vocabulary`."""
    return fetch_dicts(con.execute(sql("marts/posting_skills_missing"), {"vocabulary": vocabulary}))


def store_posting_skills(con: duckdb.DuckDBPyConnection, vocabulary: str, hashes: Sequence[str],
                         skills: Sequence[Sequence[str]]) -> int:
    """Keep the skills found in each content hash under `vocabulary` (hashes already kept are left alone);
    returns how many were new."""
    if len(hashes) != len(skills):
        raise InvalidInput(f"{len(hashes)} hashes but {len(skills)} skill lists")
    if not len(hashes):
        return 0
    import pandas as pd  # here, not at module level: commands that only read skip it
    frame = pd.DataFrame({"content_hash": [str(h) for h in hashes], "skills": [list(s) for s in skills]})
    frame = frame.drop_duplicates("content_hash")
    with transaction(con):
        with registered(con, "new_skills", frame):
            inserted = con.execute("""
                insert into posting_skills (content_hash, vocabulary, skills, created_at)
                select new_skills.content_hash, $vocabulary, new_skills.skills::varchar[], $now
                from new_skills
                anti join (select content_hash from posting_skills where vocabulary = $vocabulary) as known
                    on known.content_hash = new_skills.content_hash
                returning content_hash
                """, {"vocabulary": vocabulary, "now": utcnow()}).fetchall()
    return len(inserted)


def skills_of_postings(con: duckdb.DuckDBPyConnection, vocabulary: str, posting_ids: Iterable[int]) -> dict[int, list]:
    """`{posting_id: skills}` for the given postings whose content was read under `vocabulary`."""
    ids = [int(p) for p in posting_ids]
    if not ids:
        return {}
    rows = con.execute("""
        select postings.posting_id, posting_skills.skills from postings
        inner join posting_skills on posting_skills.content_hash = postings.content_hash
        where posting_skills.vocabulary = $vocabulary and list_contains($ids, postings.posting_id)
        """, {"vocabulary": vocabulary, "ids": ids}).fetchall()
    return {int(posting_id): list(skills) for posting_id, skills in rows}


def skill_frequencies(con: duckdb.DuckDBPyConnection, vocabulary: str) -> tuple[int, dict[str, int]]:
    """(how many open openings there are, `{skill: how many of them name it}`) under `vocabulary`."""
    total = first_row(con.execute("""
        select count(*) from postings
        left join posting_duplicates as duplicates on duplicates.posting_id = postings.posting_id
        where postings.closed_at is null and duplicates.posting_id is null
        """))[0]
    rows = con.execute(sql("marts/skill_frequencies"), {"vocabulary": vocabulary}).fetchall()
    return int(total), {skill: int(count) for skill, count in rows}
