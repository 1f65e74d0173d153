"""Render one company (a demo company, or a fleet board's) as the exact response body of the Greenhouse, Lever or
Ashby public API. A job may carry its own ``id``; otherwise ids derive from the board, title and place.

Field names, nesting and value conventions follow the real responses recorded in
``../shared/data/fixtures/ats-2026/``: Greenhouse's entity-escaped ``content``, Lever's
epoch-millisecond ``createdAt`` and ``lists``, Ashby's ``isListed`` and ``compensation`` objects.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta, timezone

from mirror.render import (
    ANCHOR,
    EMPLOYMENT,
    PERIODS,
    PLACES,
    digest,
    list_html,
    locations,
    money,
    paragraphs_html,
    postal_address,
    posted_at,
    sections,
    site_url,
    stable_uuid,
    to_html,
    to_plain,
)


def board_offset(company: dict) -> timezone:
    """The time zone a company's Greenhouse account stamps its dates in."""
    hours, _, minutes = company.get("utc_offset", "+00:00").partition(":")
    sign = -1 if hours.startswith("-") else 1
    return timezone(sign * timedelta(hours=abs(int(hours)), minutes=int(minutes or 0)))


def greenhouse_escape(text: str) -> str:
    """Escape HTML the way the Greenhouse board API does (``&lt;p&gt;``, ``&quot;``, ``&#39;``)."""
    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


def greenhouse_job(company: dict, job: dict, index: int) -> dict:
    """One job of ``GET /v1/boards/{board}/jobs?content=true``."""
    job_id = job.get("id") or 4_000_000_002 + digest(company["board"], job["title"], job["location"]) % 899_999 * 1000
    parts = sections(company, job)
    body = f'<div class="content-intro">{paragraphs_html(parts[0][1])}</div>' + to_html(parts[1:])
    if company.get("eeo"):
        body += f'<div class="content-conclusion">{paragraphs_html(company["eeo"])}</div>'
    published = posted_at(company, job).astimezone(board_offset(company))
    updated = min(published + timedelta(days=digest(job["title"]) % 9, hours=3), ANCHOR)
    places = locations(job)
    metadata = None
    if company.get("metadata", False):
        metadata = [
            {
                "id": 4_100_000_002 + index,
                "name": "Employment Type",
                "value": EMPLOYMENT[job.get("type", "full-time")][0],
                "value_type": "single_select",
            }
        ]
    return {
        "absolute_url": f"{site_url(company)}/careers/jobs/{job_id}?gh_jid={job_id}",
        "data_compliance": [
            {
                "type": "gdpr",
                "requires_consent": False,
                "requires_processing_consent": False,
                "requires_retention_consent": False,
                "retention_period": None,
                "demographic_data_consent_applies": False,
            }
        ],
        "internal_job_id": job_id - 1_000_000_000,
        "location": {"name": "; ".join(places)},
        "metadata": metadata,
        "id": job_id,
        "updated_at": updated.astimezone(board_offset(company)).isoformat(timespec="seconds"),
        "requisition_id": str(1000 + digest(job["title"]) % 9000),
        "title": job["title"],
        "company_name": company["company"],
        "first_published": published.isoformat(timespec="seconds"),
        "language": "en",
        "application_deadline": None,
        "content": greenhouse_escape(body),
        "departments": [
            {
                "id": 4_050_000_007 + digest(company["board"], job["department"]) % 99_999 * 1000,
                "name": job["department"],
                "child_ids": [],
                "parent_id": None,
            }
        ],
        "offices": [
            {
                "id": 4_060_000_007 + digest(company["board"], place) % 99_999 * 1000,
                "name": PLACES[place][0] or "Remote",
                "location": place,
                "child_ids": [],
                "parent_id": None,
            }
            for place in places
        ],
        "ai_disclaimer": None,
        "include_ai_disclaimer": None,
        "ai_opt_out_request_url": None,
    }


def greenhouse_board(company: dict) -> dict:
    """The whole Greenhouse response: ``{"jobs": [...], "meta": {"total": n}}``."""
    jobs = [greenhouse_job(company, job, i) for i, job in enumerate(company["job"])]
    return {"jobs": jobs, "meta": {"total": len(jobs)}}


def lever_job(company: dict, job: dict) -> dict:
    """One posting of ``GET /v0/postings/{site}?mode=json``."""
    posting_id = job.get("id") or stable_uuid(company["board"], job["title"], job["location"])
    parts = sections(company, job)
    opening, role, lists, offer = parts[0], parts[1], parts[2:-1], parts[-1]
    url = f"{site_url(company)}/{company['board']}/{posting_id}"
    places = locations(job)
    posting = {
        "additionalPlain": to_plain([offer]),
        "additional": to_html([offer]),
        "categories": {
            "commitment": EMPLOYMENT[job.get("type", "full-time")][0],
            "department": job["department"],
            "location": places[0],
            "team": job.get("team", job["department"]),
            "allLocations": places,
        },
        "createdAt": int(posted_at(company, job).timestamp() * 1000),
        "descriptionPlain": to_plain([opening, role]),
        "description": to_html([opening, role]),
        "id": posting_id,
        "lists": [{"text": heading, "content": "\n" + list_html(items)[4:-5]} for heading, items in lists],
        "text": job["title"],
        "workplaceType": job.get("workplace", "onsite"),
        "opening": to_html([opening]),
        "openingPlain": to_plain([opening]),
        "descriptionBody": to_html([role]),
        "descriptionBodyPlain": to_plain([role]),
        "hostedUrl": url,
        "applyUrl": f"{url}/apply",
    }
    country = PLACES[places[0]][3]
    if country:
        posting["country"] = country
    if "salary" in job:
        low, high, currency, period = job["salary"]
        posting["salaryRange"] = {"interval": PERIODS[period][0], "currency": currency, "min": low, "max": high}
        note = "Final pay depends on experience and location; the range above is what we expect to offer."
        posting["salaryDescription"] = f"<div>{note}</div>"
        posting["salaryDescriptionPlain"] = note
    return posting


def lever_board(company: dict) -> list[dict]:
    """The whole Lever response: a JSON array of postings, newest first."""
    postings = [lever_job(company, job) for job in company["job"]]
    return sorted(postings, key=lambda p: -p["createdAt"])


def ashby_compensation(company: dict, job: dict) -> dict:
    """Ashby's ``compensation`` object (empty tiers when the posting publishes no pay)."""
    if "salary" not in job:
        return {
            "compensationTierSummary": None,
            "scrapeableCompensationSalarySummary": None,
            "compensationTiers": [],
            "summaryComponents": [],
        }
    low, high, currency, period = job["salary"]
    suffix = "" if period == "year" else f" per {period}"
    summary = f"{short_money(low, currency)} – {short_money(high, currency)}{suffix}"
    salary = {
        "compensationType": "Salary",
        "interval": PERIODS[period][1],
        "currencyCode": currency,
        "minValue": low,
        "maxValue": high,
    }
    components = [{"id": stable_uuid(company["board"], job["title"], "salary"), "summary": summary, **salary}]
    tier_summary = summary
    if job.get("equity"):
        components.append(
            {
                "id": stable_uuid(company["board"], job["title"], "equity"),
                "summary": "Offers Equity",
                "compensationType": "EquityPercentage",
                "interval": "NONE",
                "currencyCode": None,
                "minValue": None,
                "maxValue": None,
            }
        )
        tier_summary += " • Offers Equity"
    return {
        "compensationTierSummary": tier_summary,
        "scrapeableCompensationSalarySummary": summary.replace("–", "-"),
        "compensationTiers": [
            {
                "id": stable_uuid(company["board"], job["title"], "tier"),
                "tierSummary": tier_summary,
                "title": "",
                "additionalInformation": None,
                "components": components,
            }
        ],
        "summaryComponents": [salary],
    }


def short_money(amount: float, currency: str) -> str:
    """Ashby's compact figures: "€72K" for yearly pay, "$38.50" for hourly."""
    if amount >= 1000 and amount % 1000 == 0:
        return money(amount // 1000, currency) + "K"
    return money(amount, currency)


def ashby_job(company: dict, job: dict) -> dict:
    """One job of ``GET /posting-api/job-board/{board}?includeCompensation=true``."""
    job_id = job.get("id") or stable_uuid(company["board"], job["title"], job["location"])
    parts = sections(company, job)
    places = locations(job)
    url = f"{site_url(company)}/{company['board']}/{job_id}"
    workplace = job.get("workplace", "onsite")
    published: datetime = posted_at(company, job)
    return {
        "id": job_id,
        "title": job["title"],
        "department": job["department"],
        "team": job.get("team", job["department"]),
        "employmentType": EMPLOYMENT[job.get("type", "full-time")][1],
        "location": places[0],
        "shouldDisplayCompensationOnJobPostings": "salary" in job,
        "secondaryLocations": [{"location": p, "address": postal_address(p)} for p in places[1:]],
        "publishedAt": published.isoformat(timespec="milliseconds"),
        "isListed": job.get("listed", True),
        "isRemote": workplace == "remote",
        "workplaceType": {"onsite": "OnSite", "hybrid": "Hybrid", "remote": "Remote"}[workplace],
        "address": postal_address(places[0]),
        "jobUrl": url,
        "applyUrl": f"{url}/application",
        "descriptionHtml": to_html(parts),
        "descriptionPlain": to_plain(parts),
        "compensation": ashby_compensation(company, job),
    }


def ashby_board(company: dict) -> dict:
    """The whole Ashby response: ``{"apiVersion": "1", "jobs": [...]}``."""
    return {"apiVersion": "1", "jobs": [ashby_job(company, job) for job in company["job"]]}
