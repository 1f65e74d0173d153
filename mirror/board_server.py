"""A local mirror of public job-board APIs, serving recorded or demo board files on 127.0.0.1.

Files are laid out as ``ROOT/<kind>/<board>.json`` and served at the path the real API uses
(``/v1/boards/<board>/jobs`` for Greenhouse, ...). Used by ``make demo`` and by the tests; it never
touches the network beyond loopback.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

# The real API path of a board for each source kind this mirror can serve.
API_PATHS = {
    "greenhouse": "/v1/boards/{board}/jobs",
    "lever": "/v0/postings/{board}",
    "ashby": "/posting-api/job-board/{board}",
}


@dataclass
class Route:
    """What the server answers at one path: a status, a content type and a body."""

    body: bytes
    status: int = 200
    content_type: str = "application/json; charset=utf-8"


class LoopbackServing:
    """Start, stop and name a threaded HTTP server on 127.0.0.1 answering with `handler()` (set `_httpd = None`)."""

    _httpd: ThreadingHTTPServer | None

    def handler(self) -> type[BaseHTTPRequestHandler]:
        """The request handler class."""
        raise NotImplementedError

    @property
    def url(self) -> str:
        """The origin to use as a source's ``api_base``."""
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        """Start serving on a free port of 127.0.0.1 in a daemon thread."""
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop the server and close its socket."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@dataclass
class BoardServer(LoopbackServing):
    """A threaded HTTP server on 127.0.0.1 with a table of routes keyed by URL path."""

    routes: dict[str, Route] = field(default_factory=dict)
    robots_txt: str | None = None
    requests: list[str] = field(default_factory=list)
    _httpd: ThreadingHTTPServer | None = None

    def handler(self) -> type[BaseHTTPRequestHandler]:
        """The request handler answering from the routes."""
        return _handler_for(self)

    def add_file(self, path: str, file: Path, content_type: str = "application/json; charset=utf-8") -> None:
        """Serve ``file`` at ``path``."""
        self.routes[path] = Route(Path(file).read_bytes(), 200, content_type)

    def add_board(self, kind: str, board: str, file: Path) -> None:
        """Serve a board file at the real API path of its source kind."""
        self.add_file(API_PATHS[kind].format(board=board), file)

    def add_tree(self, root: Path) -> list[tuple[str, str]]:
        """Serve every ``ROOT/<kind>/<board>.json``; returns the (kind, board) pairs served."""
        served = []
        for kind in API_PATHS:
            for file in sorted((Path(root) / kind).glob("*.json")):
                self.add_board(kind, file.stem, file)
                served.append((kind, file.stem))
        return served

    def answer(self, raw_path: str) -> Route:
        """The route for a request path (with query), applying Lever's skip/limit paging."""
        parts = urlsplit(raw_path)
        if parts.path == "/robots.txt":
            if self.robots_txt is None:
                return Route(b"not found", 404, "text/plain")
            return Route(self.robots_txt.encode(), 200, "text/plain")
        route = self.routes.get(raw_path) or self.routes.get(parts.path)
        if route is None:
            return Route(b'{"error": "not found"}', 404)
        query = parse_qs(parts.query)
        if parts.path.startswith("/v0/postings/") and ("skip" in query or "limit" in query):
            return _lever_page(route, query)
        return route


def _lever_page(route: Route, query: dict[str, list[str]]) -> Route:
    """Slice a Lever postings array as the real API does for ``skip`` and ``limit``; errors pass through."""
    postings = json.loads(route.body) if route.status == 200 else None
    if not isinstance(postings, list):
        return route
    skip = int(query.get("skip", ["0"])[0])
    limit = int(query.get("limit", ["0"])[0])
    # The real API returns everything for limit=0.
    page = postings[skip:] if limit == 0 else postings[skip : skip + limit]
    return Route(json.dumps(page).encode(), route.status, route.content_type)


def _handler_for(server: BoardServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            server.requests.append(self.path)
            route = server.answer(self.path)
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args) -> None:  # quiet: tests and demo print their own output
            return

    return Handler
