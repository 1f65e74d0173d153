"""Full job ads from ../shared/data/fixtures for the long-text quality set, joined with bench/labels/job_ads.csv."""

from __future__ import annotations

import csv
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

LABELS = Path(__file__).parent / "labels" / "job_ads.csv"
_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"</?(p|br|li|ul|ol|h\d|div)[^>]*>", re.I)


@dataclass(frozen=True)
class Ad:
    """One job ad: a stable key, its title, company and plain-text description."""

    key: str
    title: str
    company: str | None
    description: str


def plain(text: str | None) -> str:
    """HTML (possibly entity-escaped twice, as the NHS and Greenhouse records are) to plain text."""
    text = html.unescape(html.unescape(text or ""))
    text = _BLOCK.sub("\n", text)
    text = html.unescape(_TAG.sub(" ", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _ats_records(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    owner = data.get("name") if isinstance(data, dict) else None
    if isinstance(data, dict):
        data = next((data[k] for k in ("jobs", "data", "content", "offers") if k in data), [])
    for job in data:
        if isinstance(job, dict) and "legal" not in job:
            yield job, owner


def _board_names(ats: Path) -> dict[str, str]:
    """Fixture file -> board name from the endpoint recorded in the manifest (API bodies of one-company
    boards do not repeat the company)."""
    names = {}
    for entry in json.loads((ats / "manifest.json").read_text(encoding="utf-8")):
        match = re.search(r"/(?:boards|postings|job-board)/([\w-]+)", entry["endpoint"])
        if match:
            names[entry["file"]] = match.group(1)
    return names


def load_ads(fixtures: Path) -> list[Ad]:
    """Every ad with a description in the NHS JSON-LD, ATS 2026 and Lever 2015 fixtures (duplicates dropped:
    the same id in two fixture files keeps the longer text)."""
    ads: dict[str, Ad] = {}

    def keep(ad: Ad) -> None:
        if ad.description and (ad.key not in ads or len(ad.description) > len(ads[ad.key].description)):
            ads[ad.key] = ad

    for path in sorted((fixtures / "jsonld-nhs" / "records").glob("*.json")):
        job = json.loads(path.read_text(encoding="utf-8"))
        keep(Ad(f"nhs:{path.stem}", plain(job["title"]), job["hiringOrganization"]["name"], plain(job["description"])))
    boards = _board_names(fixtures / "ats-2026")
    for path in sorted((fixtures / "ats-2026").glob("*/*.json")):
        source = path.parent.name
        board = boards.get(f"{source}/{path.name}")
        for job, owner in _ats_records(path):
            title = job.get("title") or job.get("text") or job.get("position") or job.get("name")
            company = job.get("company_name") or job.get("company") or owner or board
            body = (job.get("content") or job.get("descriptionPlain") or job.get("descriptionHtml")
                    or job.get("description") or "")
            for extra in ("requirements", "additional", "opening"):
                body = f"{body}\n{job.get(extra) or ''}"
            if title and isinstance(company, str):
                ident = job.get("id") or job.get("slug") or job.get("shortcode")
                keep(Ad(f"{source}:{ident}", plain(title), plain(company), plain(body)))
    lever = fixtures / "lever-2015" / "responses" / "leverdemo_mode_json.json"
    if lever.exists():
        for job in json.loads(lever.read_text(encoding="utf-8")):
            lists = "\n".join(f"{item['text']}\n{item['content']}" for item in job.get("lists", []))
            keep(Ad(f"lever2015:{job['id']}", job["text"], "Lever demo", plain(f"{job.get('description', '')}\n{lists}")))
    return list(ads.values())


def load_labels(path: Path = LABELS) -> dict[str, str]:
    """Ad key -> ESCO occupation URI, from the hand-made label file (rows with an empty URI are skipped)."""
    with path.open(encoding="utf-8") as handle:
        return {row["key"]: row["esco_uri"] for row in csv.DictReader(handle) if row["esco_uri"].strip()}
