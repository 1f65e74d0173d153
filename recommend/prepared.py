"""What a recommender keeps between queries while the warehouse's ranking corpus is unchanged: the corpus, its
ranker, every posting's vector and level, the company grouping, the company profiles built so far and the shown
fields of every posting, so a warm query reads nothing from the warehouse."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from recommend.companies import CompanyProfile, build_profile, group_positions
from recommend.errors import RecommendError
from recommend.facts import level_of, specialisms_of

log = logging.getLogger(__name__)

# Bump when what is kept on disk changes shape: older copies are then read again from the warehouse.
KEPT_FORMAT = 2
KEPT_ROWS = "corpus.pickle"
# The descriptions, apart: most of the bytes, and a query reads them only for the reasons of what it shows.
KEPT_DESCRIPTIONS = "descriptions.pickle"
KEPT_VECTORS = "vectors.npy"

# The fields of a posting that `plenty similar` shows, as `warehouse.matches.posting_details` names them; the
# ranking corpus reads them with the rest, so a shown posting needs no query of its own.
SHOWN_FIELDS = ("posting_id", "title", "company", "company_id", "location", "locations", "is_remote", "url",
                "source", "board", "source_id", "department", "employment_type", "salary_min", "salary_max",
                "salary_currency", "salary_period", "credit", "posted_at", "first_seen_at", "last_seen_at",
                "closed_at")


@dataclass
class Prepared:
    """One read of the ranking corpus with everything built over it; position i of every array is `corpus.ids[i]`."""

    version: tuple
    corpus: object  # corpus.ranking.Corpus
    vectors: np.ndarray
    levels: list[int]
    groups: dict[str, np.ndarray]
    ranker: object = None  # embeddings.ranker.Ranker, set by `attach_ranker`
    index_stamp: tuple | None = None  # of the index the ranker searches
    _profiles: dict[str, CompanyProfile] = field(default_factory=dict)
    _terms: dict[int, list[str]] = field(default_factory=dict)
    _specialisms: list[int] | None = None

    @classmethod
    def build(cls, version: tuple, corpus, vectors: np.ndarray) -> "Prepared":
        """The prepared corpus from its read (`version`: the warehouse's fingerprint of it) and the vectors of its
        postings in its order. Raises `RecommendError` when the vectors do not match the corpus."""
        if len(vectors) != len(corpus.ids):
            raise RecommendError(f"{len(corpus.ids)} postings in the corpus but {len(vectors)} vectors")
        levels: dict[str | None, int] = {}  # by title: boards repeat their titles
        for row in corpus.rows:
            if row["title"] not in levels:
                levels[row["title"]] = level_of(row["title"])
        return cls(version, corpus, np.ascontiguousarray(vectors, dtype=np.float32),
                   [levels[r["title"]] for r in corpus.rows],
                   group_positions([r["company_id"] for r in corpus.rows]))

    @property
    def specialisms(self) -> list[int]:
        """The specialism bit sets of the postings' titles (`facts.specialisms_of`), in corpus order; made once
        per read (not kept on disk: a regex per distinct title)."""
        if self._specialisms is None:
            by_title: dict[str | None, int] = {}
            for row in self.corpus.rows:
                if row["title"] not in by_title:
                    by_title[row["title"]] = specialisms_of(row["title"])
            self._specialisms = [by_title[r["title"]] for r in self.corpus.rows]
        return self._specialisms

    def attach_ranker(self, ranker, index_stamp: tuple | None) -> None:
        """Keep the ranker built over this corpus, searching the index of `index_stamp` (`embeddings.index`)."""
        self.ranker, self.index_stamp = ranker, index_stamp

    def lookup(self, posting_ids) -> np.ndarray:
        """The vectors of postings of the corpus, in the order given (the ranker's vector lookup); raises
        `RecommendError` for an id the corpus does not hold."""
        ids = np.asarray(posting_ids, dtype=np.int64)
        positions = np.searchsorted(self.corpus.ids, ids)
        inside = positions < len(self.corpus.ids)
        if not inside.all() or not np.array_equal(self.corpus.ids[positions], ids):
            raise RecommendError("a vector was asked for a posting outside the ranking corpus")
        return self.vectors[positions]

    def profile(self, company_id: str) -> CompanyProfile:
        """The profile of a company of the corpus (built once per corpus read)."""
        found = self._profiles.get(company_id)
        if found is None:
            positions = self.groups[company_id]
            found = self._profiles[company_id] = build_profile(
                company_id, self.corpus.rows[positions[0]]["company"], positions, self.vectors[positions],
                self.corpus.profiles)
        return found

    def details(self, posting_ids) -> dict[int, dict]:
        """The shown fields of postings of the corpus, by posting id (ids outside it are left out)."""
        out = {}
        for posting_id in posting_ids:
            position = int(np.searchsorted(self.corpus.ids, posting_id))
            if position < len(self.corpus.ids) and self.corpus.ids[position] == posting_id:
                row = self.corpus.rows[position]
                out[int(posting_id)] = {name: row.get(name) for name in SHOWN_FIELDS}
        return out

    def skill_terms(self, position: int, terms: frozenset[str]) -> list[str]:
        """The skill terms of the posting text at `position` (found once per corpus read)."""
        from embeddings.skills import skill_terms

        found = self._terms.get(position)
        if found is None:
            found = self._terms[position] = skill_terms(self.corpus.texts[position], terms)
        return found

    def save(self, folder: Path) -> None:
        """Keep this read on disk in `folder` for the next process (see `load`): the corpus, its levels and its
        vectors, made whole in a staging folder and renamed into place; an existing `folder` is kept."""
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = folder.parent / f".{folder.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        corpus = self.corpus
        try:
            staging.mkdir()
            np.save(staging / KEPT_VECTORS, self.vectors)
            described = getattr(corpus.texts, "description", lambda i: corpus.rows[i].get("description"))
            with (staging / KEPT_DESCRIPTIONS).open("wb") as handle:
                pickle.dump([described(i) for i in range(len(corpus.rows))], handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            rows = [{name: value for name, value in row.items() if name != "description"} for row in corpus.rows]
            kept = {"format": KEPT_FORMAT, "version": self.version, "rows": rows, "ids": corpus.ids,
                    "profiles": corpus.profiles, "canonical": corpus.canonical, "levels": self.levels,
                    "specialisms": self.specialisms}
            with (staging / KEPT_ROWS).open("wb") as handle:
                pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)
            try:
                os.rename(staging, folder)
            except OSError:
                if not (folder / KEPT_ROWS).is_file():
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, version: tuple) -> "Prepared | None":
        """The read kept in `folder` when it was kept for `version` in this format, else None (missing, of another
        version, unreadable: the caller reads the warehouse)."""
        from corpus.ranking import Corpus, PostingTexts

        folder = Path(folder)
        try:
            with (folder / KEPT_ROWS).open("rb") as handle:
                kept = pickle.load(handle)
            if kept.get("format") != KEPT_FORMAT or kept.get("version") != version:
                return None
            vectors = np.load(folder / KEPT_VECTORS, mmap_mode="r")
            # Opened now, read when first needed: a newer copy kept meanwhile removes this folder, not the file.
            descriptions = (folder / KEPT_DESCRIPTIONS).open("rb")
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, KeyError):
            return None
        rows = kept["rows"]
        if len(vectors) != len(rows) or len(kept["ids"]) != len(rows):
            descriptions.close()
            return None
        texts = PostingTexts(rows, lambda: _descriptions(descriptions, folder, len(rows)))
        corpus = Corpus(rows, kept["ids"], texts, kept["profiles"], kept["canonical"])
        return cls(version, corpus, vectors, kept["levels"], group_positions([r["company_id"] for r in rows]),
                   _specialisms=kept.get("specialisms"))


def _descriptions(handle, folder: Path, count: int) -> list[str | None]:
    """The kept descriptions of a prepared read, from their file opened by `Prepared.load` (read when a first
    posting text is made). Raises `RecommendError` when they cannot be read or do not fit the rows."""
    try:
        with handle:
            descriptions = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError) as exc:
        raise RecommendError(f"the kept ranking corpus in {folder} cannot be read ({exc}); run the query again") \
            from exc
    if len(descriptions) != count:
        raise RecommendError(f"the kept ranking corpus in {folder} holds {len(descriptions)} descriptions for "
                             f"{count} postings; run the query again")
    return descriptions


def kept_folder(cache_dir: Path, model: str, tags: str) -> tuple[Path, str]:
    """(the folder under the data home's cache that keeps prepared reads of `model`'s corpus with `tags`, the
    name of the copy of the current format in it)."""
    key = hashlib.sha256(f"{KEPT_FORMAT}\t{model}\t{tags}".encode()).hexdigest()[:32]
    return Path(cache_dir) / "corpus", key


def keep(prepared: Prepared, cache_dir: Path, model: str, tags: str) -> None:
    """Save `prepared` as the one kept read of its model (older ones removed); a read-only or full data home only
    costs the next process a read of the warehouse."""
    root, name = kept_folder(cache_dir, model, tags)
    folder = root / f"{name}-{version_digest(prepared.version)}"
    try:
        if not (folder / KEPT_ROWS).is_file():
            prepared.save(folder)
        for old in root.iterdir():
            if old.name.startswith(name) and old.name != folder.name:
                shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        log.warning("could not keep the ranking corpus in %s: %s", root, exc)


def kept(cache_dir: Path, model: str, tags: str, version: tuple) -> Prepared | None:
    """The read of `model`'s corpus kept for `version` (see `keep`), or None."""
    root, name = kept_folder(cache_dir, model, tags)
    return Prepared.load(root / f"{name}-{version_digest(version)}", version)


def version_digest(version: tuple) -> str:
    """A short name for a corpus version (the warehouse's fingerprint of the corpus)."""
    return hashlib.sha256(repr(version).encode()).hexdigest()[:16]
