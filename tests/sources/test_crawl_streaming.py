"""The flow gets each board's result as soon as its feed is in place, while the crawl process goes on."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from mirror.board_server import BoardServer
from sources.crawl_processes import boards_label, results_as_ready, run_crawls
from sources.sources_file import Source
from tests.support.spiders import OWN_FIXTURES


def test_a_board_is_handed_over_when_its_feed_is_in_place_and_a_board_without_feed_when_the_crawl_ends(tmp_path):
    run_dir = tmp_path / "run"
    with BoardServer() as server:
        for board in ("first", "second"):
            server.add_board("greenhouse", board, OWN_FIXTURES / "greenhouse" / "brightwater.json")
        # One host: "second" waits the host's delay (3 s) after "first"; "monster" is no kind and gets no feed.
        sources = [Source("greenhouse", "first", api_base=server.url), Source("greenhouse", "second", api_base=server.url),
                   Source("monster", "acme", api_base=server.url)]
        settings = {"DOWNLOAD_DELAY": 3, "AUTOTHROTTLE_ENABLED": False, "RETRY_TIMES": 0, "DOWNLOAD_DELAY_JITTER": 0}
        with ThreadPoolExecutor(max_workers=1) as pool:
            crawl = pool.submit(run_crawls, sources, run_dir, user_agent="plenty-test/1", scrapy_settings=settings)
            batches = [(batch, crawl.done()) for batch in results_as_ready([crawl], sources, run_dir)]
    first_batch, crawl_was_done = batches[0]
    assert [r.source.board for r in first_batch] == ["first"] and not crawl_was_done
    assert first_batch[0].complete and first_batch[0].items == 2 and first_batch[0].ok
    handed = [r for batch, _ in batches for r in batch]
    assert sorted(r.source.board for r in handed) == ["acme", "first", "second"]  # each exactly once
    by_board = {r.source.board: r for r in handed}
    assert by_board["second"].complete and by_board["second"].items == 2
    assert not by_board["acme"].ok and "monster" in " ".join(by_board["acme"].errors)
    assert batches[-1][1]  # the board without a feed came when the crawl had ended
    assert boards_label(first_batch) == "greenhouse-first" and boards_label(handed) == "greenhouse-first +2"


def test_a_crawl_that_raised_raises_where_results_are_read(tmp_path):
    def broken():
        raise OSError("cannot start the crawler")

    with ThreadPoolExecutor(max_workers=1) as pool:
        crawl = pool.submit(broken)
        with pytest.raises(OSError, match="cannot start the crawler"):
            list(results_as_ready([crawl], [Source("greenhouse", "acme")], tmp_path))
