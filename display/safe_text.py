"""Scraped text made safe for a terminal: no escape sequences, no control characters, no bidi tricks.

A job board controls every string plenty shows. ``ESC[2J`` clears the screen, ``ESC]0;...BEL`` retitles the
window, ``ESC]8;;url`` hides a link behind text, a C1 ``CSI`` (U+009B) does the same as ``ESC[`` on some
terminals, and U+202E reverses what follows. These helpers are applied at the last step, where text is printed.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls but tab and newline, DEL, C1 controls, the bidi embeddings/overrides/isolates, and lone surrogates
# (a command-line byte that is not UTF-8 arrives as one, and no UTF-8 terminal or file can be written one).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# What a JSON string may hold raw but a terminal would act on (JSON already escapes C0 controls), and lone
# surrogates, which JSON writes as the same escapes.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


def visible(char: str) -> str:
    """A control character written out so a reader sees it: ``\\x1b``, ``\\u202e``."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_line(value: Any) -> str:
    """``value`` as one line of inert text: line breaks folded to spaces, control characters made visible."""
    if value is None:
        return ""
    text = _LINE_BREAKS.sub(" ", str(value))
    return _UNSAFE.sub(lambda m: visible(m.group()), text).replace("\t", " ")


def safe_text(value: Any) -> str:
    """``value`` as inert multi-line text: newlines and tabs kept, every other control character made visible."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub(lambda m: visible(m.group()), text)


def safe_json(document: Any, **kwargs: Any) -> str:
    """``json.dumps`` with non-ASCII text kept readable, except the characters a terminal would act on, which
    are written as ``\\uXXXX`` escapes: the JSON means exactly the same, and printing it is harmless."""
    text = json.dumps(document, ensure_ascii=False, **kwargs)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
