"""The per-run source report stored in the warehouse."""

import json
from datetime import datetime, timedelta, timezone

from warehouse import check_keys, connect
from warehouse.runs import latest_source_status, record_source_run, run_report

T0 = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)


def row(source, complete, fetched=3, errors=()):
    return {"source": source, "kind": source.split("-")[0], "board": source.split("-", 1)[1], "complete": complete,
            "fetched": fetched, "new": 2, "updated": 1, "closed": 0, "dropped": {"missing title": 1},
            "errors": list(errors)}


def test_report_rows_and_latest_status():
    with connect(":memory:") as con:
        record_source_run(con, "r1", row("lever-acme", True), T0, T0 + timedelta(minutes=1))
        record_source_run(con, "r2", row("lever-acme", False, 0, ["HTTP 500 at /v0/postings/acme"]),
                          T0 + timedelta(days=1), T0 + timedelta(days=1, minutes=1))
        record_source_run(con, "r2", row("lever-acme", False, 0, ["HTTP 503"]),
                          T0 + timedelta(days=1), T0 + timedelta(days=1, minutes=2))  # replaced, not doubled
        (report,) = run_report(con, "r2")
        assert report["count_dropped"] == 1 and json.loads(report["errors"]) == ["HTTP 503"]
        status = latest_source_status(con)["lever-acme"]
        assert status["last_crawl_complete"] is False
        assert status["last_complete_at"] == (T0 + timedelta(minutes=1)).replace(tzinfo=None)
        assert (status["count_runs"], status["count_failed_runs"]) == (2, 1)
        assert check_keys(con)["source_runs"] == 0
