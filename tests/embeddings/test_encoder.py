"""Encoders without torch: the hashing fake, model resolution and identities, load errors."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from embeddings.encoder import DEFAULT_MODEL, HashingEncoder, load_encoder, model_identity, resolve_model
from embeddings.errors import ModelLoadError

REPO = Path(__file__).resolve().parents[2]


def test_hashing_encoder_rows_are_normalised_float32():
    encoder = HashingEncoder(dim=32)
    vectors = encoder.encode(["Senior data engineer", "", "nurse nurse nurse"])
    assert vectors.shape == (3, 32) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-6)
    assert encoder.dim == 32 and encoder.model_name == "hashing-32"


def test_hashing_encoder_is_deterministic_across_processes():
    here = HashingEncoder().encode(["Backend engineer, Python"])
    code = (
        f"import sys; sys.path.insert(0, {str(REPO)!r}); from embeddings.encoder import HashingEncoder; "
        "print(HashingEncoder().encode(['Backend engineer, Python']).tobytes().hex())"
    )
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert there.stdout.strip() == here.tobytes().hex()


def test_hashing_encoder_puts_shared_words_nearer():
    query, similar, unrelated = HashingEncoder(dim=256).encode(
        ["senior python backend engineer", "python backend engineer", "pastry chef bakery mornings"]
    )
    assert query @ similar > query @ unrelated


def test_hashing_encoder_of_nothing_is_empty():
    assert HashingEncoder(dim=8).encode([]).shape == (0, 8)


def test_default_model_resolves_to_the_packaged_directory():
    path = Path(resolve_model(None))
    assert path == Path(resolve_model(DEFAULT_MODEL)) == Path(resolve_model("sentence-transformers/all-MiniLM-L6-v2"))
    assert (path / "modules.json").is_file()


def test_other_names_and_paths_pass_through():
    assert resolve_model("BAAI/bge-small-en-v1.5") == "BAAI/bge-small-en-v1.5"
    assert resolve_model("/opt/models/mine") == "/opt/models/mine"


def test_identity_names_the_default_and_marks_a_token_limit(tmp_path):
    assert model_identity(None, backend="torch") == DEFAULT_MODEL
    assert model_identity("sentence-transformers/all-MiniLM-L6-v2", 128, "torch") == f"{DEFAULT_MODEL}@128"
    assert model_identity("BAAI/bge-small-en-v1.5") == "BAAI/bge-small-en-v1.5"
    assert model_identity(str(tmp_path)) == str(tmp_path.resolve())


def test_missing_local_model_directory_raises_model_load_error(tmp_path):
    with pytest.raises(ModelLoadError) as raised:
        load_encoder(str(tmp_path / "no-such-model"))
    assert "no-such-model" in str(raised.value) and "model" in str(raised.value)


@pytest.mark.model
def test_incomplete_local_model_directory_raises_model_load_error(tmp_path):
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "config.json").write_text("{}")
    with pytest.raises(ModelLoadError) as raised:
        load_encoder(str(broken))
    message = str(raised.value)
    assert "broken-model" in message and DEFAULT_MODEL in message
