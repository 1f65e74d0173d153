"""Saving and loading an index directory: round trip, manifest, refusals, atomic replacement."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from embeddings.errors import IndexCorrupt, IndexMissing, IndexModelMismatch
from embeddings.index import VectorIndex

DIM = 8
REPO = Path(__file__).resolve().parents[2]


def unit_vectors(n, seed=0):
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def build(ids, model="model-a", seed=0):
    index = VectorIndex.new(model, DIM)
    index.add(np.array(ids, dtype=np.int64), unit_vectors(len(ids), seed))
    return index


def test_round_trip_keeps_ids_vectors_and_manifest(tmp_path):
    ids = [2**63 - 1, 1, 2**40 + 3]
    build(ids).save(tmp_path / "index")
    assert sorted(os.listdir(tmp_path / "index")) == ["ids.npy", "index.faiss", "manifest.json"]

    loaded = VectorIndex.load(tmp_path / "index", expected_model="model-a")
    assert loaded.ids().tolist() == ids
    assert loaded.model == "model-a" and loaded.dim == DIM
    _, found = loaded.search(unit_vectors(3), k=1)
    assert found[:, 0].tolist() == ids

    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text())
    assert manifest["model"] == "model-a"
    assert manifest["dim"] == DIM and manifest["count"] == 3
    assert manifest["metric"] == "inner_product" and manifest["normalised"] is True
    assert manifest["built_at"].endswith("Z") and loaded.built_at == manifest["built_at"]
    assert manifest["versions"]["faiss-cpu"] and manifest["versions"]["numpy"] == np.__version__
    assert manifest["format_version"] == 1
    assert np.load(tmp_path / "index" / "ids.npy").tolist() == ids


def test_empty_index_round_trips(tmp_path):
    VectorIndex.new("model-a", DIM).save(tmp_path / "index")
    assert len(VectorIndex.load(tmp_path / "index", "model-a")) == 0


def test_load_refuses_another_model_and_says_how_to_fix(tmp_path):
    build([1, 2]).save(tmp_path / "index")
    with pytest.raises(IndexModelMismatch) as raised:
        VectorIndex.load(tmp_path / "index", expected_model="model-b")
    message = str(raised.value)
    assert "model-a" in message and "model-b" in message and "plenty index rebuild" in message


def test_load_refuses_an_index_of_an_older_embedded_text_and_says_so(tmp_path):
    VectorIndex.new("model-a", DIM).save(tmp_path / "index")  # text 1 was stored under the bare model name
    with pytest.raises(IndexModelMismatch) as raised:
        VectorIndex.load(tmp_path / "index", expected_model="model-a#text-v2")
    message = str(raised.value)
    assert "older version of the embedded text" in message and "plenty index rebuild" in message
    assert "set the model back" not in message


def test_load_of_absent_or_empty_directory_is_missing(tmp_path):
    with pytest.raises(IndexMissing, match="plenty index rebuild"):
        VectorIndex.load(tmp_path / "nowhere", "model-a")
    (tmp_path / "empty").mkdir()
    with pytest.raises(IndexMissing):
        VectorIndex.load(tmp_path / "empty", "model-a")


def test_load_refuses_ids_that_disagree_with_manifest(tmp_path):
    build([1, 2, 3]).save(tmp_path / "index")
    np.save(tmp_path / "index" / "ids.npy", np.array([1, 2], dtype=np.int64))
    with pytest.raises(IndexCorrupt, match="manifest says 3"):
        VectorIndex.load(tmp_path / "index", "model-a")


def test_load_refuses_ids_file_with_other_ids(tmp_path):
    build([1, 2, 3]).save(tmp_path / "index")
    np.save(tmp_path / "index" / "ids.npy", np.array([1, 2, 4], dtype=np.int64))
    with pytest.raises(IndexCorrupt, match="disagrees"):
        VectorIndex.load(tmp_path / "index", "model-a")


def test_load_refuses_count_that_disagrees(tmp_path):
    build([1, 2, 3]).save(tmp_path / "index")
    path = tmp_path / "index" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["count"] = 4
    path.write_text(json.dumps(manifest))
    with pytest.raises(IndexCorrupt, match="manifest says 4"):
        VectorIndex.load(tmp_path / "index", "model-a")


@pytest.mark.parametrize("damage", ["truncate_faiss", "garbage_manifest", "drop_manifest", "float_ids"])
def test_load_refuses_damaged_files(tmp_path, damage):
    directory = tmp_path / "index"
    build([1, 2, 3]).save(directory)
    if damage == "truncate_faiss":
        data = (directory / "index.faiss").read_bytes()
        (directory / "index.faiss").write_bytes(data[: len(data) // 2])
    elif damage == "garbage_manifest":
        (directory / "manifest.json").write_text("{not json")
    elif damage == "drop_manifest":
        (directory / "manifest.json").unlink()
    else:
        np.save(directory / "ids.npy", np.array([1.0, 2.0, 3.0]))
    with pytest.raises(IndexCorrupt, match="plenty index rebuild"):
        VectorIndex.load(directory, "model-a")


def test_save_replaces_previous_index_and_leaves_nothing_beside_it(tmp_path):
    directory = tmp_path / "index"
    build([1, 2, 3]).save(directory)
    build([7, 8], seed=1).save(directory)
    assert VectorIndex.load(directory, "model-a").ids().tolist() == [7, 8]
    assert os.listdir(tmp_path) == ["index"]


def test_save_cleans_staging_left_by_a_dead_writer(tmp_path):
    directory = tmp_path / "index"
    build([1]).save(directory)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = tmp_path / f".index.tmp-{dead.stdout.strip()}-deadbeef"
    leftover.mkdir()
    (leftover / "index.faiss").write_bytes(b"half")
    build([2]).save(directory)
    assert os.listdir(tmp_path) == ["index"]


def test_interrupted_swap_still_loads_the_old_index_and_next_save_recovers(tmp_path):
    directory = tmp_path / "index"
    build([1, 2, 3]).save(directory)
    # A save killed between "rename old away" and "rename new in".
    os.rename(directory, tmp_path / ".index.old")
    assert VectorIndex.load(directory, "model-a").ids().tolist() == [1, 2, 3]

    build([4], seed=2).save(directory)
    assert VectorIndex.load(directory, "model-a").ids().tolist() == [4]
    assert os.listdir(tmp_path) == ["index"]


def test_save_refuses_to_replace_a_directory_that_is_not_an_index(tmp_path):
    directory = tmp_path / "notes"
    directory.mkdir()
    (directory / "precious.txt").write_text("keep me")
    with pytest.raises(IndexCorrupt, match="refusing"):
        build([1]).save(directory)
    assert (directory / "precious.txt").read_text() == "keep me"


KILLED_SAVE = """
import os, sys
import numpy as np
sys.path.insert(0, {repo!r})

from embeddings.index import VectorIndex

def die(staging, target):
    os._exit(9)  # killed after writing the new files, before any rename

import embeddings.index as index_module
index_module.swap_in = die
index = VectorIndex.new("model-a", 8)
index.add(np.array([42], dtype=np.int64), np.eye(8, dtype=np.float32)[:1])
index.save({target!r})
"""


def test_writer_killed_mid_save_leaves_the_old_index(tmp_path):
    directory = tmp_path / "index"
    build([1, 2, 3]).save(directory)
    script = KILLED_SAVE.format(repo=str(REPO), target=str(directory))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 9, result.stderr
    assert VectorIndex.load(directory, "model-a").ids().tolist() == [1, 2, 3]
    build([5], seed=3).save(directory)
    assert VectorIndex.load(directory, "model-a").ids().tolist() == [5]
    assert os.listdir(tmp_path) == ["index"]
