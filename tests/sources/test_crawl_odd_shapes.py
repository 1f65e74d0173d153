"""Generated odd postings served as a Greenhouse board on 127.0.0.1, crawled by the real spider in its own
process, loaded as the nightly loads a feed, then every read command on them (issue 16).

The board's JSON carries what a hostile or broken board may: blank and huge titles, no or null locations,
markup and script in the content, terminal escapes, bidi overrides, lone-surrogate escapes (``"\\ud800"``) and
odd dates. The spider cleans or drops each posting; nothing may reach a command as a traceback.
"""

from __future__ import annotations

import html
import json
from datetime import datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from datahome.settings import load_settings
from mirror.board_server import BoardServer, Route
from sources.crawl_processes import run_crawl
from sources.loading import load_crawls
from sources.sources_file import Source
from tests.support.every_command import FILTERS, run_every_read_command
from tests.support.fake_model import fake_model  # noqa: F401 (fixture)
from tests.support.odd_postings import HOSTILE, HUGE, HYPOTHESIS_SETTINGS, fresh_home, queries, rejections, texts

QUICK = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 30, "RETRY_TIMES": 1}

odd = st.one_of(st.none(), texts, st.sampled_from(HOSTILE))
greenhouse_jobs = st.fixed_dictionaries({
    "title": st.one_of(st.sampled_from(["Registered Nurse", "Data Engineer", "", "   ", "x"]), texts),
    "location": st.one_of(st.none(), st.fixed_dictionaries({"name": odd}), st.just({})),
    "content": st.one_of(st.none(), odd.map(lambda t: html.escape(f"<p>{t}</p><script>alert(1)</script>")),
                         st.just(html.escape(f"<p>{HUGE}</p>"))),
    "updated_at": st.sampled_from([None, "", "2026-09-02T10:15:00-04:00", "9999-12-31T00:00:00Z", "soon"]),
    "first_published": st.sampled_from([None, "2026-08-01T09:00:00-04:00", "1970-01-01T00:00:00Z"]),
    "departments": st.one_of(st.none(), st.just([]), st.lists(st.fixed_dictionaries({"name": odd}), max_size=2)),
})  # fmt: skip


def board_body(jobs: list[dict]) -> bytes:
    """A Greenhouse job-board API answer (ASCII JSON: a lone surrogate travels as its ``\\ud800`` escape)."""
    full = [{"id": 4000 + n, "absolute_url": f"https://boards.example.test/jobs/{4000 + n}", **job}
            for n, job in enumerate(jobs)]
    return json.dumps({"jobs": full}).encode("ascii")


@settings(HYPOTHESIS_SETTINGS, max_examples=3)
@given(jobs=st.lists(greenhouse_jobs, min_size=1, max_size=5), query=queries, rejection=rejections,
       filters=st.sampled_from(FILTERS).map(lambda options: (options,)))
def test_a_crawled_board_of_odd_postings_through_every_command(fake_model, monkeypatch, tmp_path, jobs,  # noqa: F811
                                                               query, rejection, filters):
    work = fresh_home(monkeypatch, tmp_path)
    s = load_settings()
    s.ensure_dirs()
    with BoardServer() as server:
        server.routes["/v1/boards/odd/jobs"] = Route(board_body(jobs))
        result = run_crawl(Source("greenhouse", "odd", api_base=server.url), s.feeds_dir / "run-odd",
                           user_agent="plenty-test", scrapy_settings=QUICK)
    (row,) = load_crawls(s, [result], datetime.now(timezone.utc), "run-odd")
    assert row["complete"] and not row["errors"], row
    kept = [job for job in jobs if (job["title"] or "").strip()]
    assert row["fetched"] == len(kept), row  # only postings without a title are dropped

    from corpus.index_sync import bring_index_up_to_date

    bring_index_up_to_date(s)
    run_every_read_command(work, query, rejection, "Odd", filters)
