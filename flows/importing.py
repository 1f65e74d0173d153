"""Read postings from a JSON-lines or CSV file (ours, or the CSV that JobSpy writes) into posting records."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from flows.errors import InputError

POSTING_FIELDS = (
    "source", "board", "source_id", "url", "title", "company", "locations", "is_remote", "department",
    "employment_type", "salary_min", "salary_max", "salary_currency", "salary_period", "description",
    "posted_at", "updated_at", "valid_through", "credit",
)
# JobSpy's CSV column -> our field.
JOBSPY_COLUMNS = {
    "job_url": "url", "title": "title", "company": "company", "description": "description",
    "date_posted": "posted_at", "min_amount": "salary_min", "max_amount": "salary_max", "currency": "salary_currency",
    "interval": "salary_period", "job_type": "employment_type", "is_remote": "is_remote",
}
JOBSPY_PERIODS = {"yearly": "year", "monthly": "month", "weekly": "week", "daily": "day", "hourly": "hour"}
csv.field_size_limit(50 * 1024 * 1024)


@dataclass
class ImportBatch:
    """Valid posting records read from a file, and the rejected lines with their reasons."""

    records: list[dict] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def read_import_file(path: Path) -> ImportBatch:
    """Parse ``path`` by its extension (.jsonl/.json or .csv); every bad record is listed with its line number."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"import file {path} not found")
    suffix = path.suffix.lower()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path} as UTF-8 text: {exc}") from None
    if suffix in (".jsonl", ".ndjson", ".json"):
        rows = _jsonl_rows(text)
    elif suffix == ".csv":
        rows = _csv_rows(text, path)
    else:
        raise InputError(f"{path}: unknown file type {suffix!r}; use .jsonl or .csv")
    batch = ImportBatch()
    for line, row in rows:
        if isinstance(row, str):
            batch.rejected.append((line, row))
            continue
        try:
            batch.records.append(normalise_record(row))
        except ValueError as exc:
            batch.rejected.append((line, str(exc)))
    if not batch.records and not batch.rejected:
        raise InputError(f"{path} holds no postings")
    return batch


def _jsonl_rows(text: str):
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            yield number, "not valid JSON"
            continue
        yield number, value if isinstance(value, dict) else "not a JSON object"


def _csv_rows(text: str, path: Path):
    try:
        # strict: an unterminated quote is an error, not a field that swallows the rest of the file.
        reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise InputError(f"{path} is not a readable CSV file: {exc}") from None
    if "title" not in header:
        raise InputError(f"{path}: CSV has no 'title' column (columns: {', '.join(header) or 'none'})")
    is_jobspy = "job_url" in header and "site" in header
    try:
        for row in reader:
            number = reader.line_num
            if None in row:
                yield number, "more fields than the header"
                continue
            yield number, _from_jobspy(row) if is_jobspy else {k: v for k, v in row.items() if v not in ("", None)}
    except csv.Error as exc:
        raise InputError(f"{path}: CSV error near line {reader.line_num}: {exc}") from None


def _from_jobspy(row: dict) -> dict:
    record = {ours: row.get(theirs) for theirs, ours in JOBSPY_COLUMNS.items() if row.get(theirs) not in ("", None)}
    site = (row.get("site") or "unknown").strip().lower()
    record["source"] = f"jobspy-{site}"
    record["source_id"] = row.get("id") or row.get("job_url") or None
    if row.get("location"):
        record["locations"] = [row["location"]]
    if record.get("salary_period"):
        record["salary_period"] = JOBSPY_PERIODS.get(record["salary_period"].lower(), record["salary_period"])
    return record


def normalise_record(row: dict) -> dict:
    """A posting record with every field, typed; raises ValueError saying what is wrong."""
    title = _clean(row.get("title"))
    if not title:
        raise ValueError("missing title")
    record = {name: row.get(name) for name in POSTING_FIELDS}
    record["title"] = title
    record["company"] = _clean(record["company"]) or None
    record["description"] = str(record["description"] or "").strip()
    record["source"] = _clean(record["source"]) or "import"
    record["board"] = _clean(record["board"]) or ""
    record["url"] = _clean(record["url"]) or None
    if record["url"] and urlsplit(record["url"]).scheme.lower() not in ("http", "https"):
        raise ValueError(f"url {record['url'][:80]!r} is not an http(s) URL")
    for name in ("posted_at", "updated_at", "valid_through"):
        record[name] = _moment(record[name], name)
    locations = record["locations"]
    if isinstance(locations, str):
        locations = [p.strip() for p in locations.split(";")] if ";" in locations else [locations]
    record["locations"] = [_clean(p) for p in (locations or []) if _clean(p)]
    record["is_remote"] = _bool(record["is_remote"])
    for name in ("salary_min", "salary_max"):
        record[name] = _amount(record[name], name)
    if not record["source_id"]:
        basis = "\x1f".join(str(record[k] or "") for k in ("url", "title", "company", "description"))
        record["source_id"] = hashlib.sha256(basis.encode()).hexdigest()[:16]
    record["source_id"] = str(record["source_id"])
    return record


def _moment(value, name: str) -> str | None:
    """An ISO 8601 date or time as given, checked: readable, and between 1970 and 2200."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{name} {text[:40]!r} is not an ISO 8601 date (YYYY-MM-DD[THH:MM:SSZ])") from None
    if not 1970 <= moment.year <= 2200:
        raise ValueError(f"{name} {text[:40]!r} is not a plausible date")
    return text


def _clean(value) -> str:
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""


def _bool(value) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "y", "t"):
        return True
    if text in ("false", "0", "no", "n", "f"):
        return False
    raise ValueError(f"is_remote {value!r} is not true/false")


def _amount(value, name: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        amount = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} {value!r} is not a number") from None
    if amount < 0 or amount != amount:
        raise ValueError(f"{name} {value!r} is not a positive amount")
    return amount
