"""The rejection journal through the command line: contact, feedback, review, show, drafts and the profile, on a
fresh data home, with the bad input the issue names (issue 18)."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from journal.cv_text import read_cv
from journal.entries import set_contact, set_review
from journal.errors import CVReadError, InvalidEntry
from warehouse import connect

ROLE = "Backend Engineer"
COMPANY = "Initech"


def plenty(*args: str):
    """Run one command in this process (the test's data home)."""
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_error_line(result) -> str:
    """The single ``Error:`` line of a failed command (exit 1, no traceback)."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


@pytest.fixture
def rejection(home):
    """A recorded rejection (id 1) on a fresh data home."""
    added = plenty("reject", "add", "--title", ROLE, "--company", COMPANY, "--text", "Python and SQL services",
                   "--date", "2026-11-20", "--stage", "onsite")
    assert added.exit_code == 0, added.output
    return 1


def test_contact_feedback_and_review_are_kept_and_shown(rejection, tmp_path):
    assert plenty("reject", "contact", rejection, "--name", "Ada Lovelace", "--email", "ada@initech.example"
                  ).exit_code == 0
    assert plenty("reject", "feedback", rejection, "--text", "Strong on SQL; system design was thin.",
                  "--date", "2026-11-25").exit_code == 0
    notes = tmp_path / "call.txt"
    notes.write_text("They liked the take-home.\nAsk again in spring.", encoding="utf-8")
    assert plenty("reject", "feedback", rejection, "--file", notes).exit_code == 0
    reviewed = plenty("reject", "review", rejection, "--went-well", "the take-home", "--went-wrong",
                      "froze on the design question", "--tag", "nervousness", "--tag", "technical gap")
    assert reviewed.exit_code == 0 and "nervousness, technical gap" in reviewed.output

    shown = plenty("reject", "show", rejection)
    assert shown.exit_code == 0, shown.output
    out = shown.output
    assert f"{ROLE} at {COMPANY}" in out and "onsite" in out and "2026-11-20" in out
    assert "Ada Lovelace <ada@initech.example>" in out
    assert "Feedback received: 2" in out and "system design was thin" in out and "Ask again in spring" in out
    assert "froze on the design question" in out and "the take-home" in out
    assert "Feedback asked: not yet" in out


def test_a_contact_name_with_a_newline_is_refused_and_nothing_is_written(rejection, home):
    result = plenty("reject", "contact", rejection, "--name", "Eve\r\nBcc: all@example.com", "--email",
                    "eve@example.com")
    assert "name" in one_error_line(result).lower()
    assert "Contact:   -" in plenty("reject", "show", rejection).output
    with connect(home / "plenty.duckdb") as con, pytest.raises(InvalidEntry):
        set_contact(con, rejection, name="Eve\nBcc: x@example.com")


def test_a_bad_e_mail_address_and_an_unknown_tag_are_refused(rejection, home):
    one_error_line(plenty("reject", "contact", rejection, "--email", "not an address"))
    line = one_error_line(plenty("reject", "review", rejection, "--tag", "bad luck"))
    assert "bad luck" in line
    with connect(home / "plenty.duckdb") as con, pytest.raises(InvalidEntry):
        set_review(con, rejection, tags=("bad luck",))
    assert "tags:       -" in plenty("reject", "show", rejection).output


@pytest.mark.parametrize("command", [
    ["reject", "show", "99"], ["reject", "feedback", "99", "--text", "x"], ["reject", "contact", "99", "--name", "A"],
    ["reject", "review", "99", "--went-well", "x"], ["draft", "99", "ask"], ["analyse", "99"],
])
def test_an_unknown_rejection_id_is_one_error_line(home, command):
    assert "99" in one_error_line(plenty(*command))


def test_analyse_on_a_fresh_data_home_writes_a_plan_that_says_how_to_get_openings(rejection, home):
    plenty("reject", "review", rejection, "--went-wrong", "froze", "--tag", "nervousness")
    result = plenty("analyse", rejection)
    assert result.exit_code == 0, result.output
    assert "No open openings to read yet" in result.output and "plenty import FILE" in result.output
    # the shipped preparation steps read as written, without Markdown escapes
    assert "mock interviews this week (a friend" in result.output and "\\(" not in result.output
    assert (home / "plans" / f"{rejection}.md").is_file()
    plan = json.loads(plenty("analyse", rejection, "--json").output)
    assert plan["openings"] == 0 and plan["skills"] == [] and plan["review"]["tags"][0]["tag"] == "nervousness"


def test_feedback_from_a_missing_file_is_refused(rejection, tmp_path):
    one_error_line(plenty("reject", "feedback", rejection, "--file", tmp_path / "nowhere.txt"))
    assert "Feedback received: none yet" in plenty("reject", "show", rejection).output


def test_the_ask_draft_names_company_role_and_contact_and_is_saved_as_txt_and_eml(rejection, home):
    plenty("reject", "contact", rejection, "--name", "Ada Lovelace", "--email", "ada@initech.example")
    result = plenty("draft", rejection, "ask")
    assert result.exit_code == 0, result.output
    assert COMPANY in result.output and ROLE in result.output and "Ada" in result.output
    txt = home / "drafts" / f"{rejection}-ask.txt"
    eml = home / "drafts" / f"{rejection}-ask.eml"
    assert txt.read_text(encoding="utf-8").startswith("To: Ada Lovelace <ada@initech.example>")
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["To"].addresses[0].addr_spec == "ada@initech.example"
    assert ROLE in message["Subject"] or COMPANY in message["Subject"]
    assert COMPANY in message.get_content()
    thank = plenty("draft", rejection, "thank")
    assert thank.exit_code == 0 and COMPANY in thank.output


def test_a_user_template_overrides_the_shipped_one(rejection, home):
    (home / "templates").mkdir(parents=True)
    (home / "templates" / "thank.txt").write_text("Subject: Thanks, {{ company }}\n\nThank you for {{ role }}.\n",
                                                  encoding="utf-8")
    result = plenty("draft", rejection, "thank")
    assert result.exit_code == 0, result.output
    assert f"Subject: Thanks, {COMPANY}" in result.output and f"Thank you for {ROLE}." in result.output


def test_sending_without_a_contact_e_mail_is_refused_before_anything_is_written(rejection, home):
    (home / "config.toml").write_text('[smtp]\nhost = "127.0.0.1"\nport = 2525\nfrom = "me@example.com"\n',
                                      encoding="utf-8")
    assert "contact" in one_error_line(plenty("draft", rejection, "ask", "--send"))
    assert not (home / "drafts" / f"{rejection}-ask.eml").exists()


# The profile: CV text from each format, and each bad file refused with nothing stored.

def minimal_pdf(text: str) -> bytes:
    """A one-page PDF whose content stream shows `text` in Helvetica (with a correct cross-reference table)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
               b"/Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def write_cv(folder: Path, suffix: str, text: str) -> Path:
    """A CV holding `text` in the format of `suffix`, written by the format's own library where there is one."""
    path = folder / f"cv{suffix}"
    if suffix == ".pdf":
        path.write_bytes(minimal_pdf(text))
    elif suffix == ".docx":
        import docx

        document = docx.Document()
        document.add_heading("Curriculum vitae", level=1)
        document.add_paragraph(text)
        document.save(str(path))
    else:
        path.write_text(f"# CV\n\n{text}\n" if suffix == ".md" else text, encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".txt", ".md", ".pdf", ".docx"])
def test_a_cv_in_each_format_is_read_and_its_skills_listed(home, tmp_path, suffix):
    cv = write_cv(tmp_path, suffix, "Backend developer: Python, SQL and PostgreSQL for eight years.")
    text, _format = read_cv(cv)
    assert "Python" in text and "SQL" in text
    stored = plenty("profile", "set", "--file", cv)
    assert stored.exit_code == 0, stored.output
    shown = plenty("profile", "show")
    assert shown.exit_code == 0, shown.output
    skills = shown.output.lower()
    assert "python" in skills and "sql" in skills


def test_bad_cv_files_are_one_error_line_and_store_nothing(home, tmp_path):
    missing = tmp_path / "missing.pdf"
    unsupported = tmp_path / "cv.odt"
    unsupported.write_bytes(b"PK\x03\x04 not really")
    corrupt_pdf = tmp_path / "broken.pdf"
    corrupt_pdf.write_bytes(b"%PDF-1.4\n this is not a PDF body")
    corrupt_docx = tmp_path / "broken.docx"
    corrupt_docx.write_bytes(b"not a zip archive")
    not_utf8 = tmp_path / "latin.txt"
    not_utf8.write_bytes("Entwickler f\xfcr Python".encode("latin-1"))
    for bad in (missing, unsupported, corrupt_pdf, corrupt_docx, not_utf8):
        line = one_error_line(plenty("profile", "set", "--file", bad))
        assert bad.name in line, line
        with pytest.raises(CVReadError):
            read_cv(bad)
    assert "No CV stored yet" in plenty("profile", "show").output


def test_sending_a_draft_without_an_smtp_table_names_the_keys_a_draft_needs(rejection, home):
    plenty("reject", "contact", rejection, "--email", "ada@initech.example")
    line = one_error_line(plenty("draft", rejection, "ask", "--send"))
    assert "[smtp]" in line and "(host, port, from)" in line
    assert not (home / "drafts" / f"{rejection}-ask.eml").exists()
