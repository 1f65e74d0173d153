"""The real packaged all-MiniLM-L6-v2, loaded offline, on every backend."""

import numpy as np
import pytest

from embeddings.encoder import BACKENDS, DEFAULT_MODEL, load_encoder, model_identity


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory):
    """One ONNX export cache for the session (same path in every test file: the export runs once)."""
    return tmp_path_factory.getbasetemp() / "onnx-cache"


@pytest.mark.model
@pytest.mark.parametrize("backend", BACKENDS)
def test_packaged_model_puts_a_paraphrase_nearer_than_an_unrelated_sentence(backend, onnx_cache):
    encoder = load_encoder(backend=backend, cache_dir=onnx_cache)
    assert encoder.model_name == model_identity(DEFAULT_MODEL, backend=backend) and encoder.dim == 384
    vectors = encoder.encode([
        "We are hiring a senior backend engineer to build Python APIs.",
        "Looking for an experienced server-side developer writing web services in Python.",
        "Our bakery needs a pastry chef for early morning shifts.",
    ])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    query, paraphrase, unrelated = vectors
    assert query @ paraphrase > query @ unrelated + 0.2
    assert encoder.encode([]).shape == (0, 384)
