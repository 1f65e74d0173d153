"""SIGKILL in the middle of a feed load or an index save, at random moments: what is left is the state before the
write or the state after it, never a mix, and the next write goes through."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import numpy as np

from tests.support.killed import REPO

KILLS = 6

LOAD_LOOP = """
import sys
from datetime import datetime, timedelta
from warehouse import connect
from warehouse.postings import load_feed
db, a, b = sys.argv[1:4]
start = datetime(2026, 11, 1)
n = 0
while True:
    n += 1
    with connect(db) as con:
        load_feed(con, a if n % 2 else b, source="greenhouse", board="acme", complete=True,
                  crawled_at=start + timedelta(minutes=n))
    print("loaded", n, flush=True)
"""

SAVE_LOOP = """
import sys
import numpy as np
from embeddings.index import VectorIndex
directory = sys.argv[1]
rng = np.random.default_rng(7)
indexes = []
for count in (6000, 2500):
    vectors = rng.standard_normal((count, 64)).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    indexes.append(VectorIndex.build("test-model", np.arange(count, dtype="int64") * 3 + count, vectors))
n = 0
while True:
    indexes[n % 2].save(directory)
    n += 1
    print("saved", n, flush=True)
"""


def feed(path, ids, title: str) -> str:
    with open(path, "w", encoding="utf-8") as out:
        for i in ids:
            out.write(json.dumps({"source_id": str(i), "title": f"{title} {i}", "company": "Acme",
                                  "url": f"https://jobs.example.test/{i}", "description": "Word " * 200}) + "\n")
    return str(path)


def run_and_kill(script: str, args: list[str], delay: float) -> None:
    """Run ``script`` until it has written once, let it run ``delay`` seconds more, then SIGKILL it."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-c", script, *args], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        assert first.split()[:1] in (["loaded"], ["saved"]), proc.stderr.read()
        time.sleep(delay)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)


def test_a_feed_load_killed_at_random_moments_leaves_one_whole_load(tmp_path):
    from warehouse import connect
    from warehouse.checks import check_keys

    a_ids, b_ids = set(range(1, 2001)), set(range(1001, 3001))
    a = feed(tmp_path / "a.jsonl", sorted(a_ids), "Engineer")
    b = feed(tmp_path / "b.jsonl", sorted(b_ids), "Engineer")  # 1-1000 closed, 2001-3000 new
    db = tmp_path / "plenty.duckdb"
    rng = random.Random(11)
    for _ in range(KILLS):
        run_and_kill(LOAD_LOOP, [str(db), a, b], rng.uniform(0.0, 3.0))
        with connect(db) as con:
            open_ids = {int(r[0]) for r in con.execute("select source_id from postings where closed_at is null")
                        .fetchall()}
            last = con.execute("select feed_path, count_new, count_closed from feed_loads order by load_id desc limit 1"
                               ).fetchall()[0]
            assert {k: v for k, v in check_keys(con).items() if v} == {}
            total = con.execute("select count(*) from postings").fetchall()[0][0]
        assert open_ids == (a_ids if last[0] == a else b_ids)
        assert total <= len(a_ids | b_ids)


def test_an_index_save_killed_at_random_moments_leaves_a_whole_index(tmp_path):
    from embeddings.index import VectorIndex

    directory = tmp_path / "index"
    rng = random.Random(5)
    for _ in range(KILLS):
        run_and_kill(SAVE_LOOP, [str(directory)], rng.uniform(0.0, 1.5))
        index = VectorIndex.load(directory, expected_model="test-model")
        assert len(index) in (6000, 2500)
        assert np.array_equal(np.sort(index.ids()), np.arange(len(index), dtype=np.int64) * 3 + len(index))
    # The next save finishes what a killed one left (a half swap, abandoned staging folders) and cleans up.
    index.save(directory)
    assert VectorIndex.load(directory, expected_model="test-model").ids().size == len(index)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]

