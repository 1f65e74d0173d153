"""The Hacker News and JSON-LD spiders end to end (crawl subprocesses) against the local mirror: the recorded
thread's comments as HN items, and career pages built around the recorded NHS ``JobPosting`` objects."""

from __future__ import annotations

import copy
import html
import json
from datetime import datetime, timedelta, timezone

from mirror.board_server import BoardServer, Route
from spiders.sources.hn_roles import posting_header
from tests.support.hn import THREAD_ID, item_body, recorded_comments, thread_item
from tests.support.jsonld import page_html, recorded_postings, sitemap_xml
from tests.support.spiders import run_crawl

NEXT_YEAR = (datetime.now(timezone.utc) + timedelta(days=365)).replace(microsecond=0).isoformat()


def test_hn_thread_crawl_reads_each_comment_and_counts_the_rest(tmp_path):
    comments = recorded_comments()[:40]
    deleted = {"id": 1, "deleted": True, "parent": THREAD_ID, "type": "comment", "time": 1775060837}
    parsed = [c for c in comments if posting_header(c["text"])]
    with BoardServer() as server:
        server.routes[f"/v0/item/{THREAD_ID}.json"] = Route(item_body(thread_item(comments + [deleted])))
        for item in comments + [deleted]:
            server.routes[f"/v0/item/{item['id']}.json"] = Route(item_body(item))
        code, status, items, stderr = run_crawl(tmp_path, "hn", str(THREAD_ID), server.url)
    assert code == 0, stderr
    assert status["complete"] is True and status["errors"] == []
    assert status["dropped"] == {"deleted": 1, "unparseable": len(comments) - len(parsed)}
    expected = [(str(c["id"]), title) if len(posting_header(c["text"]).titles) == 1 else (f"{c['id']}-{n}", title)
                for c in parsed for n, title in enumerate(posting_header(c["text"]).titles, start=1)]
    assert sorted((i["source_id"], i["title"]) for i in items) == sorted(expected)
    assert all(i["url"].startswith("https://news.ycombinator.com/item?id=") for i in items)


def test_jsonld_pages_from_urls_and_a_sitemap_gone_and_expired_ones_close(tmp_path):
    records = recorded_postings(8)
    current = []
    for vacancy, posting in records[:5]:
        # Re-dated copies: the recorded vacancies closed in 2020-21; these five are still open.
        posting = copy.deepcopy(posting)
        posting["validThrough"] = NEXT_YEAR
        current.append((vacancy, posting))
    expired = records[5:]
    with BoardServer() as server:
        paths = [f"/vacancy/{vacancy}" for vacancy, _ in current + expired]
        for (vacancy, posting), path in zip(current + expired, paths):
            server.routes[path] = Route(page_html(posting), 200, "text/html; charset=utf-8")
        server.routes["/vacancy/gone-404"] = Route(b"not found", 404, "text/html")
        server.routes["/vacancy/gone-410"] = Route(b"gone", 410, "text/html")
        server.routes["/about"] = Route(page_html(extra="<p>About us</p>"), 200, "text/html")
        origin = server.url
        listed = [origin + p for p in paths[1:] + ["/vacancy/gone-404", "/vacancy/gone-410", "/about"]]
        server.routes["/sitemap.xml"] = Route(sitemap_xml(listed), 200, "application/xml")
        code, status, items, stderr = run_crawl(
            tmp_path, "jsonld", "nhs", origin, "-a", f"urls={json.dumps([origin + paths[0]])}",
            "-a", f"sitemap={origin}/sitemap.xml")
    assert code == 0, stderr
    assert status["complete"] is True and status["errors"] == []
    assert status["dropped"] == {"expired": 3, "no_jobposting": 1, "page_gone": 2}
    assert sorted((i["source_id"], i["title"], i["url"]) for i in items) == sorted(
        (origin + f"/vacancy/{vacancy}", " ".join(html.unescape(posting["title"]).split()), posting["url"])
        for vacancy, posting in current)
    assert all(i["valid_through"] == NEXT_YEAR.replace("+00:00", "Z") for i in items)


def test_a_jsonld_source_from_the_sources_file_crawls_through_the_flow_runner(tmp_path):
    from sources.crawl_processes import run_crawl as run_source
    from sources.sources_file import Source

    (vacancy, posting), = recorded_postings(1)
    posting = dict(posting, validThrough=NEXT_YEAR)
    with BoardServer() as server:
        server.routes[f"/vacancy/{vacancy}"] = Route(page_html(posting), 200, "text/html; charset=utf-8")
        server.routes["/sitemap.xml"] = Route(sitemap_xml([f"{server.url}/vacancy/{vacancy}"]), 200, "application/xml")
        source = Source(kind="jsonld", board="nhs", options={"sitemap": f"{server.url}/sitemap.xml"})
        result = run_source(source, tmp_path / "run", user_agent="plenty-test/1 (+https://example.invalid)",
                            scrapy_settings={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": "false"})
    assert result.complete and result.errors == [] and result.items == 1
    [item] = [json.loads(line) for line in result.feed.read_text(encoding="utf-8").splitlines()]
    assert (item["source"], item["board"], item["title"]) == ("jsonld", "nhs", posting["title"])
