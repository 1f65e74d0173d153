"""The runner's settings: polite defaults, per-kind delays, and command-line overrides that win."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from spiders.crawl import crawl_settings, key_values, spider_class
from spiders.errors import BadArgument, UnknownKind


def _spider_settings(settings: Settings, kind: str) -> Settings:
    """``settings`` as a crawl of ``kind`` sees them, after the spider applied its own."""
    settings = settings.copy()
    spider_class(settings, kind).update_settings(settings)
    return settings


def test_defaults_are_polite(tmp_path):
    settings = crawl_settings(tmp_path / "feed.jsonl.part")
    assert settings.getbool("ROBOTSTXT_OBEY") is True
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is True
    assert settings.getbool("HTTPCACHE_ENABLED") is False
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    assert 0 < settings.getint("RETRY_TIMES") <= 3
    assert settings["USER_AGENT"].startswith("plenty") and "+https://" in settings["USER_AGENT"]
    assert settings["FEED_EXPORT_ENCODING"] == "utf-8"
    assert list(settings.getdict("FEEDS")) == [str(tmp_path / "feed.jsonl.part")]
    assert set(settings.getdict("DOWNLOAD_DELAYS")) >= {"greenhouse", "lever", "ashby"}


def test_each_kind_applies_its_delay_and_the_command_line_wins(tmp_path):
    settings = crawl_settings(tmp_path / "f.part")
    delays = settings.getdict("DOWNLOAD_DELAYS")
    assert _spider_settings(settings, "lever").getfloat("DOWNLOAD_DELAY") == delays["lever"] > 0
    fast = crawl_settings(tmp_path / "f.part", overrides={"DOWNLOAD_DELAY": 0})
    assert _spider_settings(fast, "lever").getfloat("DOWNLOAD_DELAY") == 0


def test_autothrottle_starts_at_the_kinds_delay_unless_the_command_line_says_otherwise(tmp_path):
    settings = crawl_settings(tmp_path / "f.part")
    delays = settings.getdict("DOWNLOAD_DELAYS")
    for kind in ("greenhouse", "remoteok", "hn"):
        assert _spider_settings(settings, kind).getfloat("AUTOTHROTTLE_START_DELAY") == delays[kind]
    cautious = crawl_settings(tmp_path / "f.part", overrides={"AUTOTHROTTLE_START_DELAY": 5})
    assert _spider_settings(cautious, "greenhouse").getfloat("AUTOTHROTTLE_START_DELAY") == 5


def test_cache_and_user_agent_options(tmp_path):
    settings = crawl_settings(tmp_path / "f.part", http_cache=tmp_path / "cache", user_agent="plenty-test/1 (+mailto:me)")
    assert settings.getbool("HTTPCACHE_ENABLED") is True
    assert settings["HTTPCACHE_DIR"] == str((tmp_path / "cache").resolve())
    assert settings["USER_AGENT"] == "plenty-test/1 (+mailto:me)"


def test_key_values_parse_json_or_keep_strings():
    assert key_values(["DOWNLOAD_DELAY=0", "ROBOTSTXT_OBEY=false", "USER_AGENT=a b", "X="]) == {
        "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False, "USER_AGENT": "a b", "X": ""}
    with pytest.raises(BadArgument):
        key_values(["NOVALUE"])


def test_unknown_kind_is_a_named_error(tmp_path):
    known = ("arbeitnow, ashby, greenhouse, hn, jsonld, lever, personio, recruitee, remoteok, remotive, "
             "smartrecruiters, workable")
    with pytest.raises(UnknownKind, match=f"known kinds: {known}$"):
        spider_class(crawl_settings(tmp_path / "f.part"), "monster")
