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


def test_a_fresh_data_home_says_to_get_postings_not_to_rebuild_an_index(home, fake_model):  # noqa: F811
    for args in (["similar", "--text", "nurse"], ["similar", "--text", "nurse", "--json"]):
        fresh = CliRunner().invoke(cli, args)
        assert fresh.exit_code == 1
        assert fresh.output == "Error: no postings yet; run 'plenty nightly' or 'plenty import FILE' first\n"


def test_postings_without_an_index_still_ask_for_a_rebuild(home, tmp_path, fake_model):  # noqa: F811
    import shutil

    postings = tmp_path / "one.jsonl"
    postings.write_text('{"title": "Nurse"}\n', encoding="utf-8")
    assert CliRunner().invoke(cli, ["import", str(postings)]).exit_code == 0
    shutil.rmtree(home / "index")
    broken = CliRunner().invoke(cli, ["similar", "--text", "nurse"])
    assert broken.exit_code == 1 and "plenty index rebuild" in broken.output
