"""The web app: pages, the Host check, the CSRF token, strict headers, and errors shown as pages."""

from __future__ import annotations

import logging
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import Response

from datahome.settings import Settings
from ui.errors import CsrfRejected, NotFound, WarehouseBusy
from ui.rendering import hidden_fields, render
from ui.security import CONTENT_SECURITY_POLICY, CsrfTokens, allowed_hosts

log = logging.getLogger("plenty.ui")


def create_app(settings: Settings, bind_host: str = "127.0.0.1", csrf: CsrfTokens | None = None) -> FastAPI:
    """The app over the data home of `settings`, answering only Host headers of `bind_host` or loopback."""
    from ui.pages import applications, companies, digests, home, rejections, search
    from ui.recommending import LiveRecommender

    app = FastAPI(title="plenty", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.csrf = csrf or CsrfTokens()
    app.state.live = LiveRecommender(settings)
    for page in (home, rejections, applications, companies, digests, search):
        app.include_router(page.router)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(bind_host))

    @app.middleware("http")
    async def strict_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/static/style.css")
    def style():
        css = resources.files("ui").joinpath("static", "style.css").read_text(encoding="utf-8")
        return Response(css, media_type="text/css")

    add_error_pages(app)
    return app


def add_error_pages(app: FastAPI) -> None:
    """Every error as a page of the app: what went wrong and what to do, never a traceback."""
    from datahome.errors import PlentyError
    from embeddings.errors import EmbeddingsError
    from warehouse.errors import UnknownRejection, WarehouseError, WarehouseLocked

    def page(request, status: int, title: str, message: str, retry: dict | None = None):
        return render(request, "error.html", status_code=status, title=title, message=message,
                      retry=hidden_fields(retry) if retry is not None else None)

    @app.exception_handler(CsrfRejected)
    async def csrf_rejected(request, exc):
        return page(request, 403, "Form refused", str(exc))

    @app.exception_handler(WarehouseBusy)
    @app.exception_handler(WarehouseLocked)
    async def busy(request, exc):
        retry = None
        if request.method == "POST":
            form = await request.form()
            retry = {k: str(v) for k, v in form.items()}
        return page(request, 503, "plenty is busy", str(exc), retry)

    @app.exception_handler(NotFound)
    @app.exception_handler(UnknownRejection)
    async def not_found(request, exc):
        return page(request, 404, "Not found", str(exc))

    @app.exception_handler(PlentyError)
    @app.exception_handler(WarehouseError)
    @app.exception_handler(EmbeddingsError)
    async def refused(request, exc):
        return page(request, 400, "That did not work", str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_address(request, exc):
        return page(request, 404, "Not found", "There is no such page here (an id in the address is not a number).")

    @app.exception_handler(HTTPException)
    async def http_error(request, exc):
        title = {404: "Not found", 405: "Not allowed"}.get(exc.status_code, "Error")
        message = "There is no such page here." if exc.status_code == 404 else str(exc.detail)
        return page(request, exc.status_code, title, message)

    @app.exception_handler(Exception)
    async def crashed(request, exc):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return page(request, 500, "Something broke",
                    f"An unexpected {type(exc).__name__} stopped this page; the details are in the terminal that "
                    "runs 'plenty ui'. Please report it as a bug.")
