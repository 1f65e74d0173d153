"""Reading postings from JSON lines and CSV files, including JobSpy's CSV."""

import json

import pytest

from datahome.errors import InputError
from sources.import_files import read_import_file

JOBSPY_HEADER = ("id,site,job_url,job_url_direct,title,company,location,date_posted,job_type,salary_source,interval,"
                 "min_amount,max_amount,currency,is_remote,job_level,job_function,listing_type,emails,description\n")


def test_jsonl_needs_only_a_title(tmp_path):
    path = tmp_path / "jobs.jsonl"
    path.write_text(json.dumps({"title": "  Data   Engineer "}) + "\n\n" + json.dumps(
        {"title": "Nurse", "company": "Leeds NHS", "locations": ["Leeds"], "salary_min": "31000",
         "is_remote": "false", "source_id": 7}) + "\n", encoding="utf-8")
    batch = read_import_file(path)
    assert batch.rejected == []
    first, second = batch.records
    assert first["title"] == "Data Engineer" and first["source"] == "import" and len(first["source_id"]) == 16
    assert second["salary_min"] == 31000.0 and second["is_remote"] is False and second["source_id"] == "7"
    assert second["locations"] == ["Leeds"]


def test_jobspy_csv_maps_columns(tmp_path):
    path = tmp_path / "jobspy.csv"
    path.write_text(JOBSPY_HEADER + 'in-123,indeed,https://example.com/j/123,,Backend Developer,Acme GmbH,'
                    '"Berlin, BE, DE",2026-11-20,fulltime,direct_data,yearly,60000,80000,EUR,True,,,,,'
                    '"Build APIs in Python.\nUse PostgreSQL."\n', encoding="utf-8")
    (record,) = read_import_file(path).records
    assert record["source"] == "jobspy-indeed" and record["source_id"] == "in-123"
    assert record["url"] == "https://example.com/j/123" and record["company"] == "Acme GmbH"
    assert record["locations"] == ["Berlin, BE, DE"] and record["is_remote"] is True
    assert (record["salary_min"], record["salary_max"], record["salary_currency"], record["salary_period"]) == (
        60000.0, 80000.0, "EUR", "year")
    assert record["posted_at"] == "2026-11-20" and record["description"].startswith("Build APIs")


def test_bad_records_are_listed_with_line_numbers(tmp_path):
    path = tmp_path / "jobs.jsonl"
    path.write_text('{"title": "ok"}\n{"company": "no title"}\nnot json\n{"title": "x", "salary_min": "-5"}\n',
                    encoding="utf-8")
    batch = read_import_file(path)
    assert [r["title"] for r in batch.records] == ["ok"]
    assert batch.rejected == [(2, "missing title"), (3, "not valid JSON"), (4, "salary_min '-5' is not a positive amount")]


@pytest.mark.parametrize("name, content, message", [
    ("missing.csv", None, "not found"),
    ("jobs.txt", "title\nx\n", "unknown file type"),
    ("jobs.csv", "name,company\nx,y\n", "no 'title' column"),
    ("jobs.csv", b"\xff\xfe\x00title", "cannot read"),
    ("empty.jsonl", "\n\n", "holds no postings"),
])
def test_unreadable_files_raise_input_error(tmp_path, name, content, message):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_import_file(path)
