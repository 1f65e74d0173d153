"""Export a local sentence-transformers model to ONNX (fp32 and int8) once, into a cache keyed by its identity.

Only the export needs torch, transformers and sentence-transformers; running the exported model needs
onnxruntime, tokenizers and numpy. The exported graph contains pooling and L2 normalisation, and is fused
by onnxruntime's transformer optimiser (attention, layer norms, GELU) before int8 quantisation: plain
dynamic int8 (`INT8_FILE`), blockwise int8 weights (`BLOCK8_FILE`), and dynamic int8 after SmoothQuant-style
smoothing calibrated on ESCO skill descriptions (`SMOOTH8_FILE`, see `smooth`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import sys
import time
import uuid
import warnings
from pathlib import Path
from typing import Callable

from embeddings.errors import ModelLoadError

# Bump when the export recipe changes: every cached export is then made again.
EXPORT_VERSION = 4
EXPORT_META = "export.json"
FP32_FILE = "model-fp32.onnx"
INT8_FILE = "model-int8.onnx"
BLOCK8_FILE = "model-int8-block.onnx"
SMOOTH8_FILE = "model-int8-smooth.onnx"
BLOCK_SIZE = 32
TOKENIZER_FILE = "tokenizer.json"
EXPORT_STEPS = 5  # the steps `_export` reports
_POOLINGS = ("mean", "cls")
# Architectures whose graphs onnxruntime's "bert" optimiser knows how to fuse.
_FUSABLE = {"bert", "roberta", "xlm-roberta", "camembert"}


def default_cache_dir() -> Path:
    """Where exports live unless a cache dir is passed: `$PLENTY_MODEL_CACHE`, else plenty's folder in the user's
    cache directory (``~/.cache/plenty/models`` on Linux, honouring ``XDG_CACHE_HOME``), shared by every data
    home of the user, so a model is exported once per machine and not once per data home."""
    explicit = os.environ.get("PLENTY_MODEL_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("plenty", appauthor=False)) / "models"


def cache_dir_for(identity: str, location: str) -> Path:
    """The cache to use for one model: `default_cache_dir()`, unless ``PLENTY_MODEL_CACHE`` is unset and the data
    home already holds this model's export where plenty 0.1 made it (``<data home>/models``), which is reused."""
    if not os.environ.get("PLENTY_MODEL_CACHE"):
        home = os.environ.get("PLENTY_HOME") or Path.home() / ".plenty"
        legacy = Path(home).expanduser() / "models"
        if (export_dir(legacy, identity, location) / EXPORT_META).is_file():
            return legacy
    return default_cache_dir()


def export_dir(cache_dir: Path, identity: str, location: str) -> Path:
    """The cache folder for one model: readable name plus a fingerprint of the identity and the model files.

    A local model's file sizes and modification times are part of the fingerprint, so replacing the
    weights (or reinstalling the package) makes a fresh export instead of reusing a stale one.
    """
    digest = hashlib.sha256(f"{EXPORT_VERSION}\n{identity}\n".encode())
    root = Path(location).expanduser()
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", identity.rsplit("/", 1)[-1])[:60]
    return Path(cache_dir) / "onnx" / f"{slug}-{digest.hexdigest()[:16]}"


def ensure_export(cache_dir: Path, identity: str, location: str, local: bool,
                  report: Callable[[str], None] | None = None) -> Path:
    """The export folder for a model, exporting it first when it is not cached; returns the folder.

    An export takes about 20 s, so it says what it does: `report` (default: a ``plenty: ...`` line on stderr)
    gets one line as it starts, one per step and one when it is done. Written into a staging folder renamed into
    place whole, so a killed or concurrent export never leaves a half-written folder that a later load would trust.
    """
    target = export_dir(cache_dir, identity, location)
    if (target / EXPORT_META).is_file():
        return target
    say = report or _to_stderr
    started = time.monotonic()
    say(f"preparing the model {identity} for this machine (once, about 20 s; kept in {target.parent})")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    root_logger = logging.getLogger()
    level = root_logger.level
    try:
        # The exporter and quantiser warn about tracing details and pre-processing that do not apply here.
        root_logger.setLevel(logging.ERROR)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                meta = _export(identity, location, local, staging, _StepReport(say, started))
            except (ModelLoadError, KeyboardInterrupt):
                raise
            except Exception as exc:  # torch.onnx and the optimiser raise many types: all mean "cannot export"
                raise ModelLoadError(f"cannot export '{identity}' to ONNX ({type(exc).__name__}: {exc}); "
                                     "set the torch backend") from exc
        (staging / EXPORT_META).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        try:
            os.rename(staging, target)
        except OSError:
            if not (target / EXPORT_META).is_file():
                raise
            shutil.rmtree(staging, ignore_errors=True)  # another process finished the same export first
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        root_logger.setLevel(level)
    say(f"model {identity} ready in {time.monotonic() - started:.0f} s")
    return target


def _to_stderr(line: str) -> None:
    print(f"plenty: {line}", file=sys.stderr, flush=True)


class _StepReport:
    """Reports each step of an export as it starts, with the seconds spent so far."""

    def __init__(self, say: Callable[[str], None], started: float) -> None:
        self._say = say
        self._started = started
        self.count = 0

    def __call__(self, step: str) -> None:
        self.count += 1
        self._say(f"  {self.count}/{EXPORT_STEPS} {step}… ({time.monotonic() - self._started:.0f} s)")


def read_export_meta(folder: Path) -> dict:
    """The metadata written beside an export (dim, token limit, pooling, input names)."""
    return json.loads((folder / EXPORT_META).read_text(encoding="utf-8"))


def _export(identity: str, location: str, local: bool, out: Path, step: Callable[[str], None]) -> dict:
    try:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging
    except ImportError as exc:
        raise ModelLoadError(f"cannot export '{identity}' to ONNX: {exc}; reinstall plenty (`make demo`)") from exc
    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    step("loading the weights")
    try:
        # Eager attention exports as plain MatMul/Softmax, which the optimiser fuses into one Attention op.
        st_model = SentenceTransformer(location, device="cpu", local_files_only=local,
                                       model_kwargs={"attn_implementation": "eager"})
    except Exception as exc:  # OSError, ValueError, HTTP errors... all mean "not loadable"
        raise ModelLoadError(f"cannot load model '{identity}' to export it to ONNX ({type(exc).__name__}: {exc}); "
                             "set the torch backend or another model") from exc
    modules = list(st_model)
    pooling = _pooling_mode(identity, modules)
    bert = modules[0].auto_model.eval()
    input_names = [n for n in ("input_ids", "attention_mask", "token_type_ids")
                   if n in st_model.tokenizer.model_input_names]
    if input_names[:2] != ["input_ids", "attention_mask"]:
        raise ModelLoadError(f"cannot export '{identity}' to ONNX: its tokenizer gives {input_names}; "
                             "set the torch backend")
    wrapper = _pooled_module(bert, pooling, input_names, torch)
    sample = torch.ones((2, 8), dtype=torch.long)
    dynamic = {name: {0: "batch", 1: "tokens"} for name in input_names} | {"sentence_embedding": {0: "batch"}}
    fp32 = out / FP32_FILE
    raw = out / "raw.onnx"
    step("exporting to ONNX")
    with torch.no_grad():
        torch.onnx.export(wrapper, tuple(sample for _ in input_names), str(raw), input_names=input_names,
                          output_names=["sentence_embedding"], dynamic_axes=dynamic, opset_version=17,
                          dynamo=False)
    config = bert.config
    step("optimising the graph")
    if getattr(config, "model_type", "") in _FUSABLE:
        from onnxruntime.transformers.optimizer import optimize_model

        optimized = optimize_model(str(raw), model_type="bert", num_heads=int(config.num_attention_heads),
                                   hidden_size=int(config.hidden_size), opt_level=1)
        optimized.save_model_to_file(str(fp32))
        raw.unlink()
    else:
        raw.rename(fp32)
    step("quantising to int8")
    _quantize(fp32, out / INT8_FILE)
    _quantize_blockwise(fp32, out / BLOCK8_FILE, bits=8)
    st_model.tokenizer.backend_tokenizer.save(str(out / TOKENIZER_FILE))
    from embeddings.onnx_smooth import calibration_texts, quantize_smooth, token_feeds

    step("calibrating the smoothed int8 model")
    feeds = token_feeds(out / TOKENIZER_FILE, calibration_texts(), int(st_model.max_seq_length), input_names)
    quantize_smooth(fp32, out / SMOOTH8_FILE, feeds)
    return {
        "identity": identity,
        "dim": int(st_model.get_embedding_dimension()),
        "max_seq_length": int(st_model.max_seq_length),
        "pooling": pooling,
        "input_names": input_names,
        "pad_id": int(st_model.tokenizer.pad_token_id or 0),
        "strip": True,
        "export_version": EXPORT_VERSION,
    }


def _pooling_mode(identity: str, modules: list) -> str:
    kinds = [type(m).__name__ for m in modules]
    mode = getattr(modules[1], "pooling_mode", None) if len(modules) > 1 else None
    if kinds[:2] != ["Transformer", "Pooling"] or kinds[2:] not in ([], ["Normalize"]) or mode not in _POOLINGS:
        raise ModelLoadError(f"cannot export '{identity}' to ONNX: modules {kinds} with pooling {mode!r} are not "
                             f"a transformer with {' or '.join(_POOLINGS)} pooling; set the torch backend")
    return mode


def _quantize(fp32: Path, int8: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per-channel weights keep the neighbours of int8 vectors close to fp32 ones; DefaultTensorType is
    # needed because shape inference cannot type the outputs of the fused (com.microsoft) ops.
    quantize_dynamic(fp32, int8, weight_type=QuantType.QInt8, per_channel=True,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


def _quantize_blockwise(fp32: Path, out: Path, bits: int) -> None:
    """Replace each MatMul by a constant 2-D weight with a MatMulNBits of `bits`-bit weights in blocks of 32.

    Unlike `quantize_dynamic` (one scale for a whole activation tensor), accuracy level 4 quantises
    activations per block of 32 inputs too, which keeps the vectors far closer to fp32 (bench/embed.py).
    Written here rather than with onnxruntime's MatMulNBitsQuantizer, which needs the extra onnx-ir package.
    """
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper
    from onnxruntime.capi import _pybind_state

    pack = {4: _pybind_state.quantize_matmul_4bits, 8: _pybind_state.quantize_matmul_8bits}[bits]
    model = onnx.load(str(fp32))
    graph = model.graph
    weights = {init.name: init for init in graph.initializer}
    nodes = []
    for node in graph.node:
        weight = weights.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        array = numpy_helper.to_array(weight) if weight is not None else None
        if array is None or array.ndim != 2 or array.dtype != np.float32:
            nodes.append(node)
            continue
        rows, cols = array.shape
        blocks = -(-rows // BLOCK_SIZE)
        padded = np.zeros((blocks * BLOCK_SIZE, cols), dtype=np.float32)
        padded[:rows] = array
        packed = np.zeros((cols, blocks, BLOCK_SIZE * bits // 8), dtype=np.uint8)
        scales = np.zeros((cols, blocks), dtype=np.float32)
        zero_points = np.zeros((cols, -(-blocks * bits // 8)), dtype=np.uint8)
        pack(packed, padded, scales, zero_points, BLOCK_SIZE, cols, rows, True)
        graph.initializer.extend([numpy_helper.from_array(packed, f"{weight.name}_q{bits}"),
                                  numpy_helper.from_array(scales, f"{weight.name}_scales")])
        nodes.append(helper.make_node("MatMulNBits", [node.input[0], f"{weight.name}_q{bits}", f"{weight.name}_scales"],
                                      list(node.output), name=f"{node.name}_q{bits}", domain="com.microsoft",
                                      K=rows, N=cols, bits=bits, block_size=BLOCK_SIZE, accuracy_level=4))
    del graph.node[:]
    graph.node.extend(nodes)
    used = {name for node in graph.node for name in node.input}
    kept = [init for init in graph.initializer if init.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    if not any(opset.domain == "com.microsoft" for opset in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, str(out))


def _pooled_module(transformer, pooling: str, input_names: list[str], torch):
    """The torch module that is exported: transformer, pooling and L2 normalisation in one graph."""

    class PooledEncoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = transformer

        def forward(self, *inputs):
            # transformers 5 changed the positional order: pass keywords.
            named = dict(zip(input_names, inputs))
            hidden = self.transformer(**named).last_hidden_state
            if pooling == "cls":
                pooled = hidden[:, 0]
            else:
                mask = named["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    return PooledEncoder()
