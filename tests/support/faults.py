"""A board mirror that misbehaves on request: error statuses, hangs, resets, cut bodies and slow answers.

``FaultServer`` is ``mirror.board_server.BoardServer`` with a table of faults keyed by URL path. A fault acts on
the first ``times`` requests of its path (every request when ``times`` is None); after that the path is served
normally, which is how a test shows that a retry recovered.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from urllib.parse import urlsplit

from mirror.board_server import BoardServer, _handler_for


@dataclass
class Fault:
    """How one path misbehaves.

    ``kind``: "status" (answer ``status`` with a small body), "hang" (accept, say nothing for ``seconds``, close),
    "reset" (close the connection with a TCP reset before answering), "cut" (promise more bytes than are sent,
    then close), "delay" (wait ``seconds``, then answer normally).
    """

    kind: str
    times: int | None = None
    status: int = 503
    seconds: float = 0.0
    hits: int = 0


@dataclass
class FaultServer(BoardServer):
    """A ``BoardServer`` whose paths can be made to fail; ``faults`` maps a URL path to its ``Fault``.

    A key with a query (``/v0/postings/x?mode=json&skip=100&limit=100``) matches only that exact request and wins
    over a key without one.
    """

    faults: dict[str, Fault] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> "FaultServer":
        """Start serving on a free port of 127.0.0.1 in a daemon thread."""
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _faulty_handler(self))
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def fault_for(self, raw_path: str) -> Fault | None:
        """The fault to apply to this request, counting it; None once the fault has run its ``times``."""
        with self._lock:
            fault = self.faults.get(raw_path) or self.faults.get(urlsplit(raw_path).path)
            if fault is None or (fault.times is not None and fault.hits >= fault.times):
                return None
            fault.hits += 1
            return fault

    def hits(self, path: str) -> int:
        """How many requests asked for ``path`` (query ignored), robots.txt excluded."""
        return sum(1 for p in self.requests if urlsplit(p).path == path)


def _faulty_handler(server: FaultServer):
    base = _handler_for(server)

    class Handler(base):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            fault = server.fault_for(self.path)
            if fault is None:
                return super().do_GET()
            if fault.kind == "delay":
                time.sleep(fault.seconds)
                return super().do_GET()  # records the request itself
            server.requests.append(self.path)
            if fault.kind == "status":
                body = b"<html><body>Service unavailable</body></html>"
                self.send_response(fault.status)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif fault.kind == "hang":
                time.sleep(fault.seconds)
                self.close_connection = True
            elif fault.kind == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
            elif fault.kind == "cut":
                body = server.answer(self.path).body
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
            else:
                raise ValueError(f"unknown fault kind {fault.kind!r}")

    return Handler
