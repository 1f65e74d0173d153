"""The title a query text gives when none is passed: its first line, without a posting head's company and places."""

from recommend.recommender import _first_line


def test_a_pasted_posting_s_head_gives_its_title():
    assert _first_line("Telehealth Nurse Advisor at Tidewell Care\n\nThe role ...") == "Telehealth Nurse Advisor"
    assert _first_line("Data Engineer at Acme (Berlin; Remote - EU)\n\nBuild pipelines.") == "Data Engineer"
    assert _first_line("\n  Senior Backend Engineer, Payments Platform\nMy notes") == \
        "Senior Backend Engineer, Payments Platform"


def test_a_title_that_only_contains_at_is_kept():
    assert _first_line("Work at height technician") == "Work at height technician"
    assert _first_line("ICU nurse") == "ICU nurse"
