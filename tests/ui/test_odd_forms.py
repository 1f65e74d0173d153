"""Forms filled with anything (Hypothesis): every answer is a page, a redirect or a refusal, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from datahome.settings import load_settings
from tests.support.fake_model import use_fake_model
from tests.support.odd_postings import texts
from tests.ui.world import csrf_of, import_world
from ui.app import create_app

ODD = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])
# A browser sends UTF-8: a lone surrogate cannot travel in a form (the HTTP client itself refuses it).
fields = st.one_of(texts.map(lambda t: str(t).replace("\ud800", "\ufffd")), st.sampled_from(["2026-11-01", "yesterday", "2999-01-01", "-1", "1e9", "0"]))


def app_over_world(home, tmp_path, monkeypatch):
    use_fake_model(monkeypatch)
    if not (home / "plenty.duckdb").exists():
        import_world(tmp_path)
    return TestClient(create_app(load_settings()), base_url="http://127.0.0.1")


@ODD
@given(title=fields, company=fields, text=fields, day=fields, stage=fields)
def test_recording_a_rejection_from_any_form(home, tmp_path, monkeypatch, title, company, text, day, stage):
    with app_over_world(home, tmp_path, monkeypatch) as client:
        token = csrf_of(client.get("/").text)
        form = {"csrf": token, "title": title, "company": company, "text": text, "date": day, "stage": stage}
        response = client.post("/rejections", data=form, follow_redirects=False)
        assert response.status_code in (303, 400), response.text[-800:]
        if response.status_code == 303:
            assert client.get(response.headers["location"]).status_code == 200
        else:
            assert "Traceback" not in response.text and 'class="error"' in response.text


# A search is a GET: its address has a length limit (the HTTP client refuses more), so each field is cut.
short = fields.map(lambda t: t[:1000])


@ODD
@given(q=short, location=short, seniority=short, min_salary=short, posted_within=short, exclude=short)
def test_searching_with_any_filters(home, tmp_path, monkeypatch, q, location, seniority, min_salary, posted_within,
                                    exclude):
    with app_over_world(home, tmp_path, monkeypatch) as client:
        response = client.get("/search", params={"q": q, "location": location, "seniority": seniority,
                                                 "min_salary": min_salary, "posted_within": posted_within,
                                                 "exclude_company": exclude, "remote": "on"})
        assert response.status_code in (200, 400), response.text[-800:]
        assert "Traceback" not in response.text
