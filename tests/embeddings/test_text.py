"""The texts embedded for postings and rejections."""

from embeddings.text import posting_text, query_text, tokenizable


def test_posting_text_starts_with_title_then_company_places_and_description():
    text = posting_text(
        "  Senior   Data Engineer ",
        "Acme",
        "Build\n\n pipelines.\tOwn them.",
        locations=["Berlin", " ", "Remote - EU"],
    )
    assert text == "Senior Data Engineer at Acme (Berlin; Remote - EU)\n\nBuild pipelines. Own them."


def test_posting_text_without_optional_parts_is_just_the_title():
    assert posting_text("Nurse", None, None) == "Nurse"
    assert posting_text("Nurse", "", "") == "Nurse"


def test_posting_text_is_cut_at_a_word_boundary():
    text = posting_text("Chef", "Bistro", "word " * 1000, max_chars=100)
    assert len(text) <= 100
    assert text.startswith("Chef at Bistro\n\nword") and text.endswith("word")


def test_query_text_joins_title_and_text():
    assert query_text("Backend Engineer", " Python,  APIs ") == "Backend Engineer\n\nPython, APIs"
    assert query_text(None, "only text") == "only text"
    assert query_text("Only title", "") == "Only title"


def test_tokenizable_replaces_lone_surrogates_and_joins_pairs():
    assert tokenizable("a\ud800b") == "a\ufffdb"
    assert tokenizable("\udfff") == "\ufffd"
    assert tokenizable("\ud83d\ude00 fish") == "\U0001f600 fish"
    assert tokenizable("Zürich 東京") == "Zürich 東京"
    assert tokenizable(42) == "42"
