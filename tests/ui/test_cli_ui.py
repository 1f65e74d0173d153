"""`plenty ui` as a process: it serves on loopback, refuses foreign Host headers, says so when the port is taken,
and warns before listening on another interface."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli

PLENTY = Path(sys.executable).with_name("plenty")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    """Until `url` answers (generous: a busy CI machine starts Python slowly; not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        try:
            urllib.request.urlopen(url, timeout=10).close()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {seconds} s")


@contextmanager
def serving_ui(home: Path) -> Iterator[tuple[str, dict]]:
    """`plenty ui` on a free port over `home` until the block ends: (its address, and after the block its
    output as {"out": ..., "err": ...}); it never prints a traceback."""
    port = free_port()
    process = subprocess.Popen([str(PLENTY), "ui", "--port", str(port)], env={**os.environ, "PLENTY_HOME": str(home)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    output: dict = {}
    try:
        wait_for(f"http://127.0.0.1:{port}/", process)
        yield f"http://127.0.0.1:{port}", output
    finally:
        process.terminate()
        output["out"], output["err"] = process.communicate(timeout=60)
    assert "Traceback" not in output["err"], output["err"][-3000:]


def test_plenty_ui_serves_loopback_and_refuses_a_foreign_host(home):
    with serving_ui(home) as (url, output):
        with urllib.request.urlopen(f"{url}/", timeout=30) as page:
            assert "Your rejections" in page.read().decode()
        port = url.rsplit(":", 1)[1]
        request = urllib.request.Request(f"{url}/", headers={"Host": f"rebind.example:{port}"})
        try:
            urllib.request.urlopen(request, timeout=30)
            raise AssertionError("a foreign Host header was answered")
        except urllib.error.HTTPError as refused:
            assert refused.code == 400
    assert f"{url}/" in output["out"]


def test_a_taken_port_is_a_one_line_error(home):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = CliRunner().invoke(cli, ["ui", "--port", str(taken.getsockname()[1])])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot listen on 127.0.0.1:") and "--port" in result.output


def test_another_interface_is_warned_about_before_listening(home):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        result = CliRunner().invoke(cli, ["ui", "--host", "0.0.0.0", "--port", str(taken.getsockname()[1])])
    assert "Warning: listening on 0.0.0.0" in result.output and "no login" in result.output
    assert result.exit_code == 1  # the port was taken, so it never served
