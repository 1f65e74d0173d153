"""Read the header line of a Hacker News "Who is hiring?" comment: ``Company | Role | Location | ...``.

The header is the text before the comment's first paragraph break, split on ``|``. Each part is classified as a
link, a salary, an employment type, a location (work-mode words or known places), a role (job words) or other;
the company is the first part that is none of these. A header without a company is not guessed at:
``read_header`` returns ``None``; one without a concrete role comes back with no titles, for ``hn_roles`` to look
for them in the body.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_LINK = re.compile(r"https?://|^(www\.)?[\w-]+(\.[\w-]+)*\.(com|io|ai|dev|co|org|net|app|tech|so|xyz|de|uk|ag|build|"
                   r"care|space|health|ch|fr|nl|se|eu|us|ca|me|sh|gg|inc|jobs)(/\S*)?$", re.IGNORECASE)
_SALARY = re.compile(r"[$€£]\s?\d|\b\d+\s?k\b|\b(usd|eur|gbp|chf)\b|\bequity\b|\bsalary\b", re.IGNORECASE)
_EMPLOYMENT = re.compile(r"\b(full[- ]?time|part[- ]?time|contract(or)?|intern(ship)?s?|freelance|permanent|"
                         r"fte|w2|1099)\b", re.IGNORECASE)
_WORK_MODE = re.compile(r"\b(remote|onsite|on-site|on site|hybrid|in[- ]office|in-person|wfh|distributed)\b",
                        re.IGNORECASE)
_OTHER = re.compile(r"\b(yc|visa|sponsorship|citizenship|clearance|relocation|people|employees|series [a-e]|"
                    r"seed|funded|founded|hiring)\b", re.IGNORECASE)
ROLE_WORDS = re.compile(
    r"\b(engineers?|engineering manager|developers?|devs?|programmers?|scientists?|designers?|managers?|leads?|"
    r"head of|directors?|architects?|analysts?|researchers?|sres?|devops|devsecops|advocates?|recruiters?|"
    r"marketers?|account executives?|ae|founders?|cto|cfo|coo|vp|officers?|specialists?|consultants?|"
    r"technicians?|writers?|editors?|administrators?|accountants?|counsel|quants?|physicists?|chemists?|"
    r"biologists?|operators?|associates?|representatives?|sdrs?|bdrs?|strategists?|generalists?|"
    r"product owners?|pms?|tpms?|mechanics?|machinists?|nurses?|clinicians?|teachers?|tutors?|coordinators?|"
    r"assistants?|executives?|business development|staff|principal|swe|mle|qa|testers?)\b",
    re.IGNORECASE,
)
# A role part that names no role in particular ("Multiple roles", "Engineering (Multiple)").
GENERIC_ROLE = re.compile(r"\b(multiple|various|several|many|all|open|\d+)\b.*\b(roles?|positions?|openings?)\b|"
                           r"\((multiple|various|several)\)|^(multiple|various) (roles|positions)$", re.IGNORECASE)
# Places that appear in headers without a work-mode word ("Berlin", "NYC", "London, New York, Singapore").
_PLACES = re.compile(
    r"\b(usa?|uk|eu|emea|apac|latam|us-only|north america|south america|europe|asia|africa|oceania|worldwide|"
    r"anywhere|global|nyc|sf|sfba|bay area|la|dc|new york|san francisco|los angeles|seattle|boston|austin|"
    r"chicago|denver|atlanta|miami|dallas|houston|portland|toronto|vancouver|montreal|london|berlin|munich|"
    r"hamburg|paris|amsterdam|zurich|geneva|stockholm|copenhagen|oslo|helsinki|dublin|lisbon|madrid|barcelona|"
    r"milan|rome|vienna|prague|warsaw|tel aviv|bangalore|bengaluru|singapore|tokyo|sydney|melbourne|"
    r"san diego|san jose|palo alto|mountain view|menlo park|oakland|berkeley|brooklyn|cambridge|oxford|"
    r"germany|france|spain|italy|netherlands|switzerland|austria|sweden|norway|denmark|finland|poland|"
    r"portugal|ireland|israel|india|japan|australia|canada|mexico|brazil|argentina)\b",
    re.IGNORECASE,
)
_REGION_CODE = re.compile(r"^[A-Z]{2}$|,\s?[A-Z]{2}\b")  # "US", "Austin, TX"
PARENTHESES = re.compile(r"\s*\([^)]*\)")
_ROLE_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_AMOUNT = re.compile(r"[$€£]\s?\d")
_LEAD_IN = re.compile(r"^(company|we are hiring|we're hiring|now hiring|hiring)\s*:?\s*", re.IGNORECASE)
_BARE_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)+$")
# Longer parts are prose that ran on from the header, not fields.
MAX_PART_WORDS = 12


@dataclass
class Header:
    """What a comment's header says: the company, one or more role titles, locations and remote-ness."""

    company: str
    titles: list[str]
    locations: list[str] = field(default_factory=list)
    is_remote: bool | None = None
    salary: str | None = None
    employment_type: str | None = None


def header_text(comment_html: str) -> str:
    """The comment's first paragraph as plain text (HN separates paragraphs with ``<p>``)."""
    first = re.split(r"<p>|\n", comment_html or "", maxsplit=1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", first)).split())


def kind_of(part: str) -> str:
    """``link``, ``salary``, ``employment``, ``location``, ``role`` or ``other`` for one header part."""
    if len(part.split()) > MAX_PART_WORDS:
        return "other"
    if _LINK.search(PARENTHESES.sub("", part)) and len(part.split()) <= 2:
        return "link"
    if _AMOUNT.search(part):
        return "salary"
    if ROLE_WORDS.search(part) and not _WORK_MODE.fullmatch(part.strip()):
        return "role"
    if _SALARY.search(part):
        return "salary"
    if _WORK_MODE.search(part):
        return "location"
    if _EMPLOYMENT.search(part):
        return "employment"
    if _OTHER.search(part):
        return "other"
    if _PLACES.search(part) or _REGION_CODE.search(part):
        return "location"
    return "other"


def split_roles(part: str) -> list[str]:
    """The role titles of one part: split on ``,``/``&``/``and`` outside parentheses where each piece is a role."""
    pieces: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(part):
        depth += (char == "(") - (char == ")")
        if depth == 0 and _ROLE_SPLIT.match(part, index) and _ROLE_SPLIT.match(part, index).group().strip():
            match = _ROLE_SPLIT.match(part, index)
            pieces.append(part[start:index])
            start = match.end()
    pieces.append(part[start:])
    titles: list[str] = []
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        if titles and not ROLE_WORDS.search(PARENTHESES.sub("", piece)):
            titles[-1] = f"{titles[-1]}, {piece}"  # "Software Engineer, Full Stack" is one title
        else:
            titles.append(_LEAD_IN.sub("", piece))
    return [t for t in titles if t and not GENERIC_ROLE.search(t)]


def read_header(comment_html: str) -> Header | None:
    """The header of one comment, or ``None`` when it names no company; its ``titles`` may be empty (a header
    such as ``Company | Remote | Full time`` that leaves the roles to the body)."""
    parts = [_LEAD_IN.sub("", p.strip()) for p in header_text(comment_html).split("|")]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return None
    kinds = [kind_of(p) for p in parts]
    if kinds[0] == "link" and _BARE_DOMAIN.match(parts[0]):
        kinds[0] = "other"  # "Matterworks.ai | ML Scientist": the company goes by its domain
    if kinds[0] == "location" and not _WORK_MODE.search(parts[0]) and "location" in kinds[1:]:
        kinds[0] = "other"  # "London Stock Exchange | ... | Remote": a place in the company's name
    at = next((i for i, (p, k) in enumerate(zip(parts, kinds))
               if k == "other" and len(p.split()) <= 6 and not _OTHER.search(PARENTHESES.sub("", p))), None)
    if at is None or at > 1:
        return None  # a "company" found after two other parts is more likely a tagline
    company = PARENTHESES.sub("", parts[at]).strip(" -–,")
    titles = [t for p, k in zip(parts, kinds) if k == "role" for t in split_roles(p)]
    if not company or len(company.split()) > 6:
        return None
    locations = [p for p, k in zip(parts, kinds) if k == "location"]
    modes = " ".join(locations).lower()
    remote = True if "remote" in modes else (False if _WORK_MODE.search(modes) else None)
    salary = next((p for p, k in zip(parts, kinds) if k == "salary"), None)
    employment = next((p for p, k in zip(parts, kinds) if k == "employment"), None)
    return Header(company=company, titles=titles, locations=locations, is_remote=remote, salary=salary,
                  employment_type=employment)
