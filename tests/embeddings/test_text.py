"""The texts embedded for postings and rejections."""

from embeddings.text import job_part, pasted_text, posting_text, query_text, tokenizable


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


AD = ("Acme builds the software behind half of Europe's bakeries.\nWe were founded in 1990 and love bread.\n"
      "What you'll do\nRun our payment APIs in Go.\nRequirements\n5 years of Go.")


def test_a_long_ads_text_starts_at_its_first_duties_or_requirements_heading():
    assert job_part(AD) == "What you'll do\nRun our payment APIs in Go.\nRequirements\n5 years of Go."
    assert posting_text("Backend Engineer", "Acme", AD) == (
        "Backend Engineer at Acme\n\nWhat you'll do Run our payment APIs in Go. Requirements 5 years of Go.")
    assert posting_text("Backend Engineer", "Acme", AD, from_heading=False).startswith(
        "Backend Engineer at Acme\n\nAcme builds the software")
    assert query_text("Backend Engineer", AD) == posting_text("Backend Engineer", None, AD)
    german = "Wir sind ein Familienbetrieb.\nIhre Aufgaben\nPflege der Patienten\nIhr Profil\nExamen"
    assert job_part(german).startswith("Ihre Aufgaben")


def test_a_pasted_query_keeps_its_first_line_and_reads_the_rest_from_the_job_s_part():
    assert pasted_text(f"Backend Engineer at Acme\n\n{AD}") == (
        "Backend Engineer at Acme\nWhat you'll do\nRun our payment APIs in Go.\nRequirements\n5 years of Go.")
    assert pasted_text("Requirements engineer") == "Requirements engineer"  # one line: the title itself
    assert pasted_text(pasted_text(f"Backend Engineer\n{AD}")) == pasted_text(f"Backend Engineer\n{AD}")
    assert pasted_text(None) == ""


def test_an_ad_without_such_a_heading_is_kept_whole():
    assert job_part("Bake bread at night. Good pay.") == "Bake bread at night. Good pay."
    assert job_part(None) == ""
    # A heading word far into a line is prose, not a heading: nothing before it is dropped.
    prose = "We are a small bakery in Lyon looking for a person with some experience.\nApply now."
    assert job_part(prose) == prose


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


def test_a_stored_name_carries_the_text_version_and_gives_the_model_back():
    from embeddings.text import TEXT_VERSION, bare_model, text_versioned

    assert text_versioned("m+onnx", 1) == "m+onnx" and text_versioned("m+onnx", 3) == "m+onnx#text-v3"
    assert bare_model(text_versioned("m+onnx")) == ("m+onnx", TEXT_VERSION)
    assert bare_model("m+onnx") == ("m+onnx", 1)
