"""Text as the warehouse can store it: DuckDB holds UTF-8, which has no lone surrogate.

Python strings can hold one: a JSON ``"\\ud800"`` escape, or a command-line argument with a byte that is not
UTF-8 (Python decodes it as ``\\udcff``). Such a character is replaced by U+FFFD, as a decoder replaces a bad byte,
so the text is kept rather than the whole write refused.
"""

from __future__ import annotations

import re
from typing import Any

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(value: Any) -> Any:
    """``value`` with every lone surrogate in its texts (also inside lists, tuples and dict values) replaced by
    U+FFFD; anything else unchanged."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, (list, tuple)):
        return type(value)(storable(item) for item in value)
    if isinstance(value, dict):
        return {key: storable(item) for key, item in value.items()}
    return value
