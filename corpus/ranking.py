"""What the recommender ranks: the open postings with a vector, their BM25 index and occupation tags, read from
the warehouse, with dense candidates from the FAISS index. Tags missing for a posting are computed and kept."""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from corpus.tags import tag_missing, tags_key
from datahome.settings import Settings

log = logging.getLogger(__name__)


class PostingTexts(Sequence):
    """The text of each corpus row as it is embedded and searched, made when first asked for: a query reads a few
    (its reasons), and only building a BM25 index reads them all. The descriptions are the rows' own, or, for rows
    kept without them, what `descriptions` returns (called once, when a first text is made)."""

    def __init__(self, rows: list[dict], descriptions=None):
        self._rows = rows
        self._made: list[str | None] = [None] * len(rows)
        self._read_descriptions = descriptions
        self._descriptions: list[str | None] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        text = self._made[position]
        if text is None:
            from embeddings.text import posting_text

            row = self._rows[position]
            text = self._made[position] = posting_text(row["title"], row["company"],
                                                       self.description(position) or "", row["locations"] or [])
        return text

    def description(self, position: int) -> str | None:
        """The description of the row at `position`."""
        if self._read_descriptions is None:
            return self._rows[position]["description"]
        if self._descriptions is None:
            self._descriptions = self._read_descriptions()
        return self._descriptions[position]


@dataclass
class Corpus:
    """The open postings as the ranker sees them; position i of every list describes `ids[i]`."""

    rows: list[dict]
    ids: np.ndarray
    texts: Sequence[str]
    profiles: tuple[np.ndarray, np.ndarray] | None
    canonical: dict[int, int] = field(default_factory=dict)  # duplicate posting -> its opening's posting

    def copies(self) -> dict[int, set[int]]:
        """Opening -> every posting id that is a copy of it (itself included)."""
        out: dict[int, set[int]] = {}
        for duplicate, opening in self.canonical.items():
            out.setdefault(opening, {opening}).add(duplicate)
        return out


def load_corpus(con, model: str, encoder=None, tagger=None) -> Corpus | None:
    """The ranking corpus of `model` (None when no open posting has a vector). With a `tagger`, postings
    without stored occupation tags are tagged from their titles (embedded with `encoder`) and the tags stored."""
    from warehouse.dedupe import duplicate_of
    from warehouse.recommendations import ranking_corpus

    rows = ranking_corpus(con, model, tags_key(model))
    if not rows:
        return None
    texts = PostingTexts(rows)
    profiles = None
    if tagger is not None:
        tag_missing(con, model, rows, encoder, tagger)
        profiles = _profiles(rows, tagger)
    return Corpus(rows, np.array([r["posting_id"] for r in rows], dtype=np.int64), texts, profiles,
                  duplicate_of(con))


def _profiles(rows: list[dict], tagger) -> tuple[np.ndarray, np.ndarray]:
    width = tagger.top
    positions = np.zeros((len(rows), width), dtype=np.int64)
    weights = np.zeros((len(rows), width), dtype=np.float32)
    for i, row in enumerate(rows):
        known = dict(zip(row["occupation_uris"], row["occupation_weights"]))
        found = tagger.positions_of(list(known))[:width]
        positions[i, :len(found)] = found
        weights[i, :len(found)] = [known[tagger.occupations[p].uri] for p in found]
    return positions, weights


def lexical_index(settings: Settings, corpus: Corpus):
    """The BM25 index over the corpus texts: read from the data home's cache when it was built for exactly these
    postings (ids and content), else built and saved there for the next process. Older saved indexes are removed.
    """
    from embeddings.lexical import LexicalIndex

    digest = hashlib.sha256()
    for row in corpus.rows:
        digest.update(f"{row['posting_id']}\t{row['content_hash']}\n".encode())
    key = digest.hexdigest()
    root = settings.cache_dir / "bm25"
    folder = root / key[:32]
    found = LexicalIndex.load(folder, key)
    if found is not None:
        return found
    built = LexicalIndex(list(corpus.texts))
    try:
        built.save(folder, key)
        for old in root.iterdir():
            if old.name != folder.name and not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:  # a read-only or full data home only costs the next process a rebuild
        log.warning("could not keep the BM25 index in %s: %s", root, exc)
    return built


def build_ranker(corpus: Corpus, encoder, tagger, index, lookup, lexical=None, levels=None, specialisms=None):
    """A `Ranker` over the corpus taking dense candidates from `index` and other vectors from `lookup`; BM25 from
    `lexical` when given (see `lexical_index`), else built over the corpus texts; `levels` are the postings'
    seniority ordinals for the level signal, `specialisms` their titles' specialism bit sets for the specialism
    signal."""
    from embeddings.ranker import Ranker

    return Ranker(corpus.ids, corpus.texts, encoder=encoder, companies=[r["company"] for r in corpus.rows],
                  tagger=tagger, profiles=corpus.profiles, dense_search=index.search, vector_lookup=lookup,
                  lexical=lexical, levels=levels, specialisms=specialisms)
