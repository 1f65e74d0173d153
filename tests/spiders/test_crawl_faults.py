"""A misbehaving board API: each fault is retried where a retry can help, then counted with its reason.

Every test runs the real crawl subprocess against ``FaultServer`` on 127.0.0.1 with short timeouts, so a hang
costs seconds, not minutes.
"""

from __future__ import annotations

import json

import pytest

from mirror.board_server import Route
from tests.support.faults import Fault, FaultServer
from tests.support.spiders import OWN_FIXTURES, run_crawl

GREENHOUSE = "/v1/boards/brightwater/jobs"
BOARD = OWN_FIXTURES / "greenhouse" / "brightwater.json"
# Two retries (three tries) and a two-second timeout: the shipped values are 2 and 60 s.
QUICK = ("--set", "DOWNLOAD_TIMEOUT=2", "--set", "RETRY_TIMES=2")


def crawl(tmp_path, server, *extra):
    return run_crawl(tmp_path, "greenhouse", "brightwater", server.url, *QUICK, *extra)


def greenhouse_board(*jobs: dict) -> bytes:
    """A Greenhouse board API answer holding ``jobs`` (each given id, title and anything else to set)."""
    full = []
    for job in jobs:
        full.append({"id": job["id"], "title": job.get("title", f"Engineer {job['id']}"),
                     "absolute_url": f"https://boards.example.test/jobs/{job['id']}",
                     "location": {"name": "Berlin"}, "content": "&lt;p&gt;Build things.&lt;/p&gt;",
                     "updated_at": "2026-09-02T10:15:00-04:00", "first_published": "2026-08-01T09:00:00-04:00",
                     **{k: v for k, v in job.items() if k not in ("id", "title")}})
    return json.dumps({"jobs": full}).encode()


@pytest.mark.parametrize("fault, reason", [
    (Fault("status", status=503), "http_503"),
    (Fault("status", status=502), "http_502"),
    (Fault("hang", seconds=6), "timeout"),
    (Fault("reset"), "connection"),
    (Fault("cut"), "truncated"),
])
def test_a_passing_fault_is_retried_and_the_crawl_completes(tmp_path, fault, reason):
    with FaultServer() as server:
        server.routes[GREENHOUSE] = Route(greenhouse_board({"id": 1}, {"id": 2}))
        fault.times = 1
        server.faults[GREENHOUSE] = fault
        code, status, items, stderr = crawl(tmp_path, server)
        assert server.hits(GREENHOUSE) == 2
    assert code == 0, stderr
    assert status["complete"] is True and status["errors"] == [] and status["failures"] == {}
    assert status["retries"] == 1 and [item["source_id"] for item in items] == ["1", "2"]


@pytest.mark.parametrize("fault, reason, message", [
    (Fault("status", status=503), "http_503", "HTTP 503 at {url} (after 2 retries)"),
    (Fault("hang", seconds=6), "timeout", "DownloadTimeoutError: "),
    (Fault("reset"), "connection", "DownloadFailedError: "),
    (Fault("cut"), "truncated", "ResponseDataLossError: "),
])
def test_a_lasting_fault_is_retried_a_bounded_number_of_times_then_counted(tmp_path, fault, reason, message):
    with FaultServer() as server:
        server.add_board("greenhouse", "brightwater", BOARD)
        server.faults[GREENHOUSE] = fault
        url = f"{server.url}{GREENHOUSE}?content=true"
        code, status, items, _ = crawl(tmp_path, server)
        assert server.hits(GREENHOUSE) == 3
    assert code == 1
    assert status["complete"] is False and items == [] and status["items"] == 0
    assert status["failures"] == {reason: 1} and status["retries"] == 2
    assert len(status["errors"]) == 1 and status["errors"][0].startswith(message.format(url=url))
    assert status["errors"][0].endswith(f"at {url} (after 2 retries)")


@pytest.mark.parametrize("route, reason", [
    (Route(b"not found", 404, "text/plain"), "http_404"),
    (Route(b"<!doctype html><html><body>Down for maintenance</body></html>", 200, "text/html"), "not_json"),
    (Route(greenhouse_board({"id": 1}, {"id": 2})[:-40], 200), "not_json"),  # cut JSON with a correct length
    (Route(b'{"jobs": {"id": 1}}', 200), "bad_shape"),
    (Route(b"", 200), "not_json"),
])
def test_an_answer_that_a_retry_cannot_fix_is_counted_once(tmp_path, route, reason):
    with FaultServer() as server:
        server.routes[GREENHOUSE] = route
        code, status, items, _ = crawl(tmp_path, server)
        assert server.hits(GREENHOUSE) == 1
    assert code == 1
    assert status["complete"] is False and items == []
    assert status["failures"] == {reason: 1} and status["retries"] == 0 and len(status["errors"]) == 1


def test_a_20_mb_body_over_the_size_limit_is_refused_without_retries(tmp_path):
    with FaultServer() as server:
        server.routes[GREENHOUSE] = Route(b"x" * 20_000_000, 200, "text/html")
        code, status, items, _ = crawl(tmp_path, server, "--set", "DOWNLOAD_MAXSIZE=8000000")
        assert server.hits(GREENHOUSE) == 1
    assert code == 1 and items == []
    assert status["failures"] == {"too_large": 1}
    assert "larger than download max size (8000000)" in status["errors"][0]


def test_a_20_mb_junk_body_under_the_shipped_limit_is_read_once_and_counted(tmp_path):
    with FaultServer() as server:
        server.routes[GREENHOUSE] = Route(b"<html>" + b"x" * 20_000_000, 200, "application/json")
        code, status, items, _ = crawl(tmp_path, server)
        assert server.hits(GREENHOUSE) == 1
    assert code == 1 and items == [] and status["failures"] == {"not_json": 1}


def test_a_20_mb_board_of_real_postings_is_crawled_whole(tmp_path):
    description = "&lt;p&gt;" + "Keep the fleet moving. " * 900 + "&lt;/p&gt;"  # ~20 kB per posting
    body = greenhouse_board(*({"id": n, "content": description} for n in range(1, 1001)))
    assert len(body) > 20_000_000
    with FaultServer() as server:
        server.routes[GREENHOUSE] = Route(body, 200)
        code, status, items, stderr = crawl(tmp_path, server)
    assert code == 0, stderr
    assert status["complete"] is True and status["items"] == 1000 and len(items) == 1000


@pytest.mark.parametrize("content_type, encoding", [
    ("application/json; charset=utf-8", "utf-8"),
    ("application/json", "utf-8"),  # no charset
    ("text/plain", "utf-8"),  # no charset, and not even a JSON type
    ("application/json; charset=iso-8859-1", "utf-8"),  # wrong: the body is UTF-8
    ("text/html; charset=windows-1252", "utf-8"),  # wrong again
    ("application/json; charset=iso-8859-1", "latin-1"),  # right, and not UTF-8
    ("application/json; charset=utf-8", "latin-1"),  # wrong: the body is Latin-1
    ("application/json", "utf-8-sig"),  # a byte order mark before the JSON
])
def test_wrong_or_missing_charsets_still_give_the_right_text(tmp_path, content_type, encoding):
    title = "Ingénieure données, Zürich – Café"
    text = json.dumps({"jobs": [json.loads(greenhouse_board({"id": 1, "title": title}))["jobs"][0]]},
                      ensure_ascii=False)
    if encoding == "latin-1":
        text = text.replace("–", "-")  # not in Latin-1
        title = title.replace("–", "-")
    with FaultServer() as server:
        server.routes[GREENHOUSE] = Route(text.encode(encoding), 200, content_type)
        code, status, items, stderr = crawl(tmp_path, server)
    assert code == 0, stderr
    assert [item["title"] for item in items] == [title]


def test_postings_missing_required_fields_are_dropped_and_counted_the_rest_kept(tmp_path):
    board = json.loads(greenhouse_board({"id": 1}, {"id": 2}, {"id": 3}, {"id": 4}))
    board["jobs"][0]["title"] = "   "
    del board["jobs"][1]["absolute_url"]
    del board["jobs"][2]["id"]
    with FaultServer() as server:
        server.routes[GREENHOUSE] = Route(json.dumps(board).encode(), 200)
        code, status, items, stderr = crawl(tmp_path, server)
    assert code == 0, stderr
    assert [item["source_id"] for item in items] == ["4"]
    assert status["complete"] is True
    assert status["dropped"] == {"missing_title": 1, "missing_url": 1, "missing_source_id": 1}


def test_absurd_values_are_cleared_and_counted_the_posting_kept(tmp_path):
    lever = [
        {"id": "a", "text": "Driver", "hostedUrl": "https://jobs.example.test/a", "createdAt": 253402214400000,
         "salaryRange": {"min": -50000, "max": 60000, "currency": "EUR", "interval": "per-year-salary"}},
        {"id": "b", "text": "Cook", "hostedUrl": "https://jobs.example.test/b", "createdAt": 0,
         "salaryRange": {"min": 90000, "max": 30000, "currency": "EUR", "interval": "per-year-salary"}},
        {"id": "c", "text": "Nurse", "hostedUrl": "https://jobs.example.test/c", "createdAt": 1785000000000,
         "salaryRange": {"min": 40000, "max": 1e15, "currency": "EUR", "interval": "per-year-salary"}},
        {"id": "d", "text": "Baker", "hostedUrl": "https://jobs.example.test/d", "createdAt": 1785000000000,
         "salaryRange": {"min": 30000, "max": 35000, "currency": "EUR", "interval": "per-year-salary"}},
    ]
    with FaultServer() as server:
        server.routes["/v0/postings/brightwater"] = Route(json.dumps(lever).encode(), 200)
        code, status, items, stderr = run_crawl(tmp_path, "lever", "brightwater", server.url, *QUICK)
    assert code == 0, stderr
    by_id = {item["source_id"]: item for item in items}
    assert sorted(by_id) == ["a", "b", "c", "d"]
    assert by_id["a"]["posted_at"] is None and by_id["b"]["posted_at"] is None  # year 9999 and 1970
    assert (by_id["a"]["salary_min"], by_id["a"]["salary_max"]) == (None, 60000)
    assert (by_id["b"]["salary_min"], by_id["b"]["salary_max"], by_id["b"]["salary_currency"]) == (None, None, None)
    assert (by_id["c"]["salary_min"], by_id["c"]["salary_max"]) == (40000, None)
    assert (by_id["d"]["salary_min"], by_id["d"]["salary_max"], by_id["d"]["posted_at"]) == (
        30000, 35000, "2026-07-25T17:20:00Z")
    # The loader already refuses a negative amount; the pipeline catches what is absurd only in context.
    assert status["cleared"] == {"posted_at_out_of_range": 2, "salary_min_above_max": 1, "salary_out_of_range": 1}
    assert status["complete"] is True and status["dropped"] == {}


def test_control_sequences_are_stripped_from_every_text_field(tmp_path):
    board = greenhouse_board({"id": 1, "title": "Engineer\x1b[2J\x1b]0;pwned\x07 \u202eevil",
                              "location": {"name": "Berlin\x9b31m"},
                              "content": "&lt;p&gt;Line\x1b[31m red&lt;/p&gt;"})
    with FaultServer() as server:
        server.routes[GREENHOUSE] = Route(board, 200)
        code, status, items, stderr = crawl(tmp_path, server)
    assert code == 0, stderr
    [item] = items
    assert item["title"] == "Engineer[2J]0;pwned evil"
    assert item["locations"] == ["Berlin31m"] and item["description"] == "Line[31m red"
    assert status["cleared"] == {"control_characters": 1}
