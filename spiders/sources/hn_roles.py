"""Read the roles a Hacker News "Who is hiring?" comment lists in its body, for headers that name none.

Many comments put only ``Company | Place | Full time | link`` in the header and list their openings below it::

    We are hiring for:
    - Software Engineer: https://...
    - Product Designer (Remote EU)

A role is taken from a body line only when the line is a list item (``-``, ``*``, ``•``, ``>>``, ``1.``), is
labelled ("Role: ..."), or follows a line that announces roles ("Open roles:", "We're hiring:"); and only the part
before its first colon, dash, full stop or link, if that part is short, starts with a capital, reads as a title
rather than a sentence and names a job (the header's job words). Prose is never read as a role.
"""

from __future__ import annotations

import html
import re

from spiders.sources.hn_header import GENERIC_ROLE, PARENTHESES, ROLE_WORDS, Header, read_header

_BULLET = re.compile(r"^\s*(?:[-*•–·▪◦→]|\+{1,2}|>+|\d{1,2}[.)]|\[\d{1,2}\])\s+")
# A line that announces a list of roles: "We are hiring for:", "Open Roles Include:", "Positions:".
_CUE = re.compile(r"\b(hiring|roles?|positions?|openings?|open reqs?|looking for|vacancies)\b[^.!?]{0,40}:\s*$",
                  re.IGNORECASE)
# A labelled line: "Role: Senior Software Engineer (Rust)".
_LABEL = re.compile(r"^(?:roles?|positions?|job|job title|opening)\s*:\s*(?=\S)", re.IGNORECASE)
# Where a listed title ends: a colon, a spaced dash, bar or arrow, a full stop, a link.
_TITLE_END = re.compile(r":|\s[-–—|→]\s|\s[-–—→]$|\.\s|https?://|\s@\s|\bat\s+https?")
# A bracketed aside that is pay, not part of the title: "($150k-$200k)".
_PAY_ASIDE = re.compile(r"\s*[(\[][^)\]]*(?:[$€£]\s?\d|\d\s?[kK]\b)[^)\]]*[)\]]")
# Words that make a line a sentence about the work ("Comfort with AI/ML devops"), not a title.
_PROSE_WORDS = re.compile(r"\b(with|to|you|your|we|our|will|is|are)\b", re.IGNORECASE)
_PROSE_START = re.compile(r"^(we|we're|you|you'll|our|i|i'm|if|this|the|it|they|as|in|for|and|with|to|a|an)\b",
                          re.IGNORECASE)
# Longer than this, a line is a sentence about a role rather than its title.
MAX_TITLE_WORDS = 8
MAX_ROLES = 12


def body_lines(comment_html: str) -> list[str]:
    """The comment's lines after the header paragraph, as plain text."""
    text = re.sub(r"<p>", "\n", comment_html or "", flags=re.IGNORECASE)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return [line for line in lines[1:] if line]


def listed_title(line: str) -> str | None:
    """The job title a list line starts with, or ``None`` when the line does not start with one."""
    title = _BULLET.sub("", line)
    end = _TITLE_END.search(title)
    title = _close_brackets(_PAY_ASIDE.sub("", title[: end.start()] if end else title)).strip(" -–—*•,;.→")
    bare = PARENTHESES.sub("", title).strip()
    if not bare or len(bare.split()) > MAX_TITLE_WORDS or not bare[0].isupper() and not bare[0].isdigit():
        return None
    if _PROSE_START.match(bare) or _PROSE_WORDS.search(bare):
        return None
    if not ROLE_WORDS.search(bare) or GENERIC_ROLE.search(title):
        return None
    return title


def _close_brackets(title: str) -> str:
    """``title`` cut before a bracket that the cut left open ("Lead Engineer (Remote" -> "Lead Engineer")."""
    depth, opened_at = 0, None
    for index, char in enumerate(title):
        if char in "([":
            if depth == 0:
                opened_at = index
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
    return title[:opened_at] if depth and opened_at is not None else title


def body_roles(comment_html: str) -> list[str]:
    """The distinct job titles the comment's body lists, in order (at most ``MAX_ROLES``)."""
    titles: list[str] = []
    in_list = False
    for line in body_lines(comment_html):
        bulleted = bool(_BULLET.match(line))
        labelled = _LABEL.match(line)
        if labelled:
            title = listed_title(line[labelled.end():])
        else:
            title = listed_title(line) if bulleted or in_list else None
        if title and title.lower() not in {t.lower() for t in titles}:
            titles.append(title)
        if _CUE.search(line):
            in_list = True
        elif not bulleted and not title:
            in_list = False  # prose ends an announced list
    return titles[:MAX_ROLES]


def posting_header(comment_html: str) -> Header | None:
    """The comment's header with its roles: those the header names, else those its body lists; ``None`` when
    the header names no company or no role is found either way."""
    header = read_header(comment_html)
    if header is not None and not header.titles:
        header.titles = body_roles(comment_html)
    return header if header is not None and header.titles else None
