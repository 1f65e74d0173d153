"""The web app in a real headless Chromium (Debian's, driven by Playwright without a downloaded browser), over a
small real world: the demo boards served on 127.0.0.1, read by a nightly with the packaged model. The loop of the
product, clicked through: record a rejection, see its matches, mark one applied, move it to interviewing, then to
rejected, and see the new rejection's matches. A screenshot of each page is kept under build/ui-screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo.__main__ import DEMO, write_demo_sources
from mirror.board_server import BoardServer
from tests.ui.test_cli_ui import serving_ui

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "build" / "ui-screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.model]


@pytest.fixture
def world(home, tmp_path, prefect_harness):
    """A data home after one nightly over the demo boards."""
    from flows.nightly import nightly_flow

    with BoardServer() as server:
        server.add_tree(DEMO / "boards")
        report = nightly_flow(sources_file=str(write_demo_sources(tmp_path / "sources.toml", server.url)),
                              home=str(home))
    assert report.failed_sources == [] and report.index_added > 100
    return home


@pytest.fixture
def app_url(world):
    with serving_ui(world) as (url, _):
        yield url


@pytest.fixture
def page():
    if not CHROMIUM.exists():
        pytest.skip("headless chromium is not installed (/usr/bin/chromium; Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        # Generous: the first pages load the model (a few seconds on a busy 2-core machine); not a timing check.
        context.set_default_timeout(180_000)
        requests = []
        context.on("request", lambda request: requests.append(request.url))
        yield context.new_page()
        browser.close()
    assert all(url.startswith("http://127.0.0.1:") for url in requests), [u for u in requests
                                                                           if not u.startswith("http://127.0.0.1:")]


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_loop_of_the_product_in_a_browser(app_url, page):
    page.goto(app_url + "/")
    assert "No rejection recorded yet" in page.content()
    form = page.locator("#record-rejection")
    form.locator("input[name=title]").fill("Senior Backend Engineer, Payments Platform")
    form.locator("input[name=company]").fill("Ledgerline")
    form.locator("textarea[name=text]").fill((DEMO / "rejection.md").read_text(encoding="utf-8"))
    form.locator("input[name=stage]").fill("onsite")
    form.locator("button[type=submit]").click()

    page.wait_for_url("**/rejections/1")
    matches = page.locator("li.match")
    assert matches.count() >= 5
    titles = [matches.nth(i).locator(".title").inner_text() for i in range(5)]
    assert sum("Engineer" in t for t in titles) >= 4, titles
    assert "%" in matches.first.locator(".score").inner_text()
    assert matches.first.locator(".why").count() == 1
    shot(page, "rejection")

    chosen = matches.first.get_attribute("data-posting")
    chosen_title = titles[0]
    matches.first.locator("button[data-mark=applied]").click()
    page.wait_for_url("**/rejections/1")
    page.goto(app_url + "/applications")
    applied = page.locator(f'section[data-stage=applied] article[data-posting="{chosen}"]')
    assert applied.count() == 1
    applied.locator("select[name=stage]").select_option("interviewing")
    applied.locator("button[type=submit]").click()
    page.wait_for_url("**/applications")
    interviewing = page.locator(f'section[data-stage=interviewing] article[data-posting="{chosen}"]')
    assert interviewing.count() == 1
    shot(page, "applications")
    interviewing.locator("select[name=stage]").select_option("rejected")
    interviewing.locator("button[type=submit]").click()

    page.wait_for_url("**/rejections/2")
    assert chosen_title in page.locator("h1").inner_text()
    new_matches = page.locator("li.match")
    assert new_matches.count() >= 5
    shown = [new_matches.nth(i).get_attribute("data-posting") for i in range(new_matches.count())]
    assert chosen not in shown  # applied to: never suggested again
    shot(page, "rejection-from-application")

    page.goto(app_url + "/")
    assert page.locator("li.rejection").count() == 2
    shot(page, "home")
    page.goto(app_url + "/companies?rejection=1")
    assert page.locator("ol.companies > li").count() >= 1
    shot(page, "companies")
    page.locator("ol.companies > li a").first.click()
    assert page.locator("li.match").count() >= 1
    shot(page, "company")
    page.goto(app_url + "/search?q=ICU+nurse&remote=on")
    assert page.locator("li.match").count() >= 1 and "Filters: remote" in page.content()
    shot(page, "search")
    page.goto(app_url + "/digests")
    shot(page, "digests")
    for name in ("rejection", "applications", "home", "companies", "company", "search", "digests"):
        assert (SHOTS / f"{name}.png").stat().st_size > 10_000
