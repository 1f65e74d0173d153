"""Pure cleaning functions used by the posting loader: text, HTML, dates, remote flags and salaries.

Every function takes one raw value as a board publishes it and returns the clean value, or ``None`` when
nothing usable is left (item loaders drop ``None``).
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone
from html.parser import HTMLParser

_SPACES = re.compile(r"[^\S\n]+")  # any whitespace except newline (includes NBSP and other Unicode spaces)
_BLANK_RUNS = re.compile(r"\n{3,}")
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
# Recorded responses are sometimes cut mid-tag; an unterminated tag at the very end is markup, not text.
_TRAILING_PARTIAL_TAG = re.compile(r"<[a-zA-Z/!][^>]*$")


class Html(str):
    """A string that holds HTML markup; ``to_text`` turns it into plain text."""


class EscapedHtml(Html):
    """HTML whose markup is itself entity-escaped (``&lt;p&gt;``), as Greenhouse's ``content`` is."""


_C1_CONTROL = re.compile(r"[\x80-\x9f]")
# A JSON "\ud800" escape decodes to a lone surrogate, which no UTF-8 feed (or DuckDB) can hold.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_MOJIBAKE_RUN = re.compile(r"[\xc2-\xf4][\x80-\xbf]{1,3}")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Latin-1 (``â\x80\x94`` -> ``—``), as some boards serve it.

    Only text holding a C1 control character is touched: those never occur in real text, so their presence is
    the evidence; each run is replaced only when it decodes as valid UTF-8.
    """
    if not _C1_CONTROL.search(text):
        return text

    def fix(match: re.Match) -> str:
        try:
            return match.group().encode("latin-1").decode("utf-8")
        except UnicodeError:
            return match.group()

    return _MOJIBAKE_RUN.sub(fix, text)


def repaired(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD (as a decoder replaces a bad byte) and mojibake undone."""
    return repair_mojibake(_LONE_SURROGATE.sub("\ufffd", text))


def clean_line(value: object) -> str | None:
    """One line of text with runs of whitespace collapsed to single spaces; ``None`` when empty."""
    if value is None:
        return None
    text = " ".join(repaired(str(value)).split())
    return text or None


def normalize_text(value: str) -> str:
    """Plain text with spaces collapsed inside lines, lines stripped and at most one blank line in a row."""
    text = repaired(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre",
    "section", "table", "tbody", "thead", "tfoot", "tr", "ul",
}
_PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre", "section"}
_SKIP_TAGS = {"script", "style", "head", "title", "noscript", "template"}


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, turning block boundaries into line or paragraph breaks.

    Breaks are held back until the next visible text, so nested blocks (``<li><p>``) give one break, not several.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._breaks = 0  # newlines owed before the next text
        self._bullet = False  # a list item started and has no text yet
        self._list_items = 0  # depth of open <li>
        self._skipping = 0

    def _break(self, newlines: int) -> None:
        if self._list_items:
            newlines = 1  # paragraphs inside a list item stay inside it
        self._breaks = max(self._breaks, newlines)

    def _block(self, tag: str) -> None:
        self._break(2 if tag in _PARAGRAPH_TAGS else 1)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag == "li":
            self._break(1)
            self._list_items += 1
            self._bullet = True
        elif tag == "br":
            self._breaks = min(self._breaks + 1, 2)
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCK_TAGS:
            self._block(tag)

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag == "br":
            self._breaks = min(self._breaks + 1, 2)
        elif tag == "hr":
            self._break(2)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "li":
            self._list_items = max(0, self._list_items - 1)
            self._bullet = False
        elif tag in _BLOCK_TAGS:
            self._block(tag)

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        # In HTML a source newline is just a space; breaks come only from tags.
        text = _SPACES.sub(" ", data.replace("\n", " "))
        if not text.strip() and (self._breaks or self._bullet):
            return
        if self._breaks or self._bullet:
            self.parts.append("\n" * self._breaks + ("- " if self._bullet else ""))
            text = text.lstrip()
            self._breaks, self._bullet = 0, False
        self.parts.append(text)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: tags removed, entities decoded, paragraph and list breaks kept."""
    if not _TAG.search(markup):
        # No markup at all (Lever's older ``description`` was plain text): keep its own line breaks.
        return normalize_text(html.unescape(markup))
    parser = _TextExtractor()
    parser.feed(_TRAILING_PARTIAL_TAG.sub("", markup))
    parser.close()
    return normalize_text("".join(parser.parts))


def to_text(value: object) -> str | None:
    """Clean text of a description part: ``EscapedHtml`` is unescaped first, ``Html`` is stripped of tags."""
    if value is None:
        return None
    if isinstance(value, EscapedHtml):
        text = html_to_text(html.unescape(value))
    elif isinstance(value, Html):
        text = html_to_text(value)
    else:
        text = normalize_text(str(value))
    return text or None


_UTC_SUFFIX = re.compile(r"\s*(UTC|GMT)$", re.IGNORECASE)


def epoch_seconds(value: object) -> int | None:
    """Epoch milliseconds from epoch seconds (Arbeitnow, Remote OK, Hacker News), for ``to_iso_utc``."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(float(str(value))) * 1000
    except ValueError:
        return None


def to_iso_utc(value: object) -> str | None:
    """ISO 8601 UTC (``2026-04-17T09:58:03Z``) from epoch milliseconds or an ISO 8601 string."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        moment = datetime.fromtimestamp(value / 1000, tz=timezone.utc)
    else:
        text = str(value).strip()
        if text.isdigit():
            return to_iso_utc(int(text))
        # Recruitee writes "2026-08-11 20:45:29 UTC"; the suffix means the same as "Z".
        text = _UTC_SUFFIX.sub("+00:00", text.replace("Z", "+00:00"))
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
        if moment.tzinfo is None:
            # Boards that omit the offset publish UTC.
            moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


_REMOTE_FALSE = {"onsite", "on-site", "on site", "in office", "in-office", "office", "hybrid"}
_REMOTE_WORD = re.compile(r"\bremote\b", re.IGNORECASE)


def to_remote(value: object) -> bool | None:
    """Whether a posting is remote, from a boolean, a workplace type or a location text; ``None`` if unknown."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = " ".join(str(value).lower().split())
    if text == "remote" or _REMOTE_WORD.search(text):
        return True
    if text in _REMOTE_FALSE:
        return False
    return None


_PERIODS = {
    "hour": "hour", "hourly": "hour", "per-hour-wage": "hour", "1 hour": "hour",
    "day": "day", "daily": "day", "per-day-wage": "day", "1 day": "day",
    "week": "week", "weekly": "week", "per-week-salary": "week", "1 week": "week",
    "month": "month", "monthly": "month", "per-month-salary": "month", "1 month": "month",
    "year": "year", "yearly": "year", "annual": "year", "annually": "year", "per-year-salary": "year",
    "1 year": "year",
}


def to_period(value: object) -> str | None:
    """A pay period as ``hour|day|week|month|year`` from Lever (``per-year-salary``) or Ashby (``1 YEAR``) spelling."""
    text = clean_line(value)
    return _PERIODS.get(text.lower()) if text else None


def to_amount(value: object) -> float | None:
    """A salary amount as a float; ``None`` for missing, non-numeric or non-positive values."""
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = float(str(value).replace(",", "").strip())
    except ValueError:
        return None
    return amount if amount > 0 else None


_EMPLOYMENT_TYPES = {
    "fulltime": "Full-time", "full time": "Full-time", "full-time": "Full-time",
    "parttime": "Part-time", "part time": "Part-time", "part-time": "Part-time",
    "contract": "Contract", "contractor": "Contract",
    "temporary": "Temporary", "temp": "Temporary",
    "intern": "Internship", "internship": "Internship",
    "freelance": "Freelance", "freelancer": "Freelance",
}


def to_employment_type(value: object) -> str | None:
    """Common employment types spelled one way (``FullTime``, ``FULL_TIME`` -> ``Full-time``); others kept."""
    text = clean_line(value)
    if text is None:
        return None
    return _EMPLOYMENT_TYPES.get(text.lower().replace("_", " "), text)


_ESCAPED_MARKUP = re.compile(r"&lt;[a-zA-Z/!]")


def as_markup(value: object) -> Html | None:
    """A description as ``Html``, or ``EscapedHtml`` when its markup is mostly entity-escaped (``&lt;p&gt;``)."""
    if value is None:
        return None
    text = str(value)
    # Arbeitnow appends real tags to an escaped body: the kind of markup that dominates decides.
    if len(_ESCAPED_MARKUP.findall(text)) > len(_TAG.findall(text)):
        return EscapedHtml(text)
    return Html(text)


def company_from_board(board: str) -> str | None:
    """A display name guessed from a board token (``comand-ai`` -> ``Comand Ai``); tokens with capitals kept."""
    words = [word for word in re.split(r"[-_\s]+", board) if word]
    if not words:
        return None
    if board != board.lower():
        return " ".join(words)
    return " ".join(word.capitalize() for word in words)
