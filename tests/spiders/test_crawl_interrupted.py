"""A crawl stopped part-way never leaves a feed that looks complete."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from mirror.board_server import BoardServer
from tests.support.spiders import OWN_FIXTURES, REPO


def _start_slow_crawl(tmp_path, server):
    """A Lever crawl with a delay between requests, returned once it has fetched robots.txt and is waiting."""
    out, status = tmp_path / "feed.jsonl", tmp_path / "feed.status.json"
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "spiders.crawl", "--kind", "lever", "--board", "brightwater", "--api-base", server.url,
         "--out", str(out), "--status", str(status), "--arg", "page_size=1", "--set", "DOWNLOAD_DELAY=5",
         "--set", "AUTOTHROTTLE_ENABLED=false", "--set", "RANDOMIZE_DOWNLOAD_DELAY=false"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 300  # generous: a busy CI box may take long to import Scrapy
    while "/robots.txt" not in server.requests:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the crawl never started: {proc.communicate()[1]}")
        time.sleep(0.1)
    return proc, out, status


def test_a_killed_crawl_leaves_no_feed_and_no_status(tmp_path):
    with BoardServer() as server:
        server.add_board("lever", "brightwater", OWN_FIXTURES / "lever" / "brightwater.json")
        proc, out, status = _start_slow_crawl(tmp_path, server)
        proc.kill()
        proc.communicate(timeout=120)
    assert not out.exists() and not status.exists()


def test_a_terminated_crawl_reports_itself_incomplete(tmp_path):
    with BoardServer() as server:
        server.add_board("lever", "brightwater", OWN_FIXTURES / "lever" / "brightwater.json")
        proc, out, status = _start_slow_crawl(tmp_path, server)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 1, stderr
    document = json.loads(status.read_text())
    assert document["complete"] is False
    # A graceful stop lets the request already waiting in the downloader finish, then closes the spider.
    assert "crawl ended early: shutdown" in document["errors"]
    assert out.exists() and not out.with_name(out.name + ".part").exists()
