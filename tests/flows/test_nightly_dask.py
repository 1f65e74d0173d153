"""The nightly flow on a local Dask cluster through prefect-dask: embedding batches run on the workers."""

from __future__ import annotations

import pytest

from demo.__main__ import DEMO
from flows.nightly import nightly_with_runner
from mirror.board_server import BoardServer

pytestmark = pytest.mark.model

BOARDS = [("greenhouse", "ledgerline"), ("lever", "driftbase"), ("ashby", "tidewellcare")]


def encoders_loaded_on_workers() -> int:
    from corpus import encoders

    return encoders.cached_encoder.cache_info().currsize


def test_nightly_on_a_local_dask_cluster(home, tmp_path, prefect_harness):
    from distributed import Client, LocalCluster

    from corpus.encoders import stored_name
    from datahome.settings import load_settings
    from embeddings.index import VectorIndex
    from warehouse import connect, open_posting_ids

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client, BoardServer() as server:
        lines = []
        for kind, board in BOARDS:
            server.add_board(kind, board, DEMO / "boards" / kind / f"{board}.json")
            lines += ["[[source]]", f'kind = "{kind}"', f'board = "{board}"', f'api_base = "{server.url}"', ""]
        sources = tmp_path / "sources.toml"
        sources.write_text("\n".join(lines), encoding="utf-8")

        report = nightly_with_runner("dask", cluster.scheduler_address)(sources_file=str(sources), home=str(home))
        per_worker = client.run(encoders_loaded_on_workers)

    assert report.failed_sources == []
    fetched = sum(s["fetched"] for s in report.sources)
    assert fetched > 15 and report.embedded == fetched and report.index_added == fetched
    assert sum(per_worker.values()) >= 1  # the model was loaded on the workers, not only here
    settings = load_settings(home)
    index = VectorIndex.load(settings.index_dir, expected_model=stored_name(settings))
    with connect(settings.db_path) as con:
        assert sorted(index.ids().tolist()) == sorted(open_posting_ids(con).tolist())


def test_unknown_runner_flag_is_refused(home):
    from click.testing import CliRunner

    from cli.main import cli

    result = CliRunner().invoke(cli, ["nightly", "--task-runner", "spark"])
    assert result.exit_code == 2 and "spark" in result.output
    result = CliRunner().invoke(cli, ["nightly", "--dask-address", "tcp://127.0.0.1:1"])
    assert result.exit_code == 1 and "--dask-address needs --task-runner dask" in result.output
