"""Progress lines of a night's crawl: boards done of the total, postings, time left per host."""

from __future__ import annotations

from pathlib import Path

from sources.crawl_processes import CrawlResult
from sources.progress import CrawlProgress
from sources.sources_file import Source


def result(source: Source, items: int) -> CrawlResult:
    return CrawlResult(source=source, feed=Path("/nonexistent"), complete=True, items=items)


def test_progress_counts_boards_and_postings_and_estimates_the_slowest_host():
    greenhouse = [Source("greenhouse", f"g{i}") for i in range(4)]
    ashby = [Source("ashby", f"a{i}") for i in range(2)]
    progress = CrawlProgress(greenhouse + ashby, started=0.0)
    assert progress.line(now=1.0) == ("crawled 0/6 boards, 0 postings, time left not known yet; "
                                      "greenhouse 0/4 (?), ashby 0/2 (?)")
    progress.finished([result(greenhouse[0], 10), result(ashby[0], 5)])
    # 10 s per board so far: greenhouse has 3 left (30 s), ashby 1 (10 s)
    assert progress.line(now=10.0) == ("crawled 2/6 boards, 15 postings, about 30 s left; "
                                       "greenhouse 1/4 (30 s), ashby 1/2 (10 s)")
    progress.finished([result(s, 1) for s in greenhouse[1:] + ashby[1:]])
    assert progress.line(now=600.0) == "crawled 6/6 boards, 19 postings, done in 10 min; greenhouse 4/4, ashby 2/2"


def test_progress_lines_are_spaced_out_but_the_last_one_always_comes():
    sources = [Source("greenhouse", "a"), Source("greenhouse", "b")]
    progress = CrawlProgress(sources, started=0.0, every=10.0)
    assert progress.due(now=0.0) and not progress.due(now=5.0) and progress.due(now=10.5)
    progress.finished([result(sources[0], 1), result(sources[1], 1)])
    assert progress.due(now=11.0)
