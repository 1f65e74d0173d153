"""Import postings given as records (from `plenty import`): same fields as a feed, only `title` required."""

from __future__ import annotations

import hashlib
import math
import sys
from datetime import date, datetime
from typing import Any, Iterable
from urllib.parse import urlsplit

import duckdb

from warehouse.db import registered, sql, transaction, utcnow
from warehouse.errors import FeedError
from warehouse.loading import LoadReport, apply_load, first_invalid_record, new_load
from warehouse.text import storable

FIELDS = (
    "source", "board", "source_id", "url", "title", "company", "locations", "is_remote", "department",
    "employment_type", "salary_min", "salary_max", "salary_currency", "salary_period", "description",
    "posted_at", "updated_at", "valid_through", "credit",
)  # fmt: skip
_TEXT = {"source", "board", "source_id", "url", "title", "company", "department", "employment_type",
         "salary_currency", "salary_period", "description", "credit"}  # fmt: skip
_MOMENTS = {"posted_at", "updated_at", "valid_through"}
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def import_postings(
    con: duckdb.DuckDBPyConnection,
    rows: Any,
    *,
    source: str = "import",
    skip_bad: bool = False,
) -> LoadReport:
    """Load postings from records (a list of dicts, a pandas DataFrame or an Arrow table) in one transaction.

    A record without `source` gets `source`; without `source_id` it is keyed by its url, or else by a hash
    of its title, company, locations and description. Nothing is closed. A bad record raises `FeedError`
    with its 1-based record number, unless `skip_bad`, which skips and counts it.
    """
    records = _as_records(rows)
    good, skipped = [], 0
    for number, record in enumerate(records, start=1):
        try:
            good.append({"record_no": number, **normalise_record(record, number, source)})
        except FeedError:
            if not skip_bad:
                raise
            skipped += 1
    import pandas as pd  # only where a frame is built: commands that only read the warehouse skip its import

    frame = pd.DataFrame(good, columns=["record_no", *FIELDS], dtype=object)
    now = utcnow()
    with transaction(con):
        load_id = new_load(con, kind="import", source=source, board="", complete=False, crawled_at=now, loaded_at=now)
        with registered(con, "import_frame", frame):
            con.execute(sql("raw/raw_postings_from_frame"), {"load_id": load_id})
        invalid = first_invalid_record(con, load_id, source=source, board="", check_scope=False)
        if invalid:
            record_no, reason = invalid[0]
            raise FeedError("import", record_no, reason)
        return apply_load(con, load_id, source=source, board="", complete=False, crawled_at=now, skipped=skipped)


def _as_records(rows: Any) -> list[dict]:
    pandas = sys.modules.get("pandas")  # a DataFrame exists only if pandas was imported by whoever made it
    if pandas is not None and isinstance(rows, pandas.DataFrame):
        return rows.to_dict("records")
    if hasattr(rows, "to_pylist"):
        return rows.to_pylist()
    return list(rows)


def normalise_record(record: Any, number: int, default_source: str = "import") -> dict:
    """One import record with every posting field, typed and checked; raises `FeedError` naming the record
    number and what is wrong. The one place the rules for imported records live (`plenty import` applies it
    line by line)."""
    if not isinstance(record, dict):
        raise FeedError("import", number, f"expected an object, got {type(record).__name__}")
    values = {name: storable(_missing_to_none(record.get(name))) for name in FIELDS}
    for name in _TEXT:
        value = values[name]
        if value is not None and not isinstance(value, str):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            else:
                raise FeedError("import", number, f"{name} must be text, got {type(value).__name__}")
        if isinstance(value, str):
            value = value.strip() if name == "description" else " ".join(value.split())
        values[name] = value or None
    if not values["title"]:
        raise FeedError("import", number, "missing title")
    values["source"] = values["source"] or default_source
    values["board"] = values["board"] or ""
    values["description"] = values["description"] or ""
    if values["url"] and urlsplit(values["url"]).scheme.lower() not in ("http", "https"):
        raise FeedError("import", number, f"url {values['url'][:80]!r} is not an http(s) URL")
    values["locations"] = _locations(values["locations"], number)
    values["is_remote"] = _flag(values["is_remote"], number)
    for name in ("salary_min", "salary_max"):
        values[name] = _number(values[name], name, number)
    for name in _MOMENTS:
        values[name] = _moment(values[name], name, number)
    if not values["source_id"]:
        values["source_id"] = values["url"] or _fallback_id(values)
    return values


def _missing_to_none(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, list, tuple, dict)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    # Only values from frames or arrays can be pandas' or numpy's missing markers (NaT, NA, ...).
    import pandas as pd

    try:
        return None if value is pd.NaT or bool(pd.isna(value)) else value
    except (TypeError, ValueError):  # an array-like value: not a missing marker
        return value


def _locations(value: Any, number: int) -> list[str]:
    """Places as a list: a list of texts, or one text (several when separated by ``;``)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(";")
    if isinstance(value, Iterable) and all(isinstance(item, str) for item in value):
        return [" ".join(item.split()) for item in value if item.strip()]
    raise FeedError("import", number, "locations must be text or a list of texts")


def _flag(value: Any, number: int) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text == "":
        return None
    raise FeedError("import", number, f"is_remote must be true or false, got {value!r}")


def _number(value: Any, name: str, number: int) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise FeedError("import", number, f"{name} must be a number, got {value!r}") from None
    if math.isnan(result) or math.isinf(result):
        return None
    if result < 0:
        raise FeedError("import", number, f"{name} {value!r} is not a positive amount")
    return result


def _moment(value: Any, name: str, number: int) -> str | None:
    """An ISO 8601 date or time as given, checked: readable, and between 1970 and 2200."""
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = value.strip() if isinstance(value, str) else None
    if text == "":
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00")) if text is not None else None
    except ValueError:
        moment = None
    if moment is None:
        shown = text[:40] if text is not None else value
        raise FeedError("import", number, f"{name} {shown!r} is not an ISO 8601 date (YYYY-MM-DD[THH:MM:SSZ])")
    if not 1970 <= moment.year <= 2200:
        raise FeedError("import", number, f"{name} {text[:40]!r} is not a plausible date")
    return text


def _fallback_id(values: dict) -> str:
    text = "\x1f".join([values["title"], values["company"] or "", "\x1e".join(values["locations"]),
                        values["description"] or ""])  # fmt: skip
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
