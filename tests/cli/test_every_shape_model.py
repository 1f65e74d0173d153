"""Postings of every shape through every command with every filter, on the real packaged model (issue 16).

The same generated postings and commands as tests/cli/test_every_shape.py, with the ONNX model instead of the
hashing fake and every filter in each example: slower (a few seconds a command), so fewer examples, in the model
tier.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.support.every_command import feed_then_read, import_then_read
from tests.support.odd_postings import (
    HYPOTHESIS_SETTINGS,
    companies,
    csv_text,
    feed_records,
    fresh_home,
    import_records,
    jobspy_rows,
    jsonl,
    queries,
    rejections,
)

pytestmark = pytest.mark.model
EXAMPLES = settings(HYPOTHESIS_SETTINGS, max_examples=int(os.environ.get("PLENTY_SHAPE_MODEL_EXAMPLES", "3")))


@EXAMPLES
@given(records=st.lists(import_records(), min_size=1, max_size=6), layout=st.sampled_from(["jsonl", "csv"]),
       query=queries, rejection=rejections, company=companies)
def test_imported_postings_of_any_shape_on_the_real_model(monkeypatch, tmp_path, records, layout, query, rejection,
                                                          company):
    text = jsonl(records) if layout == "jsonl" else csv_text(records)
    import_then_read(fresh_home(monkeypatch, tmp_path), text, f".{layout}", ["--skip-bad"], query, rejection,
                     company)


@EXAMPLES
@given(rows=st.lists(jobspy_rows(), min_size=1, max_size=5), query=queries, rejection=rejections)
def test_jobspy_csv_of_any_shape_on_the_real_model(monkeypatch, tmp_path, rows, query, rejection):
    import_then_read(fresh_home(monkeypatch, tmp_path), csv_text(rows), ".csv", ["--skip-bad"], query, rejection,
                     rows[0]["company"] or "Acme")


# Found on a clean clone: a lone surrogate in a `--queries` line reached the real tokenizer, which refuses it.
LONE_SURROGATE_FEED = [{"source": "greenhouse", "board": "odd", "source_id": "1", "url": "https://example.org/1",
                        "title": "Registered Nurse", "company": "Acme", "locations": []}]


@EXAMPLES
@given(records=st.lists(feed_records(), min_size=1, max_size=6, unique_by=lambda r: r["source_id"]),
       query=queries, rejection=rejections)
@example(records=LONE_SURROGATE_FEED, query="\ud800 lone surrogate",
         rejection={"title": "\ud800 lone surrogate", "company": "Acme", "text": "", "date": "2026-11-01",
                    "options": []})
def test_a_crawl_feed_of_any_shape_on_the_real_model(monkeypatch, tmp_path, records, query, rejection):
    feed_then_read(fresh_home(monkeypatch, tmp_path), jsonl(records), query, rejection,
                   records[0]["company"] or "Acme")
