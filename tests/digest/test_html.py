"""The digest's HTML and Markdown make every scraped string inert: no script, no injected tags, links or headings."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from tests.support.digest_world import HOSTILE_COMPANY, HOSTILE_TITLE, hostile_world, settings, world  # noqa: F401

ALLOWED_TAGS = {"html", "head", "meta", "title", "body", "table", "tr", "td", "h1", "h2", "h3", "p", "ul", "li", "div", "span",
                "a", "strong", "code"}


class Collect(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parsed(html: str) -> Collect:
    collect = Collect()
    collect.feed(html)
    return collect


def assert_inert(page: Collect, allowed=ALLOWED_TAGS) -> None:
    assert {tag for tag, _ in page.tags} <= allowed
    for _, attrs in page.tags:
        assert not [name for name in attrs if name.startswith("on")]
        href = attrs.get("href")
        assert href is None or href.startswith(("https://", "http://")), href
        assert "javascript:" not in " ".join(str(v) for v in attrs.values()).lower()


def test_hostile_strings_are_escaped_in_the_html(world):  # noqa: F811
    html = hostile_world(world).prepared(date(2026, 11, 16)).html
    page = parsed(html)
    assert_inert(page)
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<iframe" not in html.lower()
    text = " ".join(page.text)
    assert HOSTILE_TITLE in text and HOSTILE_COMPANY in text  # shown literally, as text
    assert "Data Engineer **bold** <u>" in text
    hostile_links = [attrs for tag, attrs in page.tags if tag == "a" and "666" in attrs.get("href", "")]
    assert hostile_links == []  # a javascript: url gets no link at all
    metas = [attrs for tag, attrs in page.tags if tag == "meta"]
    assert any(m.get("http-equiv") == "Content-Security-Policy" and "default-src 'none'" in m["content"]
               for m in metas)


def test_hostile_strings_are_escaped_in_the_markdown(world):  # noqa: F811
    markdown = hostile_world(world).prepared(date(2026, 11, 16)).markdown
    assert "<script>" not in markdown and "](javascript:" not in markdown
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert all(line.startswith(("# Your plenty digest", "## Because", "## Saved", "### ")) for line in headings)
    # Rendered by a CommonMark renderer that lets raw HTML through, nothing becomes markup.
    rendered = MarkdownIt("commonmark", {"html": True}).render(markdown)
    page = parsed(rendered)
    assert_inert(page, allowed={"h1", "h2", "h3", "p", "ol", "ul", "li", "strong", "a", "code", "hr", "br"})
    text = "".join(page.text)
    assert HOSTILE_TITLE in text and HOSTILE_COMPANY in text
    assert "<b>bold</b> *stars* `code`" in text and "Data Engineer **bold** <u>" in text


def test_the_html_is_one_self_contained_file(world):  # noqa: F811
    html = hostile_world(world).prepared(date(2026, 11, 16)).html
    page = parsed(html)
    assert not [tag for tag, attrs in page.tags if tag in ("link", "script", "style", "img")]
    sources = [attrs for _, attrs in page.tags if "src" in attrs]
    assert sources == []
    assert html.startswith("<!DOCTYPE html>") and 'charset="utf-8"' in html
