"""Similar companies for a rejection (each with its matching openings), and a company's own page."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ui.errors import NotFound
from ui.rendering import render
from ui.store import warehouse

router = APIRouter()


@router.get("/companies")
def companies(request: Request, rejection: int | None = None):
    """The companies hiring most like a rejection (the newest active one unless `rejection` is given)."""
    from warehouse.rejections import get_rejection, list_rejections

    app = request.app
    with warehouse(app.state.settings) as con:
        active = sorted(list_rejections(con), key=lambda r: -r["rejection_id"])
        chosen = get_rejection(con, rejection) if rejection is not None else (active[0] if active else None)
    result = app.state.live.for_rejection(chosen) if chosen else None
    return render(request, "companies.html", rejections=active, chosen=chosen,
                  companies=result.companies if result else [])


@router.get("/companies/{company_id}")
def company(request: Request, company_id: str):
    """A company: its open postings, and the companies hiring most like it."""
    from recommend.errors import UnknownCompany
    from recommend.recommender import salary_of
    from warehouse.postings import company_details, company_open_postings

    app = request.app
    with warehouse(app.state.settings) as con:
        found = [c for c in company_details(con, [company_id]) if c]
        if not found:
            raise NotFound(f"no company {company_id!r} among the postings plenty has read")
        openings = [{**p, "salary": salary_of(p)} for p in company_open_postings(con, company_id)]
    try:
        alike = app.state.live.get().companies_like(company_id)[1]
    except UnknownCompany:  # its postings closed since the page was linked
        alike = []
    return render(request, "company.html", company=found[0], openings=openings, alike=alike)
