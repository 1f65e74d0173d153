"""Pages from the Jinja2 templates in ui/templates: every value autoescaped, links only to http(s) addresses."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.responses import HTMLResponse

NAVIGATION = (("/", "Home"), ("/applications", "Applications"), ("/companies", "Companies"),
              ("/digests", "Digests"), ("/search", "Search"))


def safe_url(value: object) -> str | None:
    """A scraped link as an href: only http and https addresses (never javascript: or data:), else None."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) and not any(c in text for c in "\"'<> \n") else None


def percent(chance: object) -> str:
    """A 0..1 match chance as the percentage shown (`63 %`), "" for none."""
    from recommend.calibration import match_percent

    return "" if chance is None else f"{match_percent(float(chance))} %"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The template environment (autoescape on for every template)."""
    from display.match_line import age_of, salary_text

    env = Environment(loader=PackageLoader("ui", "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(safe_url=safe_url, percent=percent, salary=lambda s: salary_text(s) or "",
                       age=lambda moment: age_of(moment, date.today()) or "")
    env.globals["navigation"] = NAVIGATION
    return env


def render(request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    """The page `template` with `context`, the app's CSRF token and the current path."""
    page = environment().get_template(template).render(
        csrf=request.app.state.csrf.token, path=request.url.path, **context)
    return HTMLResponse(page, status_code=status_code)


def hidden_fields(fields: dict) -> Markup:
    """Form fields as hidden inputs (to send a refused form again), escaped."""
    from markupsafe import escape

    return Markup("".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in fields.items()))
