"""Every week's digest as it was delivered: the list, and one week's HTML as written then."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from ui.errors import NotFound
from ui.rendering import render
from ui.store import warehouse

router = APIRouter()


def delivered(con) -> list[dict]:
    """The delivered digests, newest week first."""
    from warehouse.db import fetch_dicts

    return fetch_dicts(con.execute("select * from digests order by week desc"))


@router.get("/digests")
def digests(request: Request):
    """The weeks whose digest was delivered."""
    with warehouse(request.app.state.settings) as con:
        weeks = delivered(con)
    return render(request, "digests.html", weeks=weeks)


def digest_file(request: Request, week: str) -> Path:
    """The HTML file of a delivered week's digest; only a file the warehouse records, inside the data home."""
    settings = request.app.state.settings
    with warehouse(settings) as con:
        row = next((w for w in delivered(con) if w["week"] == week), None)
    path = Path(row["html_path"]).resolve() if row and row.get("html_path") else None
    if path is None or not path.is_file() or settings.home.resolve() not in path.parents:
        raise NotFound(f"no digest was kept for week {week!r}")
    return path


@router.get("/digests/{week}")
def digest_page(request: Request, week: str):
    """One week's digest, shown as delivered."""
    digest_file(request, week)
    return render(request, "digest.html", week=week)


@router.get("/digests/{week}/html")
def digest_html(request: Request, week: str):
    """The digest's own HTML (shown in a sandboxed frame of the digest page)."""
    response = HTMLResponse(digest_file(request, week).read_text(encoding="utf-8", errors="replace"))
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return response
