"""A fleet of thousands of Greenhouse and Ashby boards served on 127.0.0.1, for the ocean's tests and benchmark.

Each board is four facts (kind, token, size, company name); its JSON body is rendered on request, in the real
API shape (`mirror.formats`), from a list of occupations (titles and sentences), so nothing is held per posting.
Boards change over nights: on night N each posting slot of a board changes with probability `changed_share`
(half of the changes edit the posting's text, half replace it by a new posting with a new id). A board's ETag and
Last-Modified follow its last change, so If-None-Match / If-Modified-Since are answered 304 without rendering.

Company names are the caller's (the tests and the benchmark give fictional ones: fake ads must never be shown
under a real employer's name).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlsplit

from mirror.board_server import LoopbackServing
from mirror.formats import ashby_board, greenhouse_board
from mirror.render import ANCHOR, PLACES

KINDS = ("greenhouse", "ashby")
# Bump when the rendering changes, so every ETag changes with it.
FORMAT_VERSION = "1"
_NAMESPACE = uuid.UUID("5d3c1f0e-6a7b-4c2d-9e8f-0a1b2c3d4e5f")


@dataclass(frozen=True)
class Occupation:
    """What postings of one occupation are written from: its titles, sentences about it, its group and department."""

    titles: tuple[str, ...]
    sentences: tuple[str, ...]
    group: str  # a classification code; postings of one group share duties
    department: str


@dataclass(frozen=True)
class FleetBoard:
    """One board of the fleet."""

    kind: str  # "greenhouse" or "ashby"
    token: str
    size: int  # postings it lists (before Ashby's unlisted ones are dropped)
    company: str


# A few invented occupations, for tests that need postings but not variety (the benchmark reads ESCO instead).
SAMPLE_OCCUPATIONS = (
    Occupation(("Backend engineer", "Python developer"), ("Builds and runs the services behind a product.",
               "Designs APIs and keeps databases healthy."), "2512", "Engineering"),
    Occupation(("Staff nurse", "Ward nurse"), ("Cares for patients on a hospital ward.",
               "Gives medication and keeps patient records."), "2221", "Nursing"),
    Occupation(("Accountant", "Financial accountant"), ("Prepares accounts and tax returns.",
               "Checks ledgers and reports to management."), "2411", "Finance"),
    Occupation(("Warehouse operative", "Picker packer"), ("Picks, packs and ships customer orders.",
               "Keeps the stock counts right."), "9333", "Logistics"),
    Occupation(("Chef de partie", "Line cook"), ("Runs one section of a busy kitchen.",
               "Prepares dishes to the head chef's standard."), "3434", "Kitchen"),
    Occupation(("Primary teacher", "Class teacher"), ("Teaches a class of young children.",
               "Plans lessons and talks with parents."), "2341", "Teaching"),
)

_SENIORITY = ("", "", "", "Senior ", "Junior ", "Lead ", "Principal ", "Trainee ", "Assistant ")
_ASIDES = ("m/f/d", "part-time", "fixed term", "night shift", "remote")
_INTROS = (
    "We are hiring {a} {t} to join our {d} team. {s}",
    "As {a} {t} at {c} you will work with a small, friendly team. {s}",
    "{s} That is the heart of this role, and we need someone who enjoys it.",
    "Our {d} group is growing and we are looking for {a} {t}. {s}",
    "This is {aw} {w} position for {a} {t}. {s} You will report to the head of {d}.",
    "Join {c} as {a} {t}. {s}",
)
_NEEDS = (
    "{n}+ years of experience as {a} {t2} or in a similar role", "Good written and spoken English",
    "Comfort working to deadlines and clear priorities", "A valid work permit for the country of the role",
    "Experience with {t3} is welcome", "Attention to detail and a habit of documenting your work",
    "A relevant qualification or equivalent experience", "Willingness to learn our tools and processes",
)
_BENEFITS = (
    "25 days of paid holiday plus public holidays", "A yearly learning budget of 1,200 euros",
    "Private health insurance for you and your family", "Flexible hours with core time from 10 to 3",
    "A pension plan with a 5% employer match", "Sixteen weeks of fully paid parental leave",
    "A home-office allowance", "Two volunteering days a year", "Bike-to-work scheme and public transport pass",
    "Quarterly team off-sites", "Mental health support through a confidential service",
    "Stock options for every employee", "Meal vouchers on office days", "A four-week sabbatical after five years",
    "Company-paid conference travel", "Free language lessons", "Annual wellbeing allowance",
    "Overtime paid or taken back as time off", "Uniforms and safety gear provided", "Relocation support",
)
_CURRENCY = {"US": "USD", "CA": "CAD", "GB": "GBP", "DK": "DKK", "SE": "SEK", "PL": "PLN"}
_SYLLABLES = ("bar", "cal", "den", "fel", "gor", "hal", "jun", "kel", "lor", "mar", "nor", "pel", "quin", "ros",
              "sal", "tor", "ul", "ven", "wyn", "zel", "ash", "bro", "cor", "dal", "eth", "fin", "gal", "hex")
_TRADES = ("Labs", "Works", "Health", "Logistics", "Foods", "Energy", "Systems", "Studio", "Group", "Care",
           "Clinics", "Bank", "Games", "Hotels", "Freight", "Learning", "Retail", "Builders")


def esco_occupations(occupations_csv, groups_csv) -> tuple[Occupation, ...]:
    """Occupations from ESCO's CSV files (``occupations_en.csv``, ``ISCOGroups_en.csv``): the preferred and
    alternative labels as titles, the description's sentences, the ISCO group and its two-digit group's label as
    the department. (ESCO, © European Union.)"""
    import csv

    with open(groups_csv, encoding="utf-8", newline="") as handle:
        groups = {row["code"]: row["preferredLabel"] for row in csv.DictReader(handle)}
    found = []
    with open(occupations_csv, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            sentences = tuple(s.strip().rstrip(".!?") + "." for s in re.split(r"(?<=[.!?])\s+", row["description"] or "")
                              if len(s.strip()) > 20)
            if not sentences:
                continue
            titles = tuple(dict.fromkeys([row["preferredLabel"], *filter(None, row["altLabels"].splitlines())]))
            group = row["iscoGroup"]
            found.append(Occupation(titles, sentences, group, groups.get(group[:2], "Operations")))
    return tuple(found)


def stable_hash(*parts: object) -> int:
    """A stable 64-bit integer from any values (every choice of the fleet hangs off it)."""
    return int.from_bytes(hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest(), "big")


def fictional_names(count: int, seed: int = 0) -> list[str]:
    """`count` distinct invented company names ("Corvalen Health"), the same for the same seed."""
    rng = random.Random(seed)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
        name = f"{stem.capitalize()} {rng.choice(_TRADES)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


@dataclass
class Fleet:
    """The boards and how they change; `night` is the night being served (0: the first crawl)."""

    boards: list[FleetBoard]
    occupations: tuple[Occupation, ...] = SAMPLE_OCCUPATIONS
    night: int = 0
    changed_share: float = 0.01
    validators: bool = True  # send ETag and Last-Modified (and answer conditional requests with 304)
    gone: set[str] = field(default_factory=set)  # tokens answered with 404
    counts: dict[str, int] = field(default_factory=dict)  # responses by status, and bytes sent
    log: list[dict] = field(default_factory=list)  # one entry per board request: path, status, validators sent

    def __post_init__(self) -> None:
        self._index = {(b.kind, b.token.casefold()): b for b in self.boards}
        self._groups: dict[str, list[int]] = {}
        for position, occupation in enumerate(self.occupations):
            self._groups.setdefault(occupation.group[:3], []).append(position)
        self._lock = threading.Lock()
        self._versions: dict[tuple[str, int], tuple[int, int]] = {}

    # --- how boards change: pure functions of (board, slot, night)
    def changes(self, board: FleetBoard, slot: int, night: int | None = None) -> list[int]:
        """The nights (1..night) on which a posting slot changed."""
        night = self.night if night is None else night
        limit = int(self.changed_share * 1_000_000)
        return [n for n in range(1, night + 1) if stable_hash("change", board.token, slot, n) % 1_000_000 < limit]

    def slot_state(self, board: FleetBoard, slot: int, night: int | None = None) -> tuple[int, int]:
        """(how often the slot's posting was replaced, how often it changed at all) by `night`."""
        nights = self.changes(board, slot, night)
        replaced = sum(1 for n in nights if stable_hash("replace", board.token, slot, n) % 2 == 0)
        return replaced, len(nights)

    def version(self, board: FleetBoard) -> tuple[int, int]:
        """(number of slot changes so far, the last night anything changed) of a board."""
        key = (board.token, self.night)
        if key not in self._versions:
            nights = [n for slot in range(board.size) for n in self.changes(board, slot)]
            self._versions[key] = (len(nights), max(nights, default=0))
        return self._versions[key]

    def changed_postings(self, night: int) -> int:
        """How many listed postings changed (edited or new) on `night`: what a crawl must embed that night."""
        changed = 0
        for board in self.boards:
            if board.token in self.gone:
                continue
            for slot in range(board.size):
                if night in self.changes(board, slot, night) and self._listed(board, slot, night):
                    changed += 1
        return changed

    def listed_postings(self, night: int | None = None) -> int:
        """How many postings the fleet lists (Ashby's unlisted ones left out) on `night`."""
        return sum(1 for b in self.boards if b.token not in self.gone for s in range(b.size) if self._listed(b, s, night))

    def _listed(self, board: FleetBoard, slot: int, night: int | None = None) -> bool:
        replaced, _ = self.slot_state(board, slot, night)
        return board.kind != "ashby" or stable_hash("listed", board.token, slot, replaced) % 50 != 0

    # --- validators
    def etag(self, board: FleetBoard, variant: str) -> str:
        """The strong validator of one representation ("full": with content / compensation, "lean": without)."""
        changes, _ = self.version(board)
        text = f"{FORMAT_VERSION}|{board.kind}|{board.token}|{changes}|{variant}"
        return '"' + hashlib.blake2b(text.encode(), digest_size=10).hexdigest() + '"'

    def last_modified(self, board: FleetBoard):
        """When the board last changed."""
        return ANCHOR + timedelta(days=self.version(board)[1])

    # --- rendering
    def company(self, board: FleetBoard) -> dict:
        """The company facts the renderers read."""
        rng = random.Random(stable_hash("company", board.token))
        occupation = self.occupations[stable_hash("sector", board.token) % len(self.occupations)]
        return {
            "kind": board.kind, "board": board.token, "company": board.company,
            "utc_offset": rng.choice(["+00:00", "+01:00", "-05:00", "-08:00", "+02:00"]),
            "metadata": rng.random() < 0.4,
            "about": f"{board.company} employs people in {occupation.department.lower()}, among others. "
                     f"{rng.choice(occupation.sentences)} We are {rng.randint(12, 4000)} people across "
                     f"{rng.randint(1, 9)} offices.",
            "benefits": rng.sample(_BENEFITS, 4),
            "eeo": f"{board.company} is an equal opportunity employer." if rng.random() < 0.5 else None,
            "site": f"https://{re.sub(r'[^a-z0-9]', '', board.token.lower()) or 'jobs'}.example.com",
        }

    def job(self, board: FleetBoard, company: dict, slot: int) -> dict:
        """One posting of a board as the renderers read it; its id is unique in the fleet."""
        replaced, changed = self.slot_state(board, slot)
        rng = random.Random(stable_hash("job", board.token, slot, replaced))
        occupation = self.occupations[rng.randrange(len(self.occupations))]
        siblings = self._groups.get(occupation.group[:3]) or [0]
        title = rng.choice(_SENIORITY) + rng.choice(occupation.titles)
        title = title[0].upper() + title[1:]
        if rng.random() < 0.2:
            title += f" ({rng.choice(_ASIDES)})"
        place = rng.choice(list(PLACES))
        workplace = "remote" if place.startswith("Remote") else rng.choice(["onsite", "onsite", "hybrid"])
        text_rng = random.Random(stable_hash("text", board.token, slot, changed))  # an edit changes the text only
        duties = []
        for position in text_rng.sample(siblings, min(len(siblings), text_rng.randint(3, 5))):
            sentence = text_rng.choice(self.occupations[position].sentences).rstrip(".;")
            duties.append(sentence[0].upper() + sentence[1:])
        related = [text_rng.choice(self.occupations[text_rng.choice(siblings)].titles) for _ in range(2)]
        needs = [n.format(n=text_rng.randint(1, 8), a=_article(related[0]), t2=related[0], t3=related[1])
                 for n in text_rng.sample(_NEEDS, text_rng.randint(3, 5))]
        sentences = list(occupation.sentences)
        job = {
            "id": self._job_id(board, slot, replaced), "title": title, "location": place,
            "department": occupation.department, "workplace": workplace,
            "type": rng.choice(["full-time"] * 6 + ["part-time", "contract", "internship", "temporary"]),
            "intro": text_rng.choice(_INTROS).format(
                t=title.lower(), d=occupation.department.lower(), c=company["company"], a=_article(title),
                w=workplace, aw=_article(workplace), s=" ".join(text_rng.sample(sentences, min(2, len(sentences))))),
            "do": duties, "need": needs,
        }
        if rng.random() < 0.55:
            low = 24_000 + rng.randrange(0, 90_000, 1000)
            job["salary"] = [low, low + rng.randrange(5000, 40000, 1000), _CURRENCY.get(PLACES[place][3], "EUR"),
                             "year"]
            job["equity"] = rng.random() < 0.2
        if rng.random() < 0.15:
            job["also"] = [p for p in rng.sample(list(PLACES), 2) if p != place][:1]
        job["listed"] = self._listed(board, slot)
        return job

    def _job_id(self, board: FleetBoard, slot: int, replaced: int):
        if board.kind == "greenhouse":
            return 1_000_000_000 + stable_hash("id", board.token, slot, replaced) % 8_000_000_000_000
        return str(uuid.uuid5(_NAMESPACE, f"{board.token}|{slot}|{replaced}"))

    def body(self, board: FleetBoard, full: bool) -> bytes:
        """The board's response body; `full`: with Greenhouse's content or Ashby's compensation."""
        company = self.company(board)
        company["job"] = [self.job(board, company, slot) for slot in range(board.size)]
        if board.kind == "greenhouse":
            document = greenhouse_board(company)
            if not full:
                for job in document["jobs"]:
                    for key in ("content", "departments", "offices"):
                        job.pop(key, None)
        else:
            document = ashby_board(company)
            if not full:
                for job in document["jobs"]:
                    job.pop("compensation", None)
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()

    def lookup(self, path: str) -> FleetBoard | None:
        """The board a request path asks for (tokens are case-insensitive, as the directory suggests)."""
        path = unquote(path)
        found = re.fullmatch(r"/v1/boards/([^/]+)/jobs/?", path)
        if found:
            return self._index.get(("greenhouse", found.group(1).casefold()))
        found = re.fullmatch(r"/posting-api/job-board/([^/]+)/?", path)
        if found:
            return self._index.get(("ashby", found.group(1).casefold()))
        return None

    def answer(self, raw_path: str, headers) -> tuple[int, bytes, dict[str, str]]:
        """(status, body, headers) for a GET of `raw_path` with the request's `headers`."""
        parts = urlsplit(raw_path)
        if parts.path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"}
        board = self.lookup(parts.path)
        if board is None or board.token in self.gone:
            return self._logged(raw_path, headers, 404, b'{"error":"not found"}', {})
        query = parse_qs(parts.query)
        flag = "content" if board.kind == "greenhouse" else "includeCompensation"
        full = query.get(flag, [""])[0] == "true"
        extra: dict[str, str] = {}
        if self.validators:
            etag, modified = self.etag(board, "full" if full else "lean"), self.last_modified(board)
            extra = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True),
                     "Cache-Control": "max-age=0, private, must-revalidate"}
            if _fresh(headers.get("If-None-Match"), headers.get("If-Modified-Since"), etag, modified):
                return self._logged(raw_path, headers, 304, b"", extra)
        return self._logged(raw_path, headers, 200, self.body(board, full), extra)

    def _logged(self, path: str, headers, status: int, body: bytes, extra: dict) -> tuple[int, bytes, dict]:
        with self._lock:
            self.counts[str(status)] = self.counts.get(str(status), 0) + 1
            self.counts["bytes"] = self.counts.get("bytes", 0) + len(body)
            self.log.append({"path": path, "status": status, "if_none_match": headers.get("If-None-Match"),
                             "if_modified_since": headers.get("If-Modified-Since")})
        return status, body, extra


def _fresh(if_none_match: str | None, if_modified_since: str | None, etag: str, modified) -> bool:
    """Whether a conditional request may be answered 304 (If-Modified-Since counts only without If-None-Match)."""
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return if_none_match.strip() == "*" or etag in tags
    if if_modified_since:
        try:
            return modified <= parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
    return False


@dataclass
class FleetServer(LoopbackServing):
    """Serves a fleet on a free port of 127.0.0.1 (one server per host the crawl should see)."""

    fleet: Fleet
    _httpd: object = None

    def handler(self) -> type[BaseHTTPRequestHandler]:
        """The request handler answering from the fleet."""
        fleet = self.fleet

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Scrapy's client expects
            disable_nagle_algorithm = True  # headers and body are two writes: without it, 40 ms delayed-ACK stalls

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                status, body, headers = fleet.answer(self.path, self.headers)
                self.send_response(status)
                if status != 304:  # a 304 has no body
                    self.send_header("Content-Type", headers.pop("Content-Type", "application/json; charset=utf-8"))
                    self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

            def log_message(self, format: str, *args) -> None:
                return

        return Handler
