"""Similar companies by what they hire for, and `plenty companies like NAME`."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from cli.main import cli
from recommend.errors import UnknownCompany
from recommend.recommender import Recommender
from tests.support.digest_world import DATA_TEXT, ENCODER, OTHER_TEXT, job, pid, settings, world  # noqa: F401

CARE = "Care for patients on the ward; medication rounds; night shifts; family liaison."


def test_companies_like_a_company_are_those_hiring_for_the_same_roles(world):  # noqa: F811
    world.night(date(2026, 11, 10), add=[
        job("1", "Data Engineer", "Acme", DATA_TEXT), job("2", "Analytics Engineer", "Acme", DATA_TEXT),
        job("3", "Data Engineer", "Globex", DATA_TEXT), job("4", "Staff Nurse", "Harbor", OTHER_TEXT),
        job("5", "Ward Nurse", "Mercy", CARE)])
    recommender = Recommender.open(world.settings, encoder=ENCODER)
    itself, ranked = recommender.companies_like("ACME")
    assert itself == {"company": "Acme", "company_id": "acme", "open_postings": 2}
    assert ranked[0]["company"] == "Globex" and ranked[0]["openings"][0]["posting_id"] == pid("3")
    assert "Acme" not in [c["company"] for c in ranked]
    nurses = recommender.companies_like("harbor")[1]
    assert nurses[0]["company"] == "Mercy"
    with pytest.raises(UnknownCompany):
        recommender.companies_like("Umbrella")


def test_the_command_is_listed_and_explains_itself():
    result = CliRunner().invoke(cli, ["companies", "like", "--help"])
    assert result.exit_code == 0 and "most like those of company NAME" in result.output


def test_a_blank_name_matches_no_company_even_beside_postings_without_one(world):  # noqa: F811
    world.night(date(2026, 11, 10), add=[job("1", "Data Engineer", None, DATA_TEXT),
                                         job("2", "Data Engineer", "Acme", DATA_TEXT)])
    recommender = Recommender.open(world.settings, encoder=ENCODER)
    for blank in ("", "\n", "  "):
        with pytest.raises(UnknownCompany):
            recommender.companies_like(blank)
    assert recommender.companies_like("acme")[0]["open_postings"] == 1
