"""The configured model replaced by the hashing encoder, for CLI tests that embed many small data homes quickly.

The real commands run unchanged: only the loader of the model is swapped (``embeddings.encoder.load_encoder``,
which every command reaches through ``corpus.encoders.cached_encoder``), and the fake is named as the configured
model would be, so indexes, vector caches and manifests agree exactly as they do with the real model.
"""

from __future__ import annotations

import pytest

from embeddings import encoder as encoder_module
from embeddings.encoder import HashingEncoder

FAKE_DIM = 384  # the packaged model's: its shipped occupation vectors are read under its name


def use_fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every model load in this test return a `HashingEncoder` under the configured model's identity."""
    from corpus import encoders

    def load_fake(model=None, *, max_seq_length=None, backend=None, **_ignored):
        fake = HashingEncoder(dim=FAKE_DIM)
        fake.model_name = encoder_module.model_identity(model, max_seq_length, backend)
        return fake

    monkeypatch.setattr(encoder_module, "load_encoder", load_fake)
    encoders.cached_encoder.cache_clear()  # an encoder loaded before the swap must not be reused


@pytest.fixture
def fake_model(monkeypatch):
    """Every command in this test embeds with the hashing encoder (see `use_fake_model`)."""
    from corpus import encoders

    use_fake_model(monkeypatch)
    yield
    encoders.cached_encoder.cache_clear()
