"""The ESCO skills each open posting names (embeddings/skill_names.py), read once per content and kept in the
warehouse, so counting the skills of many openings, and how common each is, costs a query."""

from __future__ import annotations

import logging

from datahome.settings import Settings

log = logging.getLogger(__name__)


def skill_vocabulary(settings: Settings) -> tuple[frozenset[str], str]:
    """The skill names and their vocabulary key (cached under the data home)."""
    from embeddings.skill_names import load_skill_names, vocabulary_key

    names = load_skill_names(cache_dir=settings.cache_dir)
    return names, vocabulary_key(names)


def posting_skill_text(title: str | None, description: str | None) -> str:
    """The text a posting's skills are read from: its title and its whole description."""
    return f"{title or ''}\n{description or ''}"


def read_missing_skills(con, names: frozenset[str], vocabulary: str) -> int:
    """Read the skills of every open posting's content not read under `vocabulary` yet and keep them; returns
    how many contents were read."""
    from embeddings.skill_names import skill_names
    from warehouse.skills import postings_without_skills, store_posting_skills

    missing = postings_without_skills(con, vocabulary)
    if not missing:
        return 0
    log.info("reading the skills of %d postings", len(missing))
    found = [skill_names(posting_skill_text(r["title"], r["description"]), names) for r in missing]
    return store_posting_skills(con, vocabulary, [r["content_hash"] for r in missing], found)
