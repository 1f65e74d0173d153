"""Posting identity as docs/ARCHITECTURE.md defines it (the SQL in sql/marts/load_batch.sql agrees)."""

from __future__ import annotations

import hashlib


def posting_key(source: str, source_id: str) -> str:
    """Return the stable key of a posting: "{source}:{source_id}"."""
    return f"{source}:{source_id}"


def posting_id(source: str, source_id: str) -> int:
    """Return the FAISS id of a posting: the first 8 bytes of sha256(posting_key) as a positive int64."""
    digest = hashlib.sha256(posting_key(source, source_id).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") & 0x7FFF_FFFF_FFFF_FFFF
