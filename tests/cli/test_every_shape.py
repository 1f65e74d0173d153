"""Postings of every shape through every command, with no traceback (issue 16).

Hypothesis generates postings of any shape the import format allows (tests/support/odd_postings.py), loads them
through ``plenty import`` (JSON lines, our CSV, JobSpy's CSV) or as a crawl feed (``warehouse.load_feed`` of a
file in the FEED format), and runs every read command on them (tests/support/every_command.py). Here the model is
the hashing fake under the configured model's name (tests/support/fake_model.py), with a few examples and one
filter drawn per example, so the unit tier stays quick; tests/cli/test_every_shape_model.py runs more examples
with every filter on the real model, and tests/sources/test_crawl_odd_shapes.py crawls generated boards with the
real spiders.
"""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.every_command import FILTERS, feed_then_read, import_then_read
from tests.support.fake_model import fake_model  # noqa: F401 (fixture)
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

EXAMPLES = settings(HYPOTHESIS_SETTINGS, max_examples=int(os.environ.get("PLENTY_SHAPE_EXAMPLES", "3")))
one_filter = st.sampled_from(FILTERS).map(lambda options: (options,))


@EXAMPLES
@given(records=st.lists(import_records(), min_size=1, max_size=6), layout=st.sampled_from(["jsonl", "csv"]),
       skip_bad=st.booleans(), query=queries, rejection=rejections, company=companies, filters=one_filter)
def test_imported_postings_of_any_shape(fake_model, monkeypatch, tmp_path, records, layout, skip_bad,  # noqa: F811
                                        query, rejection, company, filters):
    text = jsonl(records) if layout == "jsonl" else csv_text(records)
    import_then_read(fresh_home(monkeypatch, tmp_path), text, f".{layout}", ["--skip-bad"] if skip_bad else [],
                     query, rejection, company, filters)


@EXAMPLES
@given(rows=st.lists(jobspy_rows(), min_size=1, max_size=5), query=queries, rejection=rejections,
       filters=one_filter)
def test_jobspy_csv_of_any_shape(fake_model, monkeypatch, tmp_path, rows, query, rejection, filters):  # noqa: F811
    import_then_read(fresh_home(monkeypatch, tmp_path), csv_text(rows), ".csv", ["--skip-bad"], query, rejection,
                     rows[0]["company"] or "Acme", filters)


@EXAMPLES
@given(records=st.lists(feed_records(), min_size=1, max_size=6, unique_by=lambda r: r["source_id"]),
       query=queries, rejection=rejections, filters=one_filter)
def test_a_crawl_feed_of_any_shape(fake_model, monkeypatch, tmp_path, records, query, rejection,  # noqa: F811
                                   filters):
    feed_then_read(fresh_home(monkeypatch, tmp_path), jsonl(records), query, rejection,
                   records[0]["company"] or "Acme", filters)
