"""BM25 over posting texts (bm25s), scored densely so it can be fused with vector scores."""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from pathlib import Path

import bm25s
import numpy as np

from embeddings.errors import RankerError

# bm25s sets its own logger to DEBUG on import, so every index build reached the console ("Building index from
# tokens") under Prefect's handlers; its warnings still do.
logging.getLogger("bm25s").setLevel(logging.WARNING)

STOPWORDS = "english"
LEXICAL_META = "lexical.json"
# Bump when tokenisation or scoring changes: saved indexes are then rebuilt.
LEXICAL_VERSION = 1


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-case word tokens without English stop words, as strings (the form BM25 is built from)."""
    return bm25s.tokenize(list(texts), stopwords=STOPWORDS, return_ids=False, show_progress=False)


class LexicalIndex:
    """A BM25 index over a fixed list of texts; document positions are 0..n-1."""

    def __init__(self, texts: list[str], *, k1: float = 1.5, b: float = 0.75) -> None:
        """Build the index (bm25s 'lucene' variant, its default) over `texts`."""
        if not texts:
            raise RankerError("cannot build a BM25 index over no documents")
        self.size = len(texts)
        tokens = tokenize(texts)
        # Texts without one word that is not a stop word ("x", "-", "The") leave bm25s nothing to index, which
        # it cannot do: such an index has no vocabulary and scores every document 0.
        self._bm25 = bm25s.BM25(k1=k1, b=b) if any(tokens) else None
        if self._bm25 is not None:
            self._bm25.index(tokens, show_progress=False)
        self._vocab = self._bm25.vocab_dict if self._bm25 is not None else {}

    def save(self, folder: Path, key: str) -> Path:
        """Write the index into `folder` (made whole in a staging folder, then renamed into place), tagged
        with `key`, the caller's fingerprint of the texts. Returns `folder`; an existing `folder` is kept."""
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = folder.parent / f".{folder.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            if self._bm25 is None:
                staging.mkdir()
            else:
                self._bm25.save(str(staging), show_progress=False)
            meta = {"key": key, "size": self.size, "version": LEXICAL_VERSION, "bm25s": bm25s.__version__,
                    "empty": self._bm25 is None}
            (staging / LEXICAL_META).write_text(json.dumps(meta, sort_keys=True) + "\n", encoding="utf-8")
            try:
                os.rename(staging, folder)
            except OSError:
                if not (folder / LEXICAL_META).is_file():
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return folder

    @classmethod
    def load(cls, folder: Path, key: str) -> "LexicalIndex | None":
        """The index saved in `folder` when it was saved with `key` by this version; None when it is
        missing, made for other texts or unreadable (the caller builds a fresh one)."""
        folder = Path(folder)
        try:
            meta = json.loads((folder / LEXICAL_META).read_text(encoding="utf-8"))
            if (meta.get("key"), meta.get("version"), meta.get("bm25s")) != (key, LEXICAL_VERSION, bm25s.__version__):
                return None
            bm25 = None if meta.get("empty") else bm25s.BM25.load(str(folder))
        except (OSError, ValueError, KeyError):
            return None
        index = cls.__new__(cls)
        index.size = int(meta["size"])
        index._bm25 = bm25
        index._vocab = bm25.vocab_dict if bm25 is not None else {}
        return index

    def share_with(self, phrase: str) -> float:
        """An upper bound on the share of documents holding `phrase`: that of its rarest word (a document holding
        the phrase holds every word of it); 1.0 when it has no indexed word. Rare skills have small shares."""
        tokens = tokenize([phrase])[0]
        if not tokens or self._bm25 is None:
            return 1.0
        indptr = self._bm25.scores["indptr"]
        counts = [int(indptr[self._vocab[t] + 1] - indptr[self._vocab[t]]) if t in self._vocab else 0 for t in tokens]
        return min(counts) / self.size

    def scores(self, query_texts: list[str]) -> np.ndarray:
        """BM25 score of every document for every query: float32 array (n_queries, n_docs)."""
        out = np.zeros((len(query_texts), self.size), dtype=np.float32)
        for row, tokens in enumerate(tokenize(query_texts)):
            # Words the corpus never saw contribute nothing; bm25s would raise on them.
            known = [t for t in tokens if t in self._vocab]
            if known:
                out[row] = self._bm25.get_scores(known)
        return out

    def top(self, query_texts: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k best positions per query by BM25: (scores, positions), each (n_queries, k), best first."""
        full = self.scores(query_texts)
        k = min(k, self.size)
        part = np.argpartition(-full, k - 1, axis=1)[:, :k]
        part_scores = np.take_along_axis(full, part, axis=1)
        order = np.argsort(-part_scores, axis=1, kind="stable")
        return np.take_along_axis(part_scores, order, axis=1), np.take_along_axis(part, order, axis=1)
