"""`plenty mark '#N' applied`: the N-th opening of the last listing `plenty similar` showed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli.main import cli
from datahome.errors import InputError
from datahome.listing import posting_at_rank, save_listing
from recommend.recommender import Recommender
from tests.cli.test_errors import assert_one_line_error
from tests.cli.test_hostile_output import ENCODER, hostile_home  # noqa: F401
from warehouse import connect
from warehouse.feedback import current_marks


def test_mark_takes_the_rank_of_the_last_listing(hostile_home):  # noqa: F811
    result = Recommender.open(hostile_home, encoder=ENCODER).similar(["data pipelines python sql"], k=5)[0]
    ids = [p["posting_id"] for p in result.postings]
    save_listing(hostile_home.home, ids)
    marked = CliRunner().invoke(cli, ["mark", "#2", "applied"])
    assert marked.exit_code == 0, marked.output
    assert f"Marked posting {ids[1]} applied" in marked.output
    with connect(hostile_home.db_path) as con:
        assert current_marks(con, ids)[ids[1]]["mark"] == "applied"
        assert ids[0] not in current_marks(con, ids)
    assert_one_line_error(CliRunner().invoke(cli, ["mark", "#3", "applied"]), "#3 is not in the last listing")


def test_a_missing_or_broken_listing_is_a_named_error(tmp_path):
    with pytest.raises(InputError, match="run 'plenty similar' first"):
        posting_at_rank(tmp_path, 1)
    (tmp_path / "last-listing.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="unreadable"):
        posting_at_rank(tmp_path, 1)
    save_listing(tmp_path, [7, 8])
    assert posting_at_rank(tmp_path, 2) == 8
    with pytest.raises(InputError, match="#0 is not in the last listing"):
        posting_at_rank(tmp_path, 0)
