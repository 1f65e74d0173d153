"""The plan and the ask draft on real job ads with the real packaged model (issue 18's "done when")."""

from __future__ import annotations

import json

import pytest

from tests.journal.test_analyse_and_send import ok
from tests.support.real_ads import write_real_ads

pytestmark = pytest.mark.model


def test_analyse_on_real_ads_with_the_packaged_model(home, tmp_path):
    ok("import", write_real_ads(tmp_path / "ads.jsonl"), "--skip-bad")
    ok("reject", "add", "--title", "Backend Engineer", "--company", "Initech", "--text",
       "Build backend services in Python with SQL databases; APIs and code review.")
    ok("reject", "contact", "1", "--name", "Ada Lovelace", "--email", "ada@initech.example")
    cv = tmp_path / "cv.txt"
    cv.write_text("Software engineer: Python and SQL, PostgreSQL, Docker.", encoding="utf-8")
    ok("profile", "set", "--file", cv)
    plan = json.loads(ok("analyse", "1", "--json").output)
    assert plan["openings"] > 0 and plan["skills"]
    have = {s["skill"].lower() for s in plan["skills"] if s["have"]}
    assert have & {"python", "sql"}, plan["skills"][:10]
    assert plan["to_build"] and all(s["examples"] for s in plan["to_build"])
    draft = ok("draft", "1", "ask").output
    assert "Initech" in draft and "Backend Engineer" in draft and "Ada" in draft
