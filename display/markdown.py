"""Text made inert in Markdown: what the digest and the journal's plans write around scraped or typed strings."""

from __future__ import annotations

import re

from display.safe_text import safe_line

# Punctuation Markdown (CommonMark, GFM) gives a meaning to inside a line; each is backslash-escaped.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~&])")
_WHITESPACE = re.compile(r"\s+")


def md_escape(text: str | None) -> str:
    """A string made inert in Markdown: one line, special punctuation backslash-escaped.

    Newlines are folded so a title cannot start a heading, list or HTML block of its own; control characters
    (terminal escape sequences, which a text mail client would obey) are written out visibly.
    """
    return _SPECIAL.sub(r"\\\1", _WHITESPACE.sub(" ", safe_line(text)).strip())
