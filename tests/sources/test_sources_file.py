"""The sources file: parsing, validation and the shipped default list."""

from importlib import resources

import pytest

from sources.errors import SourcesError
from sources.sources_file import KNOWN_KINDS, load_sources


def write(tmp_path, text):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_sources_with_optional_fields(tmp_path):
    path = write(tmp_path, """
[[source]]
kind = "greenhouse"
board = "gitlab"
company = "GitLab"
api_base = "http://127.0.0.1:8000/"

[[source]]
kind = "lever"
board = "palantir"
""")
    sources = load_sources(path)
    assert [(s.kind, s.board, s.company, s.api_base) for s in sources] == [
        ("greenhouse", "gitlab", "GitLab", "http://127.0.0.1:8000"),
        ("lever", "palantir", None, None),
    ]
    assert sources[0].key == "greenhouse-gitlab"


@pytest.mark.parametrize("body, message", [
    ('[[source]]\nkind = "monster"\nboard = "x"\n', "unknown kind 'monster'"),
    ('[[source]]\nkind = "lever"\nboard = "  "\n', "needs a non-empty board"),
    ('[[source]]\nkind = "lever"\n', "needs a non-empty board"),
    ('[[source]]\nkind = "lever"\nboard = "a"\napi_base = "ftp://x"\n', "not an http(s) URL"),
    ('[[source]]\nkind = "lever"\nboard = "a"\ncolour = "red"\n', "unknown key(s) colour"),
    ('[[source]\nkind = "lever"\n', "is not valid TOML"),
    ('title = "no sources"\n', "has no [[source]] tables"),
    ('[[source]]\nkind = "lever"\nboard = "a"\n[[source]]\nkind = "lever"\nboard = "a"\n', "listed twice"),
])
def test_bad_sources_file_names_the_problem(tmp_path, body, message):
    with pytest.raises(SourcesError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        load_sources(write(tmp_path, body))


def test_missing_sources_file(tmp_path):
    with pytest.raises(SourcesError, match="not found"):
        load_sources(tmp_path / "nope.toml")


def test_shipped_default_sources_are_valid(tmp_path):
    text = (resources.files("sources") / "data" / "sources.toml").read_text(encoding="utf-8")
    sources = load_sources(write(tmp_path, text))
    assert len(sources) >= 30
    assert {s.kind for s in sources} <= set(KNOWN_KINDS)
    assert all(s.api_base is None for s in sources)
