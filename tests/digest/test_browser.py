"""The digest's HTML in a real headless Chromium: it renders, shows the week's matches, and runs no injected script."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from tests.support.digest_world import HOSTILE_TITLE, hostile_world, settings, world  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]

pytestmark = pytest.mark.browser


def chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess:
    if not CHROMIUM.exists():
        pytest.skip("headless chromium is not installed (/usr/bin/chromium; Debian package 'chromium')")
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    # Generous timeout: the first start on a busy 2-core CI box can take a while; this is not a timing assertion.
    return subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *arguments], capture_output=True,
                          text=True, timeout=300, check=False)


def test_chromium_renders_the_digest_with_its_matches_and_no_script(world, tmp_path):  # noqa: F811
    prepared = hostile_world(world).prepared(date(2026, 11, 16))
    page = prepared.html_path.resolve().as_uri()

    dom = chromium(tmp_path, "--dump-dom", page)
    assert dom.returncode == 0, dom.stderr[-2000:]
    for title in ("Data Engineer", "Senior Data Engineer", "Because you were turned down for"):
        assert title in dom.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Data Engineer" in dom.stdout  # shown as text, not run
    assert "<script" not in dom.stdout.lower() and "<img" not in dom.stdout.lower()
    assert "Similar companies:" in dom.stdout and "Saved postings" in dom.stdout
    assert HOSTILE_TITLE not in dom.stdout

    shot = tmp_path / "digest.png"
    result = chromium(tmp_path, f"--screenshot={shot}", "--window-size=800,1100", page)
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    with Image.open(shot) as image:
        picture = image.convert("RGB")
    assert picture.size == (800, 1100)
    pixels = [picture.getpixel((x, y)) for y in range(0, 1100, 3) for x in range(0, 800, 3)]
    assert len(set(pixels)) > 20, "the screenshot is nearly one colour: nothing rendered"
    assert sum(1 for p in pixels if sum(p) < 250) > 200, "no dark text pixels in the screenshot"
    assert picture.getpixel((0, 2)) == (0xF3, 0xF4, 0xF1)  # the page background, so the styles were applied
