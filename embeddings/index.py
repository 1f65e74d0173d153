"""An inner-product FAISS index keyed by int64 posting ids, saved as a directory with a manifest.

Exact while small, approximate (IVF) past `index_kinds.EXACT_MAX` vectors: the kind is chosen by count
when an index is built, and `sync` rebuilds it in the other kind when the count crosses the threshold.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from embeddings import index_kinds
from embeddings.errors import IndexCorrupt, IndexMissing, IndexModelMismatch
from embeddings.text import bare_model
from embeddings.manifest import (
    MANIFEST_NAME,
    Manifest,
    fsync_file,
    new_staging_dir,
    read_manifest,
    readable_dir,
    recover,
    remove_abandoned_staging,
    swap_in,
)

# Up to this many queries are searched on one thread: for a handful of queries, FAISS's OpenMP threads
# cost more than they save, and on a busy 2-core machine one query took 36 ms on two threads against
# 0.4 ms on one (bench/index.py, 10k vectors).
SINGLE_THREAD_MAX_QUERIES = 16
INDEX_FILE = "index.faiss"
IDS_FILE = "ids.npy"


@dataclass(frozen=True)
class SyncReport:
    """What `VectorIndex.sync` changed: ids added, stale ids removed, ids whose vector was replaced."""

    added: int
    removed: int
    updated: int = 0
    rebuilt_as: str | None = None


class VectorIndex:
    """Normalised vectors searched by inner product (cosine), each under a caller-chosen int64 id."""

    def __init__(
        self,
        faiss_index: faiss.Index,
        model: str,
        built_at: str | None = None,
        exact_max: int = index_kinds.EXACT_MAX,
    ):
        self._index = faiss_index
        self.model = model
        self.dim = int(faiss_index.d)
        self.built_at = built_at
        self.exact_max = exact_max

    @classmethod
    def new(cls, model: str, dim: int, exact_max: int = index_kinds.EXACT_MAX) -> VectorIndex:
        """An empty exact index for vectors of `dim` floats made by `model`."""
        return cls(index_kinds.new_exact(dim), model, exact_max=exact_max)

    @classmethod
    def build(cls, model: str, ids, vectors, exact_max: int = index_kinds.EXACT_MAX) -> VectorIndex:
        """An index holding `vectors` under `ids`: exact up to `exact_max` vectors, IVF past that."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError(f"expected vectors of shape (n, dim), got {vectors.shape}")
        index = cls.new(model, vectors.shape[1], exact_max=exact_max)
        index._rebuild(_as_ids(ids), vectors, index_kinds.wanted_kind(len(vectors), index_kinds.EXACT, exact_max))
        return index

    @property
    def kind(self) -> str:
        """"exact" or "ivf"."""
        return index_kinds.kind_of(self._index)

    @property
    def index_type(self) -> str:
        """The FAISS layout, as recorded in the manifest (e.g. "IDMap2,FlatIP", "IVF1264,Flat")."""
        return index_kinds.describe(self._index)[0]

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def ids(self) -> np.ndarray:
        """The ids held, as int64: in insertion order for an exact index, list by list for an IVF one."""
        return index_kinds.ids_of(self._index)

    def add(self, ids, vectors) -> None:
        """Add `vectors` (n × dim) under `ids`; an id already present or repeated raises `ValueError`."""
        ids = _as_ids(ids)
        vectors = self._as_vectors(vectors)
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        if len(ids) == 0:
            return
        if len(np.unique(ids)) != len(ids):
            raise ValueError("ids to add contain duplicates")
        present = ids[np.isin(ids, self.ids())]
        if len(present):
            raise ValueError(f"{len(present)} ids are already in the index, e.g. {int(present[0])}")
        self._index.add_with_ids(vectors, ids)

    def _rebuild(self, ids: np.ndarray, vectors: np.ndarray, kind: str) -> None:
        if kind == index_kinds.IVF:
            self._index = index_kinds.new_ivf(ids, vectors)
        else:
            self._index = index_kinds.new_exact(self.dim)
            if len(ids):
                self._index.add_with_ids(vectors, ids)

    def remove(self, ids) -> int:
        """Remove the given ids (absent ones are ignored); return how many were removed."""
        ids = _as_ids(ids)
        if len(ids) == 0:
            return 0
        return int(self._index.remove_ids(ids))

    def search(self, queries, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The `k` best (scores, ids) per query row, best first, as two (n_queries × k') arrays.

        k' is `k` clamped to the index size, so an exact index never pads with -1; columns in which every
        row is padding (possible with approximate indexes) are dropped.
        """
        queries = self._as_vectors(queries)
        k = min(int(k), len(self))
        if k <= 0 or len(queries) == 0:
            empty = (len(queries), 0)
            return np.empty(empty, dtype=np.float32), np.empty(empty, dtype=np.int64)
        if len(queries) <= SINGLE_THREAD_MAX_QUERIES:
            with _one_faiss_thread():
                scores, ids = self._index.search(queries, k)
        else:
            scores, ids = self._index.search(queries, k)
        keep = (ids != -1).any(axis=0)
        return scores[:, keep], ids[:, keep]

    def sync(
        self,
        target_ids,
        vectors_for_missing: Callable[[np.ndarray], np.ndarray],
        changed_ids=None,
    ) -> SyncReport:
        """Make the index hold exactly `target_ids`: drop stale ids, add missing ones, re-add `changed_ids`.

        `vectors_for_missing(ids)` is called once with every id that needs a vector (missing or changed)
        and must return their vectors in that order. It is called before the index is touched, so a
        failure there leaves the index as it was. When the new count calls for the other kind of index
        (or an IVF index has outgrown its lists), the index is rebuilt from the vectors it holds.
        """
        target = np.unique(_as_ids(target_ids))
        current = self.ids()
        stale = np.setdiff1d(current, target, assume_unique=True)
        missing = np.setdiff1d(target, current, assume_unique=True)
        changed = np.array([], dtype=np.int64)
        if changed_ids is not None:
            changed = np.intersect1d(np.unique(_as_ids(changed_ids)), np.intersect1d(target, current))
        needed = np.concatenate([missing, changed])
        vectors = self._as_vectors(vectors_for_missing(needed)) if len(needed) else None
        if vectors is not None and len(vectors) != len(needed):
            raise ValueError(f"vectors_for_missing returned {len(vectors)} vectors for {len(needed)} ids")
        self.remove(np.concatenate([stale, changed]))
        if vectors is not None:
            self.add(needed, vectors)
        kind = index_kinds.wanted_kind(len(self), self.kind, self.exact_max)
        rebuilt_as = None
        if kind != self.kind or index_kinds.needs_retraining(self._index, len(self)):
            self._rebuild(*index_kinds.contents(self._index), kind)
            rebuilt_as = self.index_type
        return SyncReport(added=len(missing), removed=len(stale), updated=len(changed), rebuilt_as=rebuilt_as)

    def save(self, directory: Path | str) -> Manifest:
        """Write the index to `directory` atomically: a killed save leaves the old index or the new one."""
        directory = Path(directory)
        recover(directory)
        if directory.exists() and any(directory.iterdir()) and not (directory / MANIFEST_NAME).exists():
            raise IndexCorrupt(f"{directory} exists and is not a plenty index; refusing to replace it")
        remove_abandoned_staging(directory)
        staging = new_staging_dir(directory)
        try:
            ids = self.ids()
            faiss.write_index(self._index, str(staging / INDEX_FILE))
            np.save(staging / IDS_FILE, ids)
            for name in (INDEX_FILE, IDS_FILE):
                fsync_file(staging / name)
            index_type, params = index_kinds.describe(self._index)
            manifest = Manifest(model=self.model, dim=self.dim, count=len(ids), index_type=index_type, params=params)
            (staging / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
            fsync_file(staging / MANIFEST_NAME)
            swap_in(staging, directory)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self.built_at = manifest.built_at
        return manifest

    @classmethod
    def load(
        cls, directory: Path | str, expected_model: str | None, exact_max: int = index_kinds.EXACT_MAX
    ) -> VectorIndex:
        """Load an index directory, refusing one built with a model other than `expected_model`.

        `expected_model=None` skips the model check (for inspection only). A load that overlaps a save
        can see the old directory vanish half-read; it is retried once, when the new one is in place.
        """
        directory = Path(directory)
        try:
            return cls._load_once(readable_dir(directory), directory, expected_model, exact_max)
        except (IndexCorrupt, IndexMissing):
            if not directory.is_dir():
                raise
            return cls._load_once(readable_dir(directory), directory, expected_model, exact_max)

    @classmethod
    def _load_once(cls, source: Path, directory: Path, expected_model: str | None, exact_max: int) -> VectorIndex:
        if not source.is_dir() or not any(source.iterdir()):
            raise IndexMissing(f"no index at {directory}; run `plenty index rebuild` (or `plenty nightly`)")
        if not (source / MANIFEST_NAME).is_file():
            raise IndexCorrupt(f"{directory} has no {MANIFEST_NAME}; run `plenty index rebuild`")
        manifest = read_manifest(source)
        if expected_model is not None and manifest.model != expected_model:
            if bare_model(manifest.model)[0] == bare_model(expected_model)[0]:
                raise IndexModelMismatch(
                    f"the index at {directory} was built from an older version of the embedded text "
                    f"('{manifest.model}', now '{expected_model}'); run `plenty index rebuild`, or let the next "
                    "`plenty nightly` re-embed the postings and rebuild it"
                )
            raise IndexModelMismatch(
                f"the index at {directory} was built with model '{manifest.model}' but the configured model is "
                f"'{expected_model}'; run `plenty index rebuild` or set the model back to '{manifest.model}'"
            )
        faiss_index = _read_faiss(source / INDEX_FILE)
        ids = _read_ids(source / IDS_FILE)
        index = cls(faiss_index, manifest.model, manifest.built_at, exact_max=exact_max)
        if index.kind == index_kinds.IVF and "nprobe" in manifest.params:
            faiss_index.nprobe = int(manifest.params["nprobe"])
        problems = []
        if index.dim != manifest.dim:
            problems.append(f"index dim {index.dim} != manifest dim {manifest.dim}")
        if len(index) != manifest.count or len(ids) != manifest.count:
            problems.append(f"index holds {len(index)}, ids.npy {len(ids)}, manifest says {manifest.count}")
        elif not np.array_equal(index.ids(), ids):
            problems.append("ids.npy disagrees with the ids inside index.faiss")
        if problems:
            raise IndexCorrupt(
                f"index at {directory} is inconsistent ({'; '.join(problems)}); run `plenty index rebuild`"
            )
        return index

    def _as_vectors(self, vectors) -> np.ndarray:
        array = np.ascontiguousarray(vectors, dtype=np.float32)
        if array.ndim == 1:
            array = array.reshape(1, -1)
        if array.ndim != 2 or (array.shape[0] and array.shape[1] != self.dim):
            raise ValueError(f"expected vectors of shape (n, {self.dim}), got {array.shape}")
        return array


def index_stamp(directory: Path | str) -> tuple | None:
    """What changes whenever an index is saved into `directory` (its manifest is replaced with the rest): the
    manifest's inode, size and modification time; None when there is no index there."""
    try:
        info = os.stat(readable_dir(Path(directory)) / MANIFEST_NAME)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


@contextmanager
def _one_faiss_thread():
    # OpenMP's thread count is per calling thread, so this does not affect searches in other threads.
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(threads)


def _as_ids(ids) -> np.ndarray:
    return np.ascontiguousarray(ids, dtype=np.int64).reshape(-1)


def _read_faiss(path: Path) -> faiss.Index:
    try:
        faiss_index = faiss.read_index(str(path))
    except RuntimeError as exc:
        raise IndexCorrupt(f"cannot read {path} ({exc}); run `plenty index rebuild`") from exc
    if not isinstance(faiss_index, (faiss.IndexIDMap2, faiss.IndexIVFFlat)):
        kind = type(faiss_index).__name__
        raise IndexCorrupt(f"{path} is a {kind}, not an id-mapped or IVF index; run `plenty index rebuild`")
    return faiss_index


def _read_ids(path: Path) -> np.ndarray:
    try:
        ids = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"cannot read {path} ({exc}); run `plenty index rebuild`") from exc
    if ids.dtype != np.int64 or ids.ndim != 1:
        raise IndexCorrupt(
            f"{path} holds {ids.dtype} of shape {ids.shape}, expected 1-D int64; run `plenty index rebuild`"
        )
    return ids

