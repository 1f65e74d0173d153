"""The journal's plan, a draft mailed through a real SMTP server on 127.0.0.1, and the digest's next steps
(issue 18). Real job ads (the recorded boards under ../shared, read by plenty's spiders) are imported and embedded
with the hashing encoder; the packaged model runs the same commands in tests/journal/test_analyse_model.py."""

from __future__ import annotations

import email
import json
from email import policy

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.digest.test_smtp import PASSWORD, Inbox, check_login, free_port  # noqa: F401
from tests.support.fake_model import fake_model  # noqa: F401
from tests.support.real_ads import write_real_ads

CV = "Backend developer. Eight years of Python and SQL; PostgreSQL, REST APIs, code reviews, mentoring."


def plenty(*args):
    """Run one command in this process and return its result."""
    return CliRunner().invoke(cli, [str(a) for a in args])


def ok(*args):
    """Run one command that must succeed."""
    result = plenty(*args)
    assert result.exit_code == 0, f"plenty {args} -> {result.exit_code}\n{result.output}"
    return result


@pytest.fixture
def analysed_world(home, tmp_path, fake_model):  # noqa: F811
    """Real ads imported, a backend rejection with feedback and a review, and a CV naming Python and SQL."""
    ok("import", write_real_ads(tmp_path / "ads.jsonl"), "--skip-bad")
    ok("reject", "add", "--title", "Senior Backend Engineer", "--company", "Initech", "--text",
       "Design and run backend services in Python and Go on PostgreSQL; APIs, on-call, code review.")
    ok("reject", "feedback", "1", "--text", "Good coding, but you seemed unprepared for the system design round.")
    ok("reject", "review", "1", "--went-well", "pairing on the bug", "--tag", "nervousness", "--tag", "preparation")
    cv = tmp_path / "cv.md"
    cv.write_text(CV, encoding="utf-8")
    ok("profile", "set", "--file", cv)
    return home


def test_analyse_json_counts_skills_marks_the_cv_s_and_gives_examples(analysed_world):
    plan = json.loads(ok("analyse", "1", "--json").output)
    skills = plan["skills"]
    assert skills and all(set(s) >= {"skill", "openings", "have", "examples"} for s in skills)
    assert all(1 <= s["openings"] <= plan["openings"] <= 50 for s in skills)
    have = {s["skill"].lower() for s in skills if s["have"]}
    assert have & {"python", "sql", "postgresql"}, skills
    lacking = [s for s in plan["to_build"]]
    assert lacking and all(not s["have"] for s in lacking)
    assert all(1 <= len(s["examples"]) <= 2 for s in lacking)
    assert all(e["title"] for s in lacking for e in s["examples"])
    demand = [s["openings"] for s in lacking]
    assert demand == sorted(demand, reverse=True) or plan["to_build"] != sorted(plan["to_build"],
                                                                                 key=lambda s: -s["openings"])
    assert plan["feedback"] and plan["feedback"][0]["steps"]
    assert [t["tag"] for t in plan["review"]["tags"]] == ["nervousness", "preparation"]
    assert all(t["step"] for t in plan["review"]["tags"])
    assert plan["review"]["went_well"] == "pairing on the bug"


def test_analyse_writes_the_plan_as_markdown_and_prints_it(analysed_world):
    result = ok("analyse", "1")
    plan = analysed_world / "plans" / "1.md"
    text = plan.read_text(encoding="utf-8")
    assert "pairing on the bug" in text and "Initech" in text
    assert "pairing on the bug" in result.output and str(plan) in result.output


def test_the_digest_names_next_steps_per_rejection(analysed_world):
    ok("analyse", "1")
    ok("reject", "add", "--title", "Data Engineer", "--company", "Globex", "--text", "Spark and SQL pipelines")
    ok("digest")
    [markdown] = (analysed_world / "digests").glob("*.md")
    digest = markdown.read_text(encoding="utf-8")
    assert "### Next steps" in digest, digest
    assert "plenty draft 2 ask" in digest  # no feedback asked or received yet
    assert "plenty draft 1 ask" not in digest  # feedback already received
    plan = json.loads(ok("analyse", "1", "--json").output)
    top = [s["skill"] for s in plan["to_build"][:3]]
    assert top and all(skill in digest for skill in top)


@pytest.fixture
def smtp(home):
    """A local SMTP server with AUTH on 127.0.0.1 and the data home's [smtp] pointing at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=check_login,
                            auth_require_tls=False)
    controller.start()
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {controller.port}\nuser = "me"\nsecurity = "none"\n'
        'from = "Me <me@example.org>"\ntimeout = 60\n', encoding="utf-8")
    yield inbox
    controller.stop()


def test_draft_ask_send_mails_the_contact_and_records_that_feedback_was_asked(home, smtp, monkeypatch):
    ok("reject", "add", "--title", "Data Engineer", "--company", "Globex", "--text", "pipelines")
    ok("reject", "contact", "1", "--name", "Grace Hopper", "--email", "grace@globex.example")
    monkeypatch.setenv("PLENTY_SMTP_PASSWORD", PASSWORD)
    sent = ok("draft", "1", "ask", "--send")
    assert PASSWORD not in sent.output
    assert "Sent to grace@globex.example" in sent.output
    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["grace@globex.example"]
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert "Globex" in message.get_content() and "Data Engineer" in message.get_content()
    shown = ok("reject", "show", "1").output
    assert "Feedback asked: not yet" not in shown and "Sent:      ask to grace@globex.example" in shown


def test_a_refused_send_records_nothing(home, smtp, monkeypatch):
    smtp.refuse = True
    ok("reject", "add", "--title", "Data Engineer", "--company", "Globex", "--text", "pipelines")
    ok("reject", "contact", "1", "--email", "grace@globex.example")
    monkeypatch.setenv("PLENTY_SMTP_PASSWORD", PASSWORD)
    result = plenty("draft", "1", "ask", "--send")
    assert result.exit_code == 1 and result.output.startswith("Error: ") and "Traceback" not in result.output
    assert "Feedback asked: not yet" in ok("reject", "show", "1").output


def test_next_steps_follow_up_a_request_a_week_old_and_wait_before(home):
    from datetime import date, timedelta

    from datahome.settings import load_settings
    from journal.next_steps import next_steps
    from warehouse import connect

    ok("reject", "add", "--title", "Data Engineer", "--company", "Globex", "--text", "pipelines")
    ok("reject", "add", "--title", "Nurse", "--company", "St Mary", "--text", "ward")
    today = date.today()
    ok("reject", "asked", "1", "--date", str(today - timedelta(days=9)))
    ok("reject", "asked", "2", "--date", str(today - timedelta(days=3)))
    with connect(home / "plenty.duckdb") as con:
        steps = next_steps(load_settings(), con, today)
    assert steps[1].follow_up and steps[1].asked_days == 9 and not steps[1].ask
    assert not steps[2].follow_up and steps[2].asked_days == 3
    assert "Globex" in ok("draft", "1", "follow-up").output
    refused = plenty("draft", "2", "follow-up")
    assert refused.exit_code == 1 and "7 days" in refused.output
