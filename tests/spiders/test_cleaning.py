"""The pure cleaning functions behind the posting loader."""

from __future__ import annotations

import pytest

from spiders.cleaning import (
    EscapedHtml,
    Html,
    clean_line,
    company_from_board,
    html_to_text,
    to_amount,
    to_employment_type,
    to_iso_utc,
    to_period,
    to_remote,
    to_text,
)


def test_clean_line_collapses_whitespace_and_empties_to_none():
    assert clean_line("  Senior\u00a0 Data\n\tEngineer ") == "Senior Data Engineer"
    assert clean_line(" \n ") is None
    assert clean_line(None) is None


def test_html_to_text_keeps_paragraphs_and_list_items():
    markup = ("<h2>Role</h2><p>Build  things\nwell.</p>"
              "<ul><li><p>One</p></li>\n<li>Two &amp; <b>three</b></li></ul><p>End</p>")
    assert html_to_text(markup) == "Role\n\nBuild things well.\n\n- One\n- Two & three\n\nEnd"


def test_html_to_text_drops_scripts_and_a_tag_cut_off_at_the_end():
    assert html_to_text("<p>Hi<script>alert(1)</script></p><div>there</div><span data-x=\"{") == "Hi\n\nthere"


def test_html_to_text_keeps_line_breaks_of_plain_text():
    assert html_to_text("First paragraph.\n\nSecond &amp; last.") == "First paragraph.\n\nSecond & last."


def test_to_text_unescapes_greenhouse_content_once_more():
    assert to_text(EscapedHtml("&lt;p&gt;Tea &amp;amp; cake&amp;nbsp;daily&lt;/p&gt;")) == "Tea & cake daily"
    assert to_text(Html("<p>Tea &amp; cake</p>")) == "Tea & cake"
    assert to_text("Line one \n\n\n\n Line two") == "Line one\n\nLine two"
    assert to_text(Html("")) is None


@pytest.mark.parametrize("raw, iso", [
    (1711403416463, "2024-03-25T21:50:16Z"),  # Lever createdAt, epoch milliseconds
    ("2026-08-10T16:52:46-04:00", "2026-08-10T20:52:46Z"),  # Greenhouse
    ("2026-04-02T21:00:55.755+00:00", "2026-04-02T21:00:55Z"),  # Ashby
    ("2026-04-02T21:00:55Z", "2026-04-02T21:00:55Z"),
    ("2026-04-02T21:00:55", "2026-04-02T21:00:55Z"),
    ("not a date", None),
    (None, None),
])
def test_to_iso_utc(raw, iso):
    assert to_iso_utc(raw) == iso


@pytest.mark.parametrize("raw, remote", [
    (True, True), (False, False), ("remote", True), ("Remote", True), ("Hybrid", False), ("OnSite", False),
    ("onsite", False), ("unspecified", None), ("Remote - United States", True), ("Munich", None), (None, None),
])
def test_to_remote(raw, remote):
    assert to_remote(raw) is remote


def test_salary_fields():
    assert [to_period(p) for p in ("per-year-salary", "1 YEAR", "per-hour-wage", "1 MONTH", "one-time")] == [
        "year", "year", "hour", "month", None]
    amounts = [to_amount(a) for a in (150000, "85,000", 0, None, "n/a", True)]
    assert amounts == [150000.0, 85000.0, None, None, None, None]


def test_employment_types_and_company_names():
    assert [to_employment_type(t) for t in ("FullTime", "Full Time", "full-time", "Contract", "Freelance")] == [
        "Full-time", "Full-time", "Full-time", "Contract", "Freelance"]
    assert company_from_board("comand-ai") == "Comand Ai"
    assert company_from_board("palantir") == "Palantir"
    assert company_from_board("OpenEvidence") == "OpenEvidence"


def test_a_lone_surrogate_from_a_json_escape_becomes_the_replacement_character():
    assert clean_line("Nurse \ud800 Leeds") == "Nurse \ufffd Leeds"
    assert to_text(Html("<p>Care \udcff</p>")) == "Care \ufffd"
    assert clean_line("Pflege 🐟") == "Pflege 🐟"  # a real astral character is kept
