"""ONNX backends: agreement with torch, export caching, identities that keep backends apart."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from embeddings.encoder import BACKENDS, DEFAULT_BACKEND, DEFAULT_MODEL, load_encoder, model_identity, resolve_model
from embeddings.errors import IndexModelMismatch, ModelLoadError
from embeddings.index import VectorIndex
from embeddings.onnx_export import EXPORT_META, cache_dir_for, default_cache_dir, export_dir

REPO = Path(__file__).resolve().parents[2]
SENTENCES = [
    "We are hiring a senior backend engineer to build Python APIs.",
    "  Staff Nurse, Band 5 — acute medical unit, nights and weekends.  ",
    "Pastry chef for early morning shifts in our bakery.",
    "Account Executive, North America SMB " * 40,  # past the 256-token limit: truncated like torch does
]


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory):
    """One ONNX export cache for the session (same path in every test file: the export runs once)."""
    return tmp_path_factory.getbasetemp() / "onnx-cache"


@pytest.fixture(scope="session")
def torch_vectors():
    return load_encoder(backend="torch").encode(SENTENCES)


@pytest.mark.model
@pytest.mark.parametrize("backend, floor", [("onnx", 0.9999), ("onnx-int8-block", 0.995), ("onnx-int8-smooth", 0.995),
                                            ("onnx-int8", 0.98)])
def test_onnx_vectors_agree_with_torch(backend, floor, onnx_cache, torch_vectors):
    encoder = load_encoder(backend=backend, cache_dir=onnx_cache)
    vectors = encoder.encode(SENTENCES)
    assert vectors.shape == torch_vectors.shape and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    cosines = np.sum(vectors * torch_vectors, axis=1)
    assert cosines.min() >= floor, cosines
    # One text alone and inside a batch of longer ones get the same vector: padding does not leak in.
    # Not so for onnx-int8: `quantize_dynamic` scales activations per batch tensor, so a vector shifts
    # (up to ~0.02 per component) with its batch-mates; one reason it is not the default.
    if backend != "onnx-int8":
        np.testing.assert_allclose(encoder.encode(SENTENCES[2:3])[0], vectors[2], atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(encoder.encode([""]), axis=1), 1.0, rtol=1e-5)


@pytest.mark.model
def test_second_load_reuses_the_export_without_torch(onnx_cache):
    load_encoder(cache_dir=onnx_cache)
    folder = export_dir(onnx_cache, DEFAULT_MODEL, resolve_model(None))
    meta = json.loads((folder / EXPORT_META).read_text())
    assert meta["dim"] == 384 and meta["max_seq_length"] == 256 and meta["pooling"] == "mean"
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    code = (
        f"import sys; sys.path.insert(0, {str(REPO)!r}); from embeddings.encoder import load_encoder; "
        f"e = load_encoder(cache_dir={str(onnx_cache)!r}); e.encode(['nurse']); "
        "print(e.model_name, 'torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [f"{DEFAULT_MODEL}+{DEFAULT_BACKEND}", "False", "False"]
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no second export beside it


@pytest.mark.model
def test_a_token_limit_is_applied_and_named(onnx_cache):
    short = load_encoder(max_seq_length=16, cache_dir=onnx_cache)
    full = load_encoder(cache_dir=onnx_cache)
    assert short.model_name == f"{DEFAULT_MODEL}@16+{DEFAULT_BACKEND}"
    long_text = SENTENCES[0] + " We also value Kubernetes, observability and on-call experience."
    assert short.encode([long_text])[0] @ full.encode([long_text])[0] < 0.99
    assert load_encoder(max_seq_length=256, cache_dir=onnx_cache).model_name == f"{DEFAULT_MODEL}+{DEFAULT_BACKEND}"


def test_each_backend_has_its_own_identity():
    names = {backend: model_identity(None, backend=backend) for backend in BACKENDS}
    assert names == {"torch": DEFAULT_MODEL, "onnx": f"{DEFAULT_MODEL}+onnx", "onnx-int8": f"{DEFAULT_MODEL}+onnx-int8",
                     "onnx-int8-block": f"{DEFAULT_MODEL}+onnx-int8-block",
                     "onnx-int8-smooth": f"{DEFAULT_MODEL}+onnx-int8-smooth"}
    assert model_identity(None) == names[DEFAULT_BACKEND] != DEFAULT_MODEL  # the packaged model's default
    assert model_identity("BAAI/bge-small-en-v1.5") == "BAAI/bge-small-en-v1.5"  # others default to torch
    assert model_identity(None, 128, "onnx") == f"{DEFAULT_MODEL}@128+onnx"


def test_an_index_built_with_one_backend_is_refused_by_another(tmp_path):
    index = VectorIndex.new(model_identity(None, backend="torch"), 4)
    index.add([1], np.array([[1.0, 0.0, 0.0, 0.0]], dtype=np.float32))
    index.save(tmp_path / "index")
    with pytest.raises(IndexModelMismatch, match=rf"\+{DEFAULT_BACKEND}"):
        VectorIndex.load(tmp_path / "index", expected_model=model_identity(None))


def test_unknown_backend_is_a_model_load_error():
    with pytest.raises(ModelLoadError, match="backend"):
        load_encoder(backend="tensorrt")
    with pytest.raises(ModelLoadError, match="backend"):
        model_identity(None, backend="gpu")


def test_export_folder_changes_with_the_model_files(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"weights")
    first = export_dir(tmp_path / "cache", "my-model", str(model))
    assert export_dir(tmp_path / "cache", "my-model", str(model)) == first
    assert export_dir(tmp_path / "cache", "other-model", str(model)) != first
    (model / "model.safetensors").write_bytes(b"new weights")
    assert export_dir(tmp_path / "cache", "my-model", str(model)) != first
    assert first.parent == tmp_path / "cache" / "onnx"


def test_default_cache_is_the_users_cache_directory_unless_overridden(tmp_path, monkeypatch):
    monkeypatch.delenv("PLENTY_MODEL_CACHE", raising=False)
    monkeypatch.setenv("PLENTY_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "plenty" / "models"  # one per user and machine
    assert cache_dir_for("my-model", str(tmp_path)) == default_cache_dir()
    monkeypatch.setenv("PLENTY_MODEL_CACHE", str(tmp_path / "cache"))
    assert default_cache_dir() == tmp_path / "cache" == cache_dir_for("my-model", str(tmp_path))


def test_an_export_an_older_plenty_made_in_the_data_home_is_reused(tmp_path, monkeypatch):
    monkeypatch.delenv("PLENTY_MODEL_CACHE", raising=False)
    monkeypatch.setenv("PLENTY_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    old = export_dir(tmp_path / "home" / "models", "my-model", str(tmp_path / "nowhere"))
    old.mkdir(parents=True)
    (old / EXPORT_META).write_text("{}", encoding="utf-8")
    assert cache_dir_for("my-model", str(tmp_path / "nowhere")) == tmp_path / "home" / "models"
    assert cache_dir_for("other-model", str(tmp_path / "nowhere")) == tmp_path / "xdg" / "plenty" / "models"


def test_an_unexportable_model_directory_is_a_model_load_error(tmp_path):
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "config.json").write_text("{}")
    with pytest.raises(ModelLoadError, match="broken-model"):
        load_encoder(str(broken), backend="onnx", cache_dir=tmp_path / "cache")
    assert not list((tmp_path / "cache" / "onnx").iterdir())  # no half-written export left behind


@pytest.mark.model
@pytest.mark.parametrize("backend", ["torch", DEFAULT_BACKEND])
def test_a_lone_surrogate_is_embedded_like_its_replacement_character(backend, onnx_cache):
    # JSON can carry "\ud800"; the real tokenizers refuse such a str with a TypeError (found on a clean clone).
    encoder = load_encoder(backend=backend, cache_dir=onnx_cache)
    vectors = encoder.encode(["nurse \ud800 night shift", "nurse \ufffd night shift"])
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-6)
