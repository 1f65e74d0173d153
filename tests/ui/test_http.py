"""The web app's HTTP layer in-process (Starlette's test client) over a real warehouse and index built with the
hashing encoder: pages, the loop of the applications board, and the security checks."""

from __future__ import annotations

import html

import pytest
from starlette.testclient import TestClient

from datahome.settings import load_settings
from tests.support.fake_model import fake_model  # noqa: F401
from tests.ui.world import HOSTILE_TITLE, csrf_of, import_world, posting_ids
from ui.app import create_app

HOST = "http://127.0.0.1"


@pytest.fixture
def client(home, tmp_path, fake_model):  # noqa: F811
    import_world(tmp_path)
    with TestClient(create_app(load_settings()), base_url=HOST) as test_client:
        yield test_client


@pytest.fixture
def token(client) -> str:
    return csrf_of(client.get("/").text)


def record(client, token, **fields):
    form = {"csrf": token, "title": "ICU Nurse", "company": "Northside Hospital",
            "text": "Intensive care nursing with ventilated patients.", **fields}
    return client.post("/rejections", data=form, follow_redirects=False)


def test_a_foreign_host_header_is_refused(client):
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing(client, token):
    without = client.post("/rejections", data={"title": "ICU Nurse", "company": "X", "text": "y"})
    wrong = client.post("/rejections", data={"csrf": "0" * 64, "title": "ICU Nurse", "company": "X", "text": "y"})
    foreign = client.post("/rejections", data={"csrf": token, "title": "ICU Nurse", "company": "X", "text": "y"},
                          headers={"Origin": "https://attacker.example"})
    for response in (without, wrong, foreign):
        assert response.status_code == 403 and "Form refused" in response.text
        assert "Traceback" not in response.text
    assert "No rejection recorded yet" in client.get("/").text


def test_a_hostile_posting_renders_as_text_and_its_broken_out_link_is_dropped(client):
    page = client.get("/search", params={"q": "data engineer python pipelines"}).text
    assert html.escape(HOSTILE_TITLE, quote=False) in page or "&lt;script&gt;" in page
    assert "<script" not in page.lower() and "onerror=alert" not in page.replace("onerror=alert(3)&gt;", "")
    assert "jobs.example.org/evil" not in page and "<b>Corp</b>" not in page
    assert "Evil &lt;b&gt;Corp&lt;/b&gt;" in page


def test_recording_a_rejection_shows_its_matches_at_once(client, token):
    response = record(client, token)
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "ICU Nurse" in page and "Northside Hospital" in page
    ids = posting_ids(page)
    assert ids, page
    assert "Nurse" in page.split('class="match"')[1]  # the best match is a nursing role
    home = client.get("/").text
    assert "ICU Nurse" in home and "0 new" in home  # everything was shown on the visit just made


def test_the_applications_loop_records_a_rejection_from_the_posting(client, token):
    first = client.get(record(client, token).headers["location"])
    posting = posting_ids(first.text)[0]
    applied = client.post(f"/postings/{posting}/mark", data={"csrf": token, "mark": "applied", "next": "/"},
                          follow_redirects=False)
    assert applied.status_code == 303 and applied.headers["location"] == "/"
    board = client.get("/applications").text
    assert f'data-posting="{posting}"' in board.split('data-stage="applied"')[1].split('data-stage=')[0]
    assert client.post(f"/applications/{posting}", data={"csrf": token, "stage": "interviewing"}).status_code == 200
    board = client.get("/applications").text
    assert f'data-posting="{posting}"' in board.split('data-stage="interviewing"')[1].split('data-stage=')[0]

    moved = client.post(f"/applications/{posting}", data={"csrf": token, "stage": "rejected"}, follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/rejections/2"
    second = client.get("/rejections/2").text
    assert posting_ids(second) and posting not in posting_ids(second)  # applied: never suggested again
    from warehouse.db import connect

    with connect(load_settings().db_path) as con:
        title, company, text = con.execute(
            "select title, company_name, text from rejections where rejection_id = 2").fetchone()
        marks = con.execute("select mark from current_marks where posting_id = $p", {"p": posting}).fetchall()
    assert title in first.text and company and text
    assert marks == [("applied",)]
    from click.testing import CliRunner

    from cli.main import cli

    listed = CliRunner().invoke(cli, ["matches", "--rejection", "1"]).output  # the CLI sees the app's mark
    assert f"id {posting}  [applied]" in listed
    assert "Rejection 2:" in CliRunner().invoke(cli, ["matches"]).output
    # Moving it to rejected again records no second rejection.
    client.post(f"/applications/{posting}", data={"csrf": token, "stage": "offer"})
    client.post(f"/applications/{posting}", data={"csrf": token, "stage": "rejected"})
    assert "/rejections/3" not in client.get("/").text


def test_journal_edits_land_in_the_warehouse(client, token):
    page = record(client, token).headers["location"]
    client.post(f"{page}/contact", data={"csrf": token, "name": "Dana Doe", "email": "dana@example.org"})
    client.post(f"{page}/feedback", data={"csrf": token, "text": "More ICU years wanted.", "date": "2026-11-20"})
    client.post(f"{page}/review", data={"csrf": token, "went_well": "rapport", "went_wrong": "nerves",
                                        "tags": "nervousness"})
    shown = client.get(page).text
    for text in ("Dana Doe", "dana@example.org", "More ICU years wanted.", "rapport", "nervousness"):
        assert text in shown
    assert "Dana Doe" in shown.split('id="drafts"')[1]  # the drafts use the contact
    bad = client.post(f"{page}/contact", data={"csrf": token, "name": "x", "email": "not an address"})
    assert bad.status_code == 400 and "Traceback" not in bad.text


def test_bad_input_and_unknown_pages_are_pages_not_tracebacks(client, token):
    for path, status in (("/rejections/99", 404), ("/rejections/abc", 404), ("/nowhere", 404),
                         ("/static/", 404), ("/companies/nobody", 404), ("/digests/2026-W01", 404)):
        response = client.get(path)
        assert response.status_code == status, path
        assert "Traceback" not in response.text and "<h1>" in response.text
    empty = record(client, token, title="  ")
    assert empty.status_code == 400 and "title" in empty.text
    future = record(client, token, date="2999-01-01")
    assert future.status_code == 400 and "date" in future.text
    assert client.get("/search", params={"q": "nurse", "seniority": "wizard"}).status_code == 400
    assert client.post("/applications/1", data={"csrf": token, "stage": "hired"}).status_code == 400


def test_every_page_answers_on_a_fresh_data_home(home, fake_model):  # noqa: F811
    with TestClient(create_app(load_settings()), base_url=HOST) as fresh:
        for path in ("/", "/applications", "/companies", "/digests", "/search", "/search?q=nurse"):
            response = fresh.get(path)
            assert response.status_code == 200, (path, response.text[-500:])
        assert "No rejection recorded yet" in fresh.get("/").text
        token = csrf_of(fresh.get("/").text)
        recorded = fresh.get(record(fresh, token).headers["location"]).text
        assert "No matches yet" in recorded


def test_pages_carry_strict_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_each_delivered_digest_is_shown_as_it_was_written(client, token):
    from digest.run import run_digest

    record(client, token)
    assert "No digest yet" in client.get("/digests").text
    result = run_digest(load_settings())
    listing = client.get("/digests").text
    assert f'href="/digests/{result.week}"' in listing
    page = client.get(f"/digests/{result.week}")
    assert page.status_code == 200 and f'src="/digests/{result.week}/html"' in page.text and "sandbox" in page.text
    framed = client.get(f"/digests/{result.week}/html")
    assert framed.status_code == 200 and framed.text == result.html_path.read_text(encoding="utf-8")
    assert "ICU Nurse" in framed.text and framed.headers["content-security-policy"].startswith("default-src 'none'")
    for other in ("2020-W01", "..%2F..%2Fplenty.duckdb", "%2Fetc%2Fpasswd"):
        assert client.get(f"/digests/{other}/html").status_code == 404
