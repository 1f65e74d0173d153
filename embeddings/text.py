"""The text that is embedded for a posting and for a rejection.

Title first: the model reads at most a few hundred tokens, and the title says the most about the role.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DEFAULT_MAX_CHARS = 2000
# The version of the text embedded for a posting or a rejection: stored vectors are kept under the model and
# this version (corpus.encoders.stored_name), so a change of the text re-embeds everything once. 2: a long
# ad's body starts at its first duties/requirements heading.
TEXT_VERSION = 2
_WHITESPACE = re.compile(r"\s+")
# A line that opens the part of an ad saying what the job is and needs (English and German headings). Measured
# in bench/quality.py (`--ad-texts requirements`, bench/RESULTS.md "Long ads"): the model reads 256 tokens,
# and a company introduction would spend them.
JOB_HEADING = re.compile(
    r"^.{0,40}\b(requirements|qualifications|what you (will )?bring|about you|your profile|you have|who you are|"
    r"what we.re looking for|skills|must have|experience|responsibilities|what you.ll do|the role|dein profil|"
    r"ihr profil|anforderungen|deine aufgaben|ihre aufgaben)\b", re.I | re.M)


def text_versioned(model: str, version: int | None = None) -> str:
    """The name a model's stored vectors carry for a version of the embedded text (default `TEXT_VERSION`;
    `model#text-vN`; text 1 was stored under the bare model name)."""
    version = TEXT_VERSION if version is None else version
    return model if version < 2 else f"{model}#text-v{version}"


def bare_model(stored: str) -> tuple[str, int]:
    """(model, text version) of a name made by `text_versioned`."""
    model, marker, version = stored.rpartition("#text-v")
    return (model, int(version)) if marker and version.isdigit() else (stored, 1)


def _clean(text: str | None) -> str:
    return _WHITESPACE.sub(" ", text or "").strip()


def _truncate(text: str, max_chars: int) -> str:
    """Cut `text` to at most `max_chars`, at a word boundary when one is near."""
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    space = cut.rfind(" ")
    return cut[:space] if space > max_chars * 0.8 else cut


def job_part(text: str | None) -> str:
    """`text` from the first line that opens its duties or requirements on (all of it when no line does), so
    the tokens a model reads hold the job rather than the company's introduction."""
    text = text or ""
    found = JOB_HEADING.search(text)
    return text[found.start():] if found else text


def posting_text(
    title: str,
    company: str | None,
    description: str | None,
    locations: Iterable[str] = (),
    max_chars: int = DEFAULT_MAX_CHARS,
    from_heading: bool = True,
) -> str:
    """The text embedded for a posting: `Title at Company (Place; Place)`, a blank line, the description from
    its first duties/requirements heading on (`job_part`; the whole description with `from_heading=False`, the
    text of TEXT_VERSION 1).

    Whitespace is normalised and the result cut to `max_chars` (past the model's token limit anyway), so
    the same fields always give the same text and therefore the same content hash.
    """
    head = _clean(title)
    company = _clean(company)
    if company:
        head = f"{head} at {company}"
    places = [p for p in (_clean(place) for place in locations) if p]
    if places:
        head = f"{head} ({'; '.join(places)})"
    body = _clean(job_part(description) if from_heading else description)
    return _truncate(f"{head}\n\n{body}" if body else head, max_chars)


def query_text(title: str | None, text: str | None, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The text embedded for a rejection: the role's title, a blank line, the text the user gave (from its
    first duties/requirements heading on, as for a posting)."""
    head, body = _clean(title), _clean(job_part(text))
    joined = "\n\n".join(part for part in (head, body) if part)
    return _truncate(joined, max_chars)


def pasted_text(text: str | None) -> str:
    """A query given as one text (a rejected role's title and text, a pasted ad): its first line, the title as a
    rule, kept, and the rest from its first duties/requirements heading on, as `posting_text` embeds a posting."""
    head, newline, rest = (text or "").partition("\n")
    return f"{head}\n{job_part(rest)}" if newline else head


def tokenizable(text: object) -> str:
    """`text` as a string every tokenizer accepts: a lone surrogate (which JSON can carry, as in
    ``"\\ud800"``, but UTF-8 cannot) becomes U+FFFD; surrogate pairs become the character they stand for."""
    return str(text).encode("utf-16", "surrogatepass").decode("utf-16", "replace")

