"""Shared pieces of the mirrored boards (demo and fleet): places, dates, ids, the ad text as HTML and plain text."""

from __future__ import annotations

import hashlib
import html
import uuid
from datetime import datetime, timedelta, timezone

# Postings are dated in the weeks before this moment, so the demo data looks current but never changes.
ANCHOR = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
NAMESPACE = uuid.UUID("6f1c7c52-3d0e-4f8e-9a7e-1d5c0c2b7a11")

# City, region, country, ISO country code for every place a demo posting names.
PLACES = {
    "Amsterdam, Netherlands": ("Amsterdam", "North Holland", "Netherlands", "NL"),
    "Rotterdam, Netherlands": ("Rotterdam", "South Holland", "Netherlands", "NL"),
    "London, United Kingdom": ("London", "England", "United Kingdom", "GB"),
    "Manchester, United Kingdom": ("Manchester", "England", "United Kingdom", "GB"),
    "Leeds, United Kingdom": ("Leeds", "England", "United Kingdom", "GB"),
    "Bristol, United Kingdom": ("Bristol", "England", "United Kingdom", "GB"),
    "Edinburgh, United Kingdom": ("Edinburgh", "Scotland", "United Kingdom", "GB"),
    "Dublin, Ireland": ("Dublin", "Leinster", "Ireland", "IE"),
    "Berlin, Germany": ("Berlin", "Berlin", "Germany", "DE"),
    "Munich, Germany": ("Munich", "Bavaria", "Germany", "DE"),
    "Duisburg, Germany": ("Duisburg", "North Rhine-Westphalia", "Germany", "DE"),
    "Hamburg, Germany": ("Hamburg", "Hamburg", "Germany", "DE"),
    "Lisbon, Portugal": ("Lisbon", "Lisbon", "Portugal", "PT"),
    "Porto, Portugal": ("Porto", "Porto", "Portugal", "PT"),
    "Madrid, Spain": ("Madrid", "Community of Madrid", "Spain", "ES"),
    "Barcelona, Spain": ("Barcelona", "Catalonia", "Spain", "ES"),
    "Paris, France": ("Paris", "Ile-de-France", "France", "FR"),
    "Lyon, France": ("Lyon", "Auvergne-Rhone-Alpes", "France", "FR"),
    "Warsaw, Poland": ("Warsaw", "Masovia", "Poland", "PL"),
    "Poznan, Poland": ("Poznan", "Greater Poland", "Poland", "PL"),
    "Copenhagen, Denmark": ("Copenhagen", "Capital Region", "Denmark", "DK"),
    "Stockholm, Sweden": ("Stockholm", "Stockholm County", "Sweden", "SE"),
    "Milan, Italy": ("Milan", "Lombardy", "Italy", "IT"),
    "New York, NY": ("New York", "New York", "United States", "US"),
    "Boston, MA": ("Boston", "Massachusetts", "United States", "US"),
    "Austin, TX": ("Austin", "Texas", "United States", "US"),
    "Chicago, IL": ("Chicago", "Illinois", "United States", "US"),
    "Denver, CO": ("Denver", "Colorado", "United States", "US"),
    "Seattle, WA": ("Seattle", "Washington", "United States", "US"),
    "San Francisco, CA": ("San Francisco", "California", "United States", "US"),
    "Pittsburgh, PA": ("Pittsburgh", "Pennsylvania", "United States", "US"),
    "Portland, OR": ("Portland", "Oregon", "United States", "US"),
    "Columbus, OH": ("Columbus", "Ohio", "United States", "US"),
    "Memphis, TN": ("Memphis", "Tennessee", "United States", "US"),
    "Atlanta, GA": ("Atlanta", "Georgia", "United States", "US"),
    "Toronto, ON": ("Toronto", "Ontario", "Canada", "CA"),
    "Ottawa, ON": ("Ottawa", "Ontario", "Canada", "CA"),
    "Vancouver, BC": ("Vancouver", "British Columbia", "Canada", "CA"),
    "Montreal, QC": ("Montreal", "Quebec", "Canada", "CA"),
    "Calgary, AB": ("Calgary", "Alberta", "Canada", "CA"),
    "Remote (Europe)": (None, None, None, None),
    "Remote (United States)": (None, None, "United States", "US"),
    "Remote (Canada)": (None, None, "Canada", "CA"),
    "Remote (United Kingdom)": (None, None, "United Kingdom", "GB"),
    "Remote (North America)": (None, None, None, None),
}

EMPLOYMENT = {  # our key → (Lever commitment, Ashby employmentType)
    "full-time": ("Full-time", "FullTime"),
    "part-time": ("Part-time", "PartTime"),
    "contract": ("Contract", "Contract"),
    "internship": ("Internship", "Intern"),
    "temporary": ("Temporary", "Temporary"),
}
PERIODS = {  # our salary period → (Lever interval, Ashby interval)
    "year": ("per-year-salary", "1 YEAR"),
    "month": ("per-month-salary", "1 MONTH"),
    "hour": ("per-hour-wage", "1 HOUR"),
}
CURRENCY_SIGNS = {"USD": "$", "CAD": "CA$", "EUR": "€", "GBP": "£", "DKK": "DKK ", "SEK": "SEK ", "PLN": "PLN "}


def digest(*parts: str) -> int:
    """A stable integer from strings (ids, dates and offsets hang off it)."""
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def stable_uuid(*parts: str) -> str:
    """A UUID that stays the same for the same posting across rebuilds."""
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


def posted_at(company: dict, job: dict) -> datetime:
    """A fixed publication moment 1–75 days before the anchor."""
    h = digest(company["board"], job["title"], job["location"])
    return ANCHOR - timedelta(days=1 + h % 75, minutes=h % 977, seconds=h % 59, milliseconds=h % 997)


def money(amount: float, currency: str) -> str:
    """A human salary figure as ads print it ("€72,000", "$38.50")."""
    text = f"{amount:,.2f}" if amount < 1000 and amount != int(amount) else f"{int(amount):,}"
    return f"{CURRENCY_SIGNS.get(currency, currency + ' ')}{text}"


def salary_sentence(job: dict) -> str | None:
    """The pay line written into the ad text, or None when the posting gives no salary."""
    if "salary" not in job:
        return None
    low, high, currency, period = job["salary"]
    return f"The pay range for this role is {money(low, currency)} to {money(high, currency)} per {period}."


def sections(company: dict, job: dict) -> list[tuple[str, str | list[str]]]:
    """The ad as (heading, paragraph or bullet list) pairs, in reading order."""
    parts: list[tuple[str, str | list[str]]] = [(f"About {company['company']}", company["about"])]
    parts.append(("The role", job["intro"].strip()))
    parts.append((job.get("do_heading", "What you'll do"), job["do"]))
    parts.append((job.get("need_heading", "What you bring"), job["need"]))
    if job.get("nice"):
        parts.append(("Nice to have", job["nice"]))
    offer = list(job.get("perks", [])) + benefits_for(company, job)
    pay = salary_sentence(job)
    if pay:
        offer.insert(0, pay)
    parts.append(("What we offer", offer))
    return parts


def benefits_for(company: dict, job: dict, count: int = 2) -> list[str]:
    """Two of the company's benefits, picked per posting so ads of one company do not all end alike."""
    benefits = list(company["benefits"])
    start = digest(company["board"], job["title"]) % len(benefits)
    return [benefits[(start + i) % len(benefits)] for i in range(min(count, len(benefits)))]


def to_html(parts: list[tuple[str, str | list[str]]]) -> str:
    """Render sections as the simple HTML job boards store."""
    out = []
    for heading, body in parts:
        out.append(f"<h3>{html.escape(heading)}</h3>")
        out.append(paragraphs_html(body) if isinstance(body, str) else list_html(body))
    return "\n".join(out)


def paragraphs_html(text: str) -> str:
    """Blank-line separated paragraphs as ``<p>`` elements."""
    return "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def list_html(items: list[str]) -> str:
    """A bullet list as HTML."""
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def to_plain(parts: list[tuple[str, str | list[str]]]) -> str:
    """Render sections as the plain text boards publish beside the HTML."""
    out = []
    for heading, body in parts:
        out.append(heading)
        if isinstance(body, str):
            out.extend(p.strip() for p in body.split("\n\n") if p.strip())
        else:
            out.extend(f"- {i}" for i in body)
        out.append("")
    return "\n".join(out).strip() + "\n"


def locations(job: dict) -> list[str]:
    """Primary place first, then any further places the posting names."""
    return [job["location"], *job.get("also", [])]


def postal_address(place: str) -> dict:
    """Ashby's schema.org postal address for a place."""
    city, region, country, _ = PLACES[place]
    address = {"addressLocality": city, "addressRegion": region, "addressCountry": country}
    return {"postalAddress": {k: v for k, v in address.items() if v}}


def site_url(company: dict) -> str:
    """The fictional careers site a company's posting links live on (reserved example domains only)."""
    default = {
        "greenhouse": f"https://{company['board']}.example.com",
        "lever": "https://jobs.example.org",
        "ashby": "https://jobs.example.net",
    }
    return company.get("site", default[company["kind"]])
