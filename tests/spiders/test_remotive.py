"""The Remotive spider on the three recorded ats-2026 responses, and the terms it enforces (few calls a day,
credit and link back on every posting)."""

from __future__ import annotations

import pytest

from spiders.crawl import crawl_settings, spider_class
from spiders.sources.remotive import RemotiveSpider
from tests.support.spiders import ATS_2026, as_dicts, response_for, shared

API = "https://remotive.com/api/remote-jobs"
FIELDS = ("source_id", "url", "title", "company", "locations", "department", "employment_type",
          "salary_min", "salary_max", "salary_currency", "salary_period", "posted_at")
EXPECTED = {
    "wule15__remotive.json": [
        ("2091081", "https://remotive.com/remote-jobs/design/senior-graphic-designer-2091081",
         "Senior Graphic Designer", "Lemon.io", ["Americas, Europe, Asia, Africa, Oceania"], "Design", "Full-time",
         None, None, None, None, "2026-07-28T14:23:05Z"),
        ("2090903", "https://remotive.com/remote-jobs/data/data-labeling-specialists-2090903",
         "Data Labeling Specialists", "Workada", ["USA"], "Data and Analytics", "Freelance",
         18.0, 22.0, "USD", "hour", "2026-07-26T20:49:11Z"),
    ],
    "TheGamer406__remotive.json": [
        ("2091093", "https://remotive.com/remote-jobs/all-others/face-deduplication-collection-2091093",
         "Face Deduplication Collection", "TELUS Digital", ["USA"], "All others", "Part-time",
         None, None, None, None, "2026-08-13T06:25:53Z"),
        ("1680495", "https://remotive.com/remote-jobs/marketing/remote-office-assistant-1680495",
         "Remote Office Assistant", "Coalition Technologies", ["Worldwide"], "Marketing", "Full-time",
         31200.0, 52000.0, "USD", None, "2026-08-11T20:18:02Z"),
        ("2086540", "https://remotive.com/remote-jobs/sales/inside-sales-contractor-2086540",
         "Inside Sales Contractor", "Credit Wellness, LLC", ["Worldwide"], "Sales", "Full-time",
         25000.0, 35000.0, "USD", None, "2026-08-08T21:48:06Z"),
    ],
    "lcarlini__remotive.json": [
        ("2091081", "https://remotive.com/remote-jobs/design/senior-graphic-designer-2091081",
         "Senior Graphic Designer", "Lemon.io", ["Americas, Europe, Asia, Africa, Oceania"], "Design", "Full-time",
         None, None, None, None, "2026-07-28T14:23:05Z"),
        ("2090903", "https://remotive.com/remote-jobs/data/data-labeling-specialists-2090903",
         "Data Labeling Specialists", "Workada", ["USA"], "Data and Analytics", "Freelance",
         18.0, 22.0, "USD", "hour", "2026-07-26T20:49:11Z"),
        ("2091075", "https://remotive.com/remote-jobs/sales/business-development-representative-2091075",
         "Business Development Representative", "Outsite", ["Northern America, Europe, UK, France, European timezones"],
         "Sales", "Full-time", 45000.0, 50000.0, "USD", None, "2026-07-23T15:39:28Z"),
        ("2091074", "https://remotive.com/remote-jobs/all-others/content-reviewer-united-states-2091074",
         "Content Reviewer - United States", "TELUS Digital", ["USA"], "All others", "Part-time",
         14.0, 14.0, "USD", "hour", "2026-07-23T15:37:35Z"),
        ("2091072", "https://remotive.com/remote-jobs/sales/product-sales-specialist-pet-health-cst-timezone-2091072",
         "Product Sales Specialist - Pet Health (CST timezone)", "Tribe Wellness", ["Worldwide"], "Sales", None,
         None, None, None, None, "2026-07-22T06:22:11Z"),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recorded_board_yields_exact_items(name):
    file = shared(ATS_2026 / "remotive" / name)
    items = as_dicts(RemotiveSpider(board="").parse(response_for(API, file)))
    assert [tuple(item[f] for f in FIELDS) for item in items] == EXPECTED[name]
    for item in items:
        assert (item["source"], item["board"], item["is_remote"], item["credit"]) == ("remotive", "", True, "Remotive")
        assert item["description"] and "<" not in item["description"]


def test_truncated_and_full_recordings_share_the_beginning_of_the_text():
    file = shared(ATS_2026 / "remotive" / "wule15__remotive.json")
    truncated = as_dicts(RemotiveSpider().parse(response_for(API, file)))
    full = as_dicts(RemotiveSpider().parse(response_for(API, ATS_2026 / "remotive" / "lcarlini__remotive.json")))
    assert full[0]["description"].startswith(truncated[0]["description"][:100])
    assert len(full[0]["description"]) > len(truncated[0]["description"])


def test_board_selects_a_category_or_a_search():
    assert RemotiveSpider().needs_board is False
    assert RemotiveSpider(board="software-dev").board == "software-dev"


def test_terms_cache_limits_calls_to_one_per_six_hours(tmp_path):
    settings = crawl_settings(tmp_path / "f.part", overrides={"TERMS_CACHE_DIR": str(tmp_path / "terms")})
    spider_class(settings, "remotive").update_settings(settings)
    assert settings.getbool("HTTPCACHE_ENABLED") is True
    assert settings.getint("HTTPCACHE_EXPIRATION_SECS") == 6 * 3600
    assert settings["HTTPCACHE_DIR"] == str((tmp_path / "terms" / "remotive").resolve())
    assert settings.getfloat("DOWNLOAD_DELAY") >= 30
    # A development cache from the command line is used as it is.
    dev = crawl_settings(tmp_path / "f.part", http_cache=tmp_path / "dev")
    spider_class(dev, "remotive").update_settings(dev)
    assert dev["HTTPCACHE_DIR"] == str((tmp_path / "dev").resolve())
    # Sources without such terms are not cached.
    plain = crawl_settings(tmp_path / "f.part")
    spider_class(plain, "arbeitnow").update_settings(plain)
    assert plain.getbool("HTTPCACHE_ENABLED") is False
