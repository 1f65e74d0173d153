"""The configured sentence encoder, loaded once per process and model, and the name its vectors are kept under."""

from __future__ import annotations

import functools

from datahome.settings import Settings


def load_encoder_for(settings: Settings):
    """The configured sentence encoder (imports torch: only called where a model is used)."""
    return cached_encoder(settings.model, settings.backend)


def model_identity(settings: Settings) -> str:
    """The configured model and backend, as the encoder names itself (`encoder.model_name`)."""
    from embeddings.encoder import model_identity as identity

    return identity(settings.model, backend=settings.backend)


def stored_name(settings: Settings, encoder=None) -> str:
    """The name the postings' vectors, occupation tags and the index are kept under: the model (`encoder`'s, else
    the configured one) and the version of the embedded text (`embeddings.text.TEXT_VERSION`), so a new text
    re-embeds every posting once instead of mixing vectors of two texts."""
    from embeddings.text import text_versioned

    return text_versioned(encoder.model_name if encoder is not None else model_identity(settings))


def stale_stored_names(stored: str) -> list[str]:
    """The names the same model's older embedded texts were kept under, given a `stored_name`: the bare model
    (text 1) and each older text version; what is stored under them is never read again."""
    from embeddings.text import bare_model, text_versioned

    model, version = bare_model(stored)
    return [text_versioned(model, older) for older in range(1, version)]


@functools.lru_cache(maxsize=2)
def cached_encoder(model: str, backend: str | None = None):
    """One encoder per model and process: Dask workers and the CLI load the model once and reuse it."""
    from embeddings.encoder import load_encoder

    return load_encoder(model, backend=backend)


def encode_batch(model: str, backend: str | None, texts: list[str]):
    """Vectors of ``texts`` from the configured model (runs wherever the task runs, e.g. a Dask worker)."""
    return cached_encoder(model, backend).encode(list(texts))
