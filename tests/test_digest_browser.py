"""The digest's HTML in a real headless Chromium: it renders, shows the week's matches, and runs no injected script."""

from __future__ import annotations

import struct
import subprocess
import zlib
from datetime import date
from pathlib import Path

import pytest

from tests.test_digest_support import HOSTILE_TITLE, hostile_world, settings, world  # noqa: F401

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


def png_pixels(path: Path) -> tuple[int, int, int, list[bytes]]:
    """Width, height, channels and the RGB(A) scanlines of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        chunk = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0
    channels = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


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
    width, height, channels, rows = png_pixels(shot)
    assert (width, height) == (800, 1100)
    pixels = [row[x:x + 3] for row in rows[::3] for x in range(0, len(row), channels * 3)]
    assert len(set(pixels)) > 20, "the screenshot is nearly one colour: nothing rendered"
    assert sum(1 for p in pixels if sum(p) < 250) > 200, "no dark text pixels in the screenshot"
    assert rows[2][:3] == bytes.fromhex("f3f4f1")  # the page background, so the styles were applied
