"""While a nightly runs: a form is refused clearly when the warehouse stays locked, and can be sent again; the home
page shows how far the nightly is."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from starlette.testclient import TestClient

from datahome.lock import run_lock
from datahome.night_progress import write_night_progress
from datahome.settings import load_settings
from tests.support.fake_model import fake_model  # noqa: F401
from tests.ui.world import csrf_of, import_world
from ui import store
from ui.app import create_app

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("select 1")
print("holding", flush=True)
sys.stdin.readline()
con.close()
"""


@pytest.fixture
def client(home, tmp_path, fake_model):  # noqa: F811
    import_world(tmp_path)
    with TestClient(create_app(load_settings()), base_url="http://127.0.0.1") as test_client:
        yield test_client


def test_a_form_sent_while_another_process_holds_the_warehouse_is_refused_then_sent_again(client, monkeypatch):
    monkeypatch.setattr(store, "WAIT_SECONDS", 1.0)
    token = csrf_of(client.get("/").text)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(load_settings().db_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        form = {"csrf": token, "title": "ICU Nurse", "company": "Northside", "text": "ICU nursing."}
        refused = client.post("/rejections", data=form)
        assert refused.status_code == 503 and "plenty is busy" in refused.text and "nothing was changed" in refused.text
        assert "Try again" in refused.text and 'name="title" value="ICU Nurse"' in refused.text
    finally:
        holder.communicate("\n", timeout=60)
    again = client.post("/rejections", data=form, follow_redirects=False)
    assert again.status_code == 303
    home = client.get("/").text
    assert home.count("ICU Nurse</strong>") == 1  # stored once, by the second send


def test_the_home_page_shows_a_running_nightly_and_its_progress(client):
    settings = load_settings()
    assert "Nightly run in progress" not in client.get("/").text
    with run_lock(settings.home / "nightly.lock", "plenty nightly"):
        write_night_progress(settings.home, "crawling", "crawled 12/40 boards, 310 postings, about 3 min left")
        page = client.get("/").text
        assert "Nightly run in progress" in page and "crawled 12/40 boards" in page
        assert 'http-equiv="refresh"' in page
        assert client.get("/nightly").json()["step"] == "crawling"
    time.sleep(0.1)
    assert "Nightly run in progress" not in client.get("/").text
    assert "Next nightly:" in client.get("/").text
