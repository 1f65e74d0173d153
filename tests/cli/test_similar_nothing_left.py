"""`plenty similar` when filters leave no opening: it says so, instead of saying there are no postings."""

from __future__ import annotations

from click.testing import CliRunner

from cli.main import cli
from tests.support.fake_model import fake_model  # noqa: F401


def test_filters_that_leave_nothing_say_so_rather_than_that_there_are_no_postings(home, tmp_path, fake_model):  # noqa: F811
    postings = tmp_path / "one.jsonl"
    postings.write_text('{"title": "Nurse"}\n', encoding="utf-8")
    assert CliRunner().invoke(cli, ["import", str(postings)]).exit_code == 0
    narrowed = CliRunner().invoke(cli, ["similar", "--text", "nurse", "--remote"])
    assert narrowed.exit_code == 0 and "No open posting passes the filters" in narrowed.output
    assert "#1" in CliRunner().invoke(cli, ["similar", "--text", "nurse"]).output
