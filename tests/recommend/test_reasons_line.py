"""Why a posting is suggested: shared occupation and skills, then seniority, place and salary differences."""

from embeddings.skills import load_skill_terms, skill_terms
from recommend.reasons import posting_role, reason, rejected_role, salary_in_text


def test_skill_terms_come_from_the_esco_skills_list(tmp_path):
    terms = load_skill_terms(cache_dir=tmp_path)
    text = "Build Python APIs on PostgreSQL; machine learning a plus; code review every day; night shifts."
    found = skill_terms(text, terms)
    assert {"python", "postgresql", "machine learning", "code review"} <= set(found)
    assert "night" not in found and "plus" not in found
    assert load_skill_terms(cache_dir=tmp_path) == terms  # read back from the cache
    assert skill_terms("Care for patients on the ward", terms) == ["care for patients"]


def test_salary_in_text():
    assert salary_in_text("Salary: €60,000 - €75,000 per year") == (60000, 75000, "EUR")
    assert salary_in_text("GBP 45k–55k") == (45000, 55000, "GBP")
    assert salary_in_text("5 years of experience") == (None, None, None)


def test_reason_names_what_is_shared_and_what_differs():
    role = rejected_role("Senior Backend Engineer", "Berlin office. Python, PostgreSQL. EUR 70,000-80,000",
                         ["python", "postgresql"])
    same_city = posting_role({"title": "Backend Engineer", "locations": ["Berlin, Germany"], "salary_min": 60000,
                              "salary_max": 70000, "salary_currency": "EUR", "salary_period": "year"},
                             ["python", "kafka", "postgresql"])
    assert reason(role, same_city, ("software developer",)) == (
        "shared skills: python, postgresql; same occupation: software developer; one level down (mid)")
    remote = posting_role({"title": "Senior Backend Engineer", "locations": [], "is_remote": True}, ["go"])
    assert reason(role, remote) == "remote (yours was not); same level (senior)"


def test_reason_leads_with_the_rarest_skill_and_never_names_a_generic_one():
    role = rejected_role("Backend Engineer", "Kotlin, design and build, PostgreSQL", ["kotlin", "design and build",
                                                                                  "postgresql"])
    posting = posting_role({"title": "Backend Engineer", "locations": ["Paris"]},
                           ["design and build", "postgresql", "kotlin"])
    shares = {"kotlin": 0.02, "postgresql": 0.1, "design and build": 0.6}
    line = reason(role, posting, share=shares.get)
    assert line.startswith("shared skills: kotlin, postgresql")
    assert "design and build" not in line
    assert len(line.split("; ")) <= 3
    only_generic = posting_role({"title": "Backend Engineer"}, ["design and build"])
    assert "shared skills" not in reason(role, only_generic, share=shares.get)


def test_reason_compares_the_salary_with_the_floor_and_counts_levels():
    role = rejected_role("Engineer", "Python", ["python"])
    paid = posting_role({"title": "Lead Engineer", "salary_min": 50000, "salary_max": 70000,
                         "salary_currency": "EUR", "salary_period": "year"}, [])
    line = reason(role, paid, floor=(60000, "EUR"))
    assert "EUR 50k–70k a year (reaches your floor of 60k)" in line
    assert "two levels up (lead)" in line


def test_generic_esco_terms_are_never_named_even_in_a_small_corpus():
    role = rejected_role("Backend Engineer", "design and build, technical designs, PostgreSQL",
                         ["design and build", "technical designs", "postgresql"])
    posting = posting_role({"title": "Backend Engineer"}, ["technical designs", "design and build", "postgresql"])
    assert reason(role, posting).startswith("shared skills: postgresql;")
    assert reason(role, posting, share=lambda skill: 0.01).startswith("shared skills: postgresql;")
