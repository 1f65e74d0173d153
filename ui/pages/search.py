"""Search: free text with the same filters as `plenty similar`."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ui.forms import field, filters_from_form
from ui.rendering import render

router = APIRouter()


@router.get("/search")
def search(request: Request):
    """The search form, and with `q` its similar openings and companies."""
    form = dict(request.query_params)
    query = field(form, "q")
    result, filters = None, None
    if query:
        filters = filters_from_form(form)
        result = request.app.state.live.search(query, filters)
    return render(request, "search.html", form=form, query=query, result=result,
                  filters=filters.describe() if filters is not None and filters.active else None)
