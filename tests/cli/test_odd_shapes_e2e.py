"""Issue 16's "done when", with the real model on a fresh data home: postings of odd shapes (a title only; no
company, place, description or date; empty lists; null fields) imported, then every command a new user tries."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.main import cli

pytestmark = pytest.mark.model

ODD = [
    {"title": "Registered Nurse"},
    {"title": "Data Engineer", "company": None, "locations": [], "description": None, "posted_at": None},
    {"title": "Night Nurse", "company": "Leeds NHS", "locations": None, "is_remote": None, "salary_min": None},
    {"title": "Backend Engineer", "company": "", "locations": [""], "description": "", "url": None},
    {"title": "Remote Python Developer", "is_remote": True, "locations": [], "salary_min": 60000,
     "salary_currency": "EUR", "company": "Acme"},
    {"title": "Warehouse Operative", "company": "Acme", "locations": ["  "], "department": None,
     "employment_type": "", "valid_through": None, "credit": None},
]


def plenty(*args: str) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout


def test_postings_of_odd_shapes_through_every_command_with_the_real_model(home, tmp_path):
    postings = tmp_path / "odd.jsonl"
    postings.write_text("".join(json.dumps(p) + "\n" for p in ODD), encoding="utf-8")
    assert "Imported 6 postings" in plenty("import", postings)

    assert "Registered Nurse" in plenty("similar", "--text", "nurse")
    answer = json.loads(plenty("similar", "--text", "nurse", "--json"))
    assert {p["title"] for p in answer["postings"]} >= {"Registered Nurse", "Night Nurse"}
    queries = tmp_path / "queries.jsonl"
    queries.write_text('{"id": 1, "text": "nurse"}\n{"id": "b", "text": "python backend"}\n', encoding="utf-8")
    lines = [json.loads(line) for line in plenty("similar", "--queries", queries).splitlines()]
    assert [line["id"] for line in lines] == [1, "b"] and all(line["results"] for line in lines)
    remote = json.loads(plenty("similar", "--text", "python developer", "--remote", "--json"))
    assert [p["title"] for p in remote["postings"]] == ["Remote Python Developer"]
    assert "Companies hiring like Acme (2 open)" in plenty("companies", "like", "acme")

    plenty("reject", "add", "--title", "Staff Nurse", "--company", "Leeds NHS", "--text", "Ward nursing, nights",
           "--date", "2026-01-05")
    by_rejection = plenty("similar", "--rejection", "1")
    assert "Similar openings" in by_rejection and "Nurse" in by_rejection and " %  " in by_rejection
    assert "  id " not in by_rejection and "  id " in plenty("similar", "--rejection", "1", "--ids")

    from datahome.settings import load_settings
    from recommend import matching

    assert matching.compute_matches(load_settings(), "run-1", k=5) == 1  # the nightly's matching step
    matched = plenty("matches")
    assert "Staff Nurse" in matched
    digest = plenty("digest")
    assert digest.startswith("Digest ") and (home / "digests").is_dir()
    table = plenty("export", "--format", "csv")
    assert table.splitlines()[0].startswith("posting_id,") and len(table.splitlines()) == 7
    rows = [json.loads(line) for line in plenty("export").splitlines()]
    assert len(rows) == 6 and {r["title"] for r in rows} == {p["title"] for p in ODD}
    assert all(isinstance(r["locations"], list) for r in rows)
