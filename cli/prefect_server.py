"""Prefect's temporary server, started by plenty as early as possible rather than by Prefect's client on first use.

Without ``PREFECT_API_URL`` Prefect starts the same server (its API app under uvicorn, in a child process, UI and
schedulers off) the first time a flow needs the API. Then the flow process first imports Prefect's server code
only to launch it (about 2 s of CPU) and waits its whole start-up (another 4-5 s on 2 cores) before anything
else happens. Started here, before the flow's modules are imported, the server comes up while this process goes on
with its own start-up, and the flow process never imports the server code.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from cli.errors import PrefectUnavailable

# uvicorn exits with 3 when it cannot bind the port (another process took the free port meanwhile), and also when
# the app fails to start; only the first is worth another try.
_PORT_TAKEN = 3


class TemporaryPrefectServer:
    """Prefect's API server in a child process on a free port of 127.0.0.1, started at once."""

    def __init__(self) -> None:
        self._log = tempfile.TemporaryFile()
        self.port = _free_port()
        self._process = self._spawn()

    @property
    def api_url(self) -> str:
        """The URL to give Prefect as ``PREFECT_API_URL``."""
        return f"http://127.0.0.1:{self.port}/api"

    def _spawn(self) -> subprocess.Popen:
        import importlib.util

        # The command and switches Prefect's own temporary server uses (prefect.server.api.server), found without
        # importing Prefect: that import is the cost this module saves.
        prefect_dir = Path(importlib.util.find_spec("prefect").origin).parent
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        env.pop("PREFECT_API_URL", None)
        return subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect_dir.parent), "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "error", "--lifespan", "on"],
            env=env, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )  # fmt: skip

    def wait_ready(self, timeout: float) -> None:
        """Return once the server answers its health check; raise `PrefectUnavailable` if it exits or is not up
        within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            code = self._process.poll()
            if code == _PORT_TAKEN and "address already in use" in self._output().lower():
                self._log.seek(0)
                self._log.truncate()
                self.port = _free_port()
                self._process = self._spawn()
            elif code is not None:
                raise PrefectUnavailable(f"Prefect's temporary server exited with code {code}: {self._output()}; "
                                         "run 'prefect server start' and set PREFECT_API_URL to use a running one")
            elif _healthy(self.api_url):
                return
            if time.monotonic() > deadline:
                self.stop()
                raise PrefectUnavailable(
                    f"Prefect's temporary server did not start within {timeout:g} s (the machine may be "
                    "overloaded); retry, raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, or run "
                    "'prefect server start' and set PREFECT_API_URL")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (it keeps nothing that plenty needs) and wait for it."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._log.close()

    def _output(self) -> str:
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
        return " | ".join(lines[-3:]) or "no output"


def _die_with_parent() -> None:
    """In the child before exec: have Linux stop the server when plenty dies, even by SIGKILL."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=5) as answer:
            return answer.status == 200
    except (OSError, urllib.error.URLError):
        return False


@contextmanager
def prefect_api() -> Iterator[TemporaryPrefectServer | None]:
    """Use the Prefect server in ``PREFECT_API_URL`` when one is set; else start a temporary one now, point
    ``PREFECT_API_URL`` at it, and stop it on the way out.

    Yields the temporary server (call ``wait_ready`` before the first flow) or None. Once ``prefect`` is imported
    its settings are fixed, so then nothing is started here and Prefect starts its own server when needed.
    """
    if os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules:
        yield None
        return
    server = TemporaryPrefectServer()
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        yield server
    finally:
        drain_prefect_workers()
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()


def drain_prefect_workers(timeout: float = 120) -> None:
    """Let Prefect's background workers send the logs and events they still hold, before the server they send to
    stops; otherwise they try at exit, meet a closed port and print "All connection attempts failed" (Prefect's
    own test harness drains them the same way)."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        try:
            worker.drain_all(timeout=timeout, at_exit=False)
        except RuntimeError:  # a worker that never started
            pass

