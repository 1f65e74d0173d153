"""The one item every spider yields: a job posting as its board publishes it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PostingItem:
    """One open position as listed by one source.

    Spiders fill the raw values they select; loaders and pipelines clean them
    (whitespace, HTML to text, dates to ISO 8601) and drop invalid items.
    """

    source: str  # source kind: "greenhouse", "lever", "ashby", ...
    board: str  # board token / site name as the source names it ("" for whole-board aggregators)
    source_id: str  # the source's own id of the posting
    url: str
    title: str
    company: str | None = None
    locations: list[str] = field(default_factory=list)
    is_remote: bool | None = None
    department: str | None = None
    employment_type: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None  # "year" | "month" | "week" | "day" | "hour"
    description: str = ""
    posted_at: str | None = None  # ISO 8601, UTC
    updated_at: str | None = None  # ISO 8601, UTC
    valid_through: str | None = None  # ISO 8601; past this the posting is closed
    credit: str | None = None  # attribution the source's terms require, shown with the posting
