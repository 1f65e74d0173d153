"""An unexpected exception in any command: one line naming the command and the exception, the traceback in a
crash log under the data home (or a temporary file), a request for a bug report, and exit code 70."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cli.crash import BUG_REPORTS, EX_SOFTWARE
from cli.main import cli
from tests.support.paths import REPO

CRASH_LINE = re.compile(r"^Error: '(?P<command>[^']+)' failed unexpectedly \((?P<what>.+)\)\. This is a bug in "
                        r"plenty; the traceback is in (?P<log>\S+)\. Please report it at (?P<url>\S+) with that "
                        r"file\.$")


def boom(*args, **kwargs):
    raise RuntimeError("the disk said no\x1b[2J")


def crash_of(result) -> re.Match:
    """The one crash line of a result, checked: exit 70, nothing else printed, no traceback."""
    assert result.exit_code == EX_SOFTWARE, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stdout == "", result.output
    match = CRASH_LINE.match(lines[0])
    assert match, lines[0]
    assert match["url"] == BUG_REPORTS
    return match


def test_an_unexpected_exception_is_one_line_a_crash_log_and_exit_70(home, monkeypatch):
    import warehouse.rejections

    monkeypatch.setattr(warehouse.rejections, "list_rejections", boom)
    match = crash_of(CliRunner().invoke(cli, ["reject", "list"]))
    assert match["command"] == "plenty reject list"
    assert match["what"] == "RuntimeError: the disk said no\\x1b[2J"  # shown inert
    log = Path(match["log"])
    assert log.parent == home / "logs" and log.name.startswith("crash-") and log.suffix == ".log"
    text = log.read_text(encoding="utf-8")
    assert "command: plenty reject list" in text and "Traceback (most recent call last)" in text
    assert "cli/reject.py" in text
    assert text.rstrip().endswith("RuntimeError: the disk said no\x1b[2J")


def test_a_corrupt_state_the_code_did_not_foresee_is_reported_as_a_crash(home, monkeypatch):
    import faiss

    from tests.support.fake_model import use_fake_model

    use_fake_model(monkeypatch)
    postings = home.parent / "postings.jsonl"
    postings.write_text('{"title": "Registered Nurse"}\n', encoding="utf-8")
    assert CliRunner().invoke(cli, ["import", str(postings)]).exit_code == 0
    monkeypatch.setattr(faiss.IndexIDMap2, "search", boom)  # a library failing in a way nobody named
    match = crash_of(CliRunner().invoke(cli, ["similar", "--text", "nurse"]))
    assert match["command"] == "plenty similar" and match["what"].startswith("RuntimeError: ")
    assert "Traceback" in Path(match["log"]).read_text(encoding="utf-8")


def test_named_user_errors_keep_their_one_line_and_exit_1(home):
    result = CliRunner().invoke(cli, ["similar", "--rejection", "7"])
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and "failed unexpectedly" not in result.output
    assert not (home / "logs").exists() or not list((home / "logs").glob("crash-*"))


def test_usage_errors_stay_clicks_own(home):
    result = CliRunner().invoke(cli, ["similar", "--k", "zero"])
    assert result.exit_code == 2 and "Invalid value for '--k'" in result.output


def test_without_a_writable_data_home_the_crash_log_is_a_temporary_file(tmp_path, monkeypatch):
    import embeddings.manifest

    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x", encoding="utf-8")
    monkeypatch.setenv("PLENTY_HOME", str(not_a_folder))
    monkeypatch.setattr(embeddings.manifest, "read_manifest", boom)
    match = crash_of(CliRunner().invoke(cli, ["index", "status"]))
    log = Path(match["log"])
    try:
        assert log.name.startswith("plenty-crash-") and not log.is_relative_to(not_a_folder)
        assert "Traceback" in log.read_text(encoding="utf-8")
    finally:
        log.unlink(missing_ok=True)


def test_the_installed_plenty_script_reports_a_crash_the_same_way(tmp_path):
    # A fault injected into the real script's process: sitecustomize runs before plenty's own code.
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(
        "import warehouse.rejections\n"
        "def boom(*a, **k):\n    raise MemoryError('no room for rejections')\n"
        "warehouse.rejections.list_rejections = boom\n", encoding="utf-8")
    home = tmp_path / "home"
    env = {**os.environ, "PLENTY_HOME": str(home), "PYTHONPATH": f"{inject}{os.pathsep}{REPO}"}
    script = Path(sys.executable).with_name("plenty")
    run = subprocess.run([str(script), "reject", "list"], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == EX_SOFTWARE, run.stderr
    assert run.stdout == "" and "Traceback" not in run.stderr
    (line,) = run.stderr.splitlines()
    match = CRASH_LINE.match(line)
    assert match and match["command"] == "plenty reject list" and match["what"] == "MemoryError: no room for rejections"
    assert Path(match["log"]).parent == home / "logs"
    assert "MemoryError: no room for rejections" in Path(match["log"]).read_text(encoding="utf-8")
