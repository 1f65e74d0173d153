"""The configured sentence encoder, loaded once per process and model, and the name its vectors are kept under."""

from __future__ import annotations

import functools

from datahome.settings import Settings


def load_encoder_for(settings: Settings):
    """The configured sentence encoder (imports torch: only called where a model is used)."""
    return cached_encoder(settings.model, settings.backend)


def model_identity(settings: Settings) -> str:
    """The name under which vectors and indexes of the configured model and backend are stored."""
    from embeddings.encoder import model_identity as identity

    return identity(settings.model, backend=settings.backend)


@functools.lru_cache(maxsize=2)
def cached_encoder(model: str, backend: str | None = None):
    """One encoder per model and process: Dask workers and the CLI load the model once and reuse it."""
    from embeddings.encoder import load_encoder

    return load_encoder(model, backend=backend)


def encode_batch(model: str, backend: str | None, texts: list[str]):
    """Vectors of ``texts`` from the configured model (runs wherever the task runs, e.g. a Dask worker)."""
    return cached_encoder(model, backend).encode(list(texts))
