"""Roles listed in the body of a "Who is hiring?" comment whose header names none: list items, announced lists
and labelled lines are read; prose is not."""

from __future__ import annotations

from spiders.sources.hn_roles import body_roles, listed_title, posting_header


def test_a_list_after_an_announcing_line_gives_one_title_per_item():
    comment = ("Acme Robotics | Berlin | Full-time | https://acme.example"
               "<p>We build arms for warehouses.<p>Open roles:<p>- Senior Backend Engineer: https://acme.example/1"
               "<p>- Product Designer (Remote EU) - design our tools<p>- Senior Backend Engineer"
               "<p>Apply at https://acme.example/jobs")
    assert body_roles(comment) == ["Senior Backend Engineer", "Product Designer (Remote EU)"]
    header = posting_header(comment)
    assert header.company == "Acme Robotics" and header.titles == body_roles(comment)


def test_numbered_bracketed_and_arrow_items_lose_their_markers_pay_and_open_brackets():
    comment = ("Acme | Remote<p>[1] Web Frontend Engineer<p>2) Data Scientist ($150k-$200k)"
               "<p>&gt;&gt; Staff Engineer, Payments →<p>++ Lead iOS Engineer [Tech Stack: Swift, Kotlin]")
    assert body_roles(comment) == ["Web Frontend Engineer", "Data Scientist", "Staff Engineer, Payments",
                                   "Lead iOS Engineer"]


def test_a_labelled_line_is_read_but_prose_is_not():
    assert body_roles("Appear | Stockholm<p>We stream video.<p>Role: Senior Software Engineer (Rust)") == [
        "Senior Software Engineer (Rust)"]
    prose = ("HostGPO | Full-time | Remote<p>We're looking for a Lead Engineer to help shape the platform."
             "<p>- Strong full-stack fluency, with particular preference for Python"
             "<p>- Comfort with AI/ML devops<p>- work directly with the founder")
    assert body_roles(prose) == []
    assert posting_header(prose) is None


def test_an_announced_list_ends_at_prose_and_bullets_of_requirements_are_not_titles():
    comment = ("Acme | NYC<p>Hiring:<p>Platform Engineer<p>Our team is small and senior, and we ship every day."
               "<p>Security Engineer<p>- 5+ years of Go")
    assert body_roles(comment) == ["Platform Engineer"]


def test_listed_title_cuts_at_the_first_separator_and_refuses_sentences():
    assert listed_title("- Staff Software Engineer. (4+ years experience)") == "Staff Software Engineer"
    assert listed_title("* Account Executive | 140k") == "Account Executive"
    assert listed_title("- You will lead the data engineering team") is None
    assert listed_title("- Multiple engineering roles") is None
    assert listed_title("- Kubernetes, Terraform, Postgres") is None


def test_a_header_without_a_company_is_not_rescued_by_its_body():
    assert posting_header("Founding GTM Lead | Chicago | Hybrid<p>Roles:<p>- Account Executive") is None
    assert posting_header("Hey all, we are hiring!<p>Roles:<p>- Account Executive") is None
