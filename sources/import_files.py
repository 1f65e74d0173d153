"""Read postings from a JSON-lines or CSV file (ours, or the CSV that JobSpy writes) into posting records.

This module knows files: lines, CSV columns, JobSpy's names. What makes a record valid is the warehouse's
``normalise_record``, applied to each line so that every bad one is reported with its line number.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from datahome.errors import InputError
from warehouse.errors import FeedError
from warehouse.imports import normalise_record

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
            batch.records.append(normalise_record(row, line))
        except FeedError as exc:
            batch.rejected.append((line, exc.reason))
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
