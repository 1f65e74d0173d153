"""A sentence encoder running an exported ONNX model with onnxruntime: no torch at load or encode time."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from embeddings.errors import ModelLoadError
from embeddings.text import tokenizable
from embeddings.onnx_export import BLOCK8_FILE, FP32_FILE, INT8_FILE, SMOOTH8_FILE, TOKENIZER_FILE, read_export_meta

ONNX_FILES = {"onnx": FP32_FILE, "onnx-int8": INT8_FILE, "onnx-int8-block": BLOCK8_FILE,
              "onnx-int8-smooth": SMOOTH8_FILE}
# Backends whose texts run one at a time: dynamic int8 scales activations per batch tensor, so in a batch a
# vector would depend on its batch-mates, and vectors are cached by text. Alone, no padding is computed.
_ONE_TEXT_PER_RUN = {"onnx-int8-smooth"}


class OnnxEncoder:
    """An exported model behind the `Encoder` interface: tokenise, sort by length, run in batches, unsort.

    The backends in `_ONE_TEXT_PER_RUN` ignore `batch_size` (1) and run `threads` texts at once (default:
    one per core), each on one thread: one-text runs are too small to split across threads efficiently.
    """

    def __init__(
        self,
        export: Path,
        model_name: str,
        precision: str = "onnx-int8",
        *,
        max_seq_length: int | None = None,
        batch_size: int = 32,
        threads: int | None = None,
    ):
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelLoadError(f"cannot run '{model_name}' with onnxruntime ({exc}); reinstall plenty "
                                 "(`make demo`) or set the torch backend") from exc
        if precision not in ONNX_FILES:
            raise ModelLoadError(f"unknown ONNX backend {precision!r}; use one of {', '.join(ONNX_FILES)}")
        meta = read_export_meta(export)
        self.model_name = model_name
        self.dim = int(meta["dim"])
        self.max_seq_length = int(max_seq_length or meta["max_seq_length"])
        one_text = precision in _ONE_TEXT_PER_RUN
        self.batch_size = 1 if one_text else batch_size
        self._workers = max(1, int(threads or os.cpu_count() or 1)) if one_text else 1
        self._input_names = list(meta["input_names"])
        self._pad_id = int(meta.get("pad_id", 0))
        self._tokenizer = Tokenizer.from_file(str(export / TOKENIZER_FILE))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.max_seq_length)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads or one_text:
            options.intra_op_num_threads = 1 if one_text else int(threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(str(export / ONNX_FILES[precision]), options,
                                                 providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph types for a broken file
            raise ModelLoadError(f"cannot open the ONNX export of '{model_name}' in {export} ({exc}); "
                                 "delete that folder to export again") from exc

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed `texts` as an (n × dim) float32 array of L2-normalised rows."""
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return vectors
        # sentence-transformers strips each text before tokenising; do the same so vectors agree.
        encodings = self._tokenizer.encode_batch([tokenizable(text).strip() for text in texts])
        lengths = np.array([len(e.ids) for e in encodings])
        # Longest first, so each batch pads to a length close to all its members and memory peaks early.
        order = np.argsort(-lengths, kind="stable")
        batches = [order[start:start + self.batch_size] for start in range(0, len(order), self.batch_size)]
        if self._workers > 1 and len(batches) > 1:
            # onnxruntime releases the GIL while it runs, so the runs overlap on the cores.
            with ThreadPoolExecutor(self._workers) as pool:
                results = pool.map(lambda rows: self._run([encodings[i] for i in rows], int(lengths[rows].max())),
                                   batches)
                for rows, result in zip(batches, results):
                    vectors[rows] = result
            return vectors
        for rows in batches:
            vectors[rows] = self._run([encodings[i] for i in rows], int(lengths[rows].max()))
        return vectors

    def _run(self, encodings: list, width: int) -> np.ndarray:
        shape = (len(encodings), width)
        arrays = {name: np.zeros(shape, dtype=np.int64) for name in self._input_names}
        arrays["input_ids"].fill(self._pad_id)
        for row, encoding in enumerate(encodings):
            n = len(encoding.ids)
            arrays["input_ids"][row, :n] = encoding.ids
            arrays["attention_mask"][row, :n] = 1
            if "token_type_ids" in arrays:
                arrays["token_type_ids"][row, :n] = encoding.type_ids
        return self._session.run(None, arrays)[0]
