"""Several boards crawled one after another in one process: each gets its own feed and status, a broken one
does not stop the others, and the flow groups sources by host."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from mirror.board_server import BoardServer
from sources.crawl_processes import run_crawls
from sources.hosts import group_by_host, host_key
from sources.sources_file import Source
from tests.support.spiders import FAST, OWN_FIXTURES, REPO


def run_jobs(tmp_path, jobs: list[dict], *extra: str) -> subprocess.CompletedProcess:
    jobs_file = tmp_path / "jobs.json"
    jobs_file.write_text(json.dumps(jobs), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "spiders.crawl", "--jobs", str(jobs_file), *FAST, *extra],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


def job(tmp_path, kind: str, board: str, api_base: str) -> dict:
    return {"kind": kind, "board": board, "api_base": api_base, "out": str(tmp_path / f"{kind}-{board}.jsonl"),
            "status": str(tmp_path / f"{kind}-{board}.status.json")}


def status_of(spec: dict) -> dict:
    return json.loads(open(spec["status"], encoding="utf-8").read())


def test_jobs_run_in_turn_and_a_broken_one_does_not_stop_the_rest(tmp_path):
    with BoardServer() as server:
        for kind in ("greenhouse", "lever", "ashby"):
            server.add_board(kind, "brightwater", OWN_FIXTURES / kind / "brightwater.json")
        jobs = [job(tmp_path, "greenhouse", "brightwater", server.url),
                job(tmp_path, "greenhouse", "no-such-board", server.url),
                job(tmp_path, "monster", "acme", server.url),
                job(tmp_path, "ashby", "brightwater", server.url)]
        proc = run_jobs(tmp_path, jobs)
    assert proc.returncode == 1
    first, missing, unknown, last = (status_of(j) for j in jobs)
    assert first["complete"] and first["items"] == 2 and last["complete"] and last["items"] > 0
    assert not missing["complete"] and missing["items"] == 0
    assert not unknown["complete"] and "unknown source kind 'monster'" in unknown["errors"][0]
    for spec in (jobs[0], jobs[3]):
        lines = open(spec["out"], encoding="utf-8").read().splitlines()
        assert len(lines) == status_of(spec)["items"]
        assert {json.loads(line)["source"] for line in lines} == {spec["kind"]}
    assert "no-such-board" in proc.stderr and "monster" in proc.stderr and "Traceback" not in proc.stderr


def test_a_malformed_jobs_file_is_refused_with_its_name(tmp_path):
    proc = run_jobs(tmp_path, [{"kind": "greenhouse"}])
    assert proc.returncode == 2
    assert "crawl job" in proc.stderr and "lacks board, out, status" in proc.stderr
    (tmp_path / "broken.json").write_text("[{", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-m", "spiders.crawl", "--jobs", str(tmp_path / "broken.json")],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2 and "broken.json" in proc.stderr and "Traceback" not in proc.stderr


def test_sources_group_by_host_in_configured_order():
    local = "http://127.0.0.1:8123"
    sources = [Source("greenhouse", "a"), Source("lever", "b"), Source("greenhouse", "c"),
               Source("greenhouse", "d", api_base=local), Source("jsonld", "site", options={"urls": ["https://Jobs.Example.org/x"]}),
               Source("lever", "e", api_base=local)]
    assert [host_key(s) for s in sources] == ["greenhouse", "lever", "greenhouse", "127.0.0.1:8123",
                                              "jobs.example.org", "127.0.0.1:8123"]
    assert [[s.board for s in group] for group in group_by_host(sources)] == [["a", "c"], ["b"], ["d", "e"], ["site"]]


def test_run_crawls_gives_one_result_per_source_in_order(tmp_path):
    with BoardServer() as server:
        for kind in ("greenhouse", "lever"):
            server.add_board(kind, "brightwater", OWN_FIXTURES / kind / "brightwater.json")
        sources = [Source("lever", "brightwater", api_base=server.url),
                   Source("greenhouse", "gone", api_base=server.url),
                   Source("greenhouse", "brightwater", api_base=server.url)]
        results = run_crawls(sources, tmp_path / "run", user_agent="plenty-test/1",
                             scrapy_settings={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RETRY_TIMES": 0})
    assert [r.source for r in results] == sources
    assert [r.complete for r in results] == [True, False, True]
    assert results[0].items > 0 and results[2].items == 2 and results[1].items == 0
    assert all(r.ok for r in results)
    # One board at a time, in order, and the host's robots.txt read once for all three.
    assert server.requests == ["/robots.txt", "/v0/postings/brightwater?mode=json&skip=0&limit=100",
                               "/v1/boards/gone/jobs?content=true", "/v1/boards/brightwater/jobs?content=true"]


def test_robots_rules_read_once_still_bind_every_later_board(tmp_path):
    with BoardServer() as server:
        server.robots_txt = "User-agent: *\nDisallow: /v1/boards/private\n"
        server.add_board("greenhouse", "brightwater", OWN_FIXTURES / "greenhouse" / "brightwater.json")
        server.add_board("greenhouse", "private", OWN_FIXTURES / "greenhouse" / "brightwater.json")
        jobs = [job(tmp_path, "greenhouse", "brightwater", server.url),
                job(tmp_path, "greenhouse", "private", server.url)]
        proc = run_jobs(tmp_path, jobs)
    assert proc.returncode == 1
    allowed, forbidden = (status_of(j) for j in jobs)
    assert allowed["complete"] and allowed["items"] == 2
    assert not forbidden["complete"] and forbidden["items"] == 0 and forbidden["failures"].get("robots") == 1
    assert server.requests == ["/robots.txt", "/v1/boards/brightwater/jobs?content=true"]


def test_a_terminated_batch_marks_the_boards_it_did_not_reach(tmp_path):
    import signal
    import time

    with BoardServer() as server:
        for board in ("brightwater", "second"):
            server.add_board("lever", board, OWN_FIXTURES / "lever" / "brightwater.json")
        jobs = [job(tmp_path, "lever", "brightwater", server.url), job(tmp_path, "lever", "second", server.url)]
        for spec in jobs:
            spec["spider_args"] = {"page_size": 1}
        (tmp_path / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        proc = subprocess.Popen(
            [sys.executable, "-m", "spiders.crawl", "--jobs", str(tmp_path / "jobs.json"), "--set", "DOWNLOAD_DELAY=5",
             "--set", "AUTOTHROTTLE_ENABLED=false", "--set", "RANDOMIZE_DOWNLOAD_DELAY=false"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 300  # a busy CI box may take long to import Scrapy
        while "/robots.txt" not in server.requests:
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 1, stderr
    first, second = (status_of(j) for j in jobs)
    assert not first["complete"] and "crawl ended early: shutdown" in first["errors"]
    assert not second["complete"] and second["errors"] == ["not crawled: the crawl process was stopped first"]
    assert not any("/second" in request for request in server.requests)


class TimedRequests(list):
    """The server's request log, also noting when each request arrived."""

    def __init__(self):
        super().__init__()
        self.times: list[float] = []

    def append(self, path) -> None:
        import time

        self.times.append(time.monotonic())
        super().append(path)


def test_the_next_board_of_a_host_waits_the_delay_the_host_reached(tmp_path):
    """Between boards the host gets the delay AutoThrottle settled on for it (never under DOWNLOAD_DELAY),
    not AutoThrottle's cautious start delay again."""
    with BoardServer() as server:
        server.requests = TimedRequests()
        server.robots_txt = "User-agent: *\nAllow: /\n"
        for board in ("first", "second", "third"):
            server.add_board("greenhouse", board, OWN_FIXTURES / "greenhouse" / "brightwater.json")
        jobs = [job(tmp_path, "greenhouse", board, server.url) for board in ("first", "second", "third")]
        proc = run_jobs(tmp_path, jobs, "--set", "DOWNLOAD_DELAY=1", "--set", "AUTOTHROTTLE_ENABLED=true",
                        "--set", "AUTOTHROTTLE_START_DELAY=2", "--set", "DOWNLOAD_DELAY_JITTER=0")
    assert proc.returncode == 0, proc.stderr
    assert server.requests == ["/robots.txt"] + [f"/v1/boards/{b}/jobs?content=true" for b in ("first", "second", "third")]
    gaps = [later - earlier for earlier, later in zip(server.requests.times[1:], server.requests.times[2:])]
    # The host's delay is kept between boards (counted from the last request as Scrapy counts it, so the times the
    # server saw the requests arrive may differ by a few milliseconds of connection set-up).
    assert all(gap >= 0.95 for gap in gaps), gaps
    # Fast answers brought the host's delay down to DOWNLOAD_DELAY; the start delay (2 s) is not waited again.
    assert proc.stderr.count("its delay is 1.0 s since its last request") == 2, proc.stderr


def test_the_delay_before_a_hosts_next_board_counts_from_its_last_request():
    from scrapy.settings import Settings

    from spiders.crawl import _next_board_gap

    throttled = Settings({"DOWNLOAD_DELAY": 1.0, "AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_START_DELAY": 2.0})
    # (slot delay, last request) pairs; the board ended at `now` = 100.
    assert _next_board_gap(throttled, [(1.0, 99.6)], 100.0) == (1.0, 100.6)  # 0.4 s of parsing already passed
    assert _next_board_gap(throttled, [(4.5, 99.0), (1.0, 99.5)], 100.0) == (4.5, 104.0)  # a slow host's longer delay
    assert _next_board_gap(throttled, [(0.2, 99.9)], 100.0) == (1.0, 100.9)  # never under DOWNLOAD_DELAY
    assert _next_board_gap(throttled, [], 100.0) == (2.0, 102.0)  # nothing was fetched: as a fresh crawl would start
    fixed = Settings({"DOWNLOAD_DELAY": 3.0, "AUTOTHROTTLE_ENABLED": False, "AUTOTHROTTLE_START_DELAY": 2.0})
    assert _next_board_gap(fixed, [], 100.0) == (3.0, 103.0)


def test_hosts_are_packed_into_few_processes_each_host_whole_and_in_order():
    from sources.hosts import hosts_label, pack_hosts

    sources = [Source("greenhouse", b) for b in ("g1", "g2", "g3")] + [Source("lever", "l1"), Source("ashby", "a1")]
    sources += [Source("jsonld", f"site{i}", options={"urls": [f"https://jobs{i}.example.org/"]}) for i in range(3)]
    packs = pack_hosts(group_by_host(sources), 2)
    assert len(packs) == 2 and sorted(s.board for pack in packs for s in pack) == sorted(s.board for s in sources)
    greenhouse = next(pack for pack in packs if pack[0].kind == "greenhouse")
    assert [s.board for s in greenhouse if s.kind == "greenhouse"] == ["g1", "g2", "g3"]
    assert sorted(len(pack) for pack in packs) == [4, 4]  # 3 + 1 and 1 + 1 + 1 + 1
    assert pack_hosts(group_by_host(sources[:1]), 4) == [sources[:1]]
    assert hosts_label(greenhouse) == "greenhouse +1" and hosts_label(sources[:2]) == "greenhouse"


def test_the_boards_of_one_host_wait_for_each_other_while_another_host_goes_ahead(tmp_path):
    """Two chains in one process: host A's second board waits A's delay; host B's board is not held behind it."""
    with BoardServer() as host_a, BoardServer() as host_b:
        for server in (host_a, host_b):
            server.requests = TimedRequests()
            server.robots_txt = "User-agent: *\nAllow: /\n"
        for board in ("first", "second"):
            host_a.add_board("greenhouse", board, OWN_FIXTURES / "greenhouse" / "brightwater.json")
        host_b.add_board("lever", "brightwater", OWN_FIXTURES / "lever" / "brightwater.json")
        jobs = [dict(job(tmp_path, "greenhouse", "first", host_a.url), chain="a"),
                dict(job(tmp_path, "greenhouse", "second", host_a.url), chain="a"),
                dict(job(tmp_path, "lever", "brightwater", host_b.url), chain="b")]
        proc = run_jobs(tmp_path, jobs, "--set", "DOWNLOAD_DELAY=10", "--set", "AUTOTHROTTLE_ENABLED=false")
    assert proc.returncode == 0, proc.stderr
    assert [status_of(j)["complete"] for j in jobs] == [True, True, True]
    a_first, a_second = host_a.requests.times[1:]
    (b_board,) = host_b.requests.times[1:2]
    assert a_second - a_first >= 10  # one host: its delay between its boards
    assert b_board < a_second  # the other host did not wait for host A's boards
