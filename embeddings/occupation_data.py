"""Build the occupation vectors shipped for the default model: `python -m embeddings.occupation_data`.

Embedding the 3,039 ESCO occupation texts with the real model takes minutes on a 2-core machine, too slow for
every fresh data home (the demo starts on one), so the default model's vectors ship as package data:
`embeddings/data/occupations-<model>.npz` with `vectors` (float16, one row per occupation, in the order of
`load_occupations()`) and `texts_key` (hash of the embedded texts; the vectors are ignored when the occupation
list changes). Deterministic: the same occupation list and model give the same file. The reference torch
backend of the model is used; other backends of the same model read the same vectors.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import numpy as np

from embeddings.occupations import SHIPPED_DIR, load_occupations, occupation_texts, texts_key


def build(model: str | None = None, out_dir: Path = SHIPPED_DIR) -> Path:
    """Embed every packaged occupation with `model` (default: the packaged model, torch backend) and write
    the shipped file; returns its path."""
    from embeddings.encoder import load_encoder

    encoder = load_encoder(model, backend="torch")
    texts = occupation_texts(load_occupations())
    vectors = encoder.encode(texts).astype(np.float16)
    path = Path(out_dir) / f"occupations-{encoder.model_name}.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez(buffer, vectors=vectors, texts_key=np.array(texts_key(texts)))
    path.write_bytes(buffer.getvalue())
    return path


def main() -> None:
    """Command line: build the file for the default model (or --model NAME)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="sentence-transformers model (default: the packaged one)")
    parser.add_argument("--out", type=Path, default=SHIPPED_DIR)
    args = parser.parse_args()
    print(build(args.model, args.out))


if __name__ == "__main__":
    main()
