"""The real packaged all-MiniLM-L6-v2, loaded offline."""

import numpy as np
import pytest

from embeddings.encoder import DEFAULT_MODEL, load_encoder


@pytest.mark.model
def test_packaged_model_puts_a_paraphrase_nearer_than_an_unrelated_sentence():
    encoder = load_encoder()
    assert encoder.model_name == DEFAULT_MODEL and encoder.dim == 384
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
