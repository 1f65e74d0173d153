"""Real job ads for the journal tests: the recorded Greenhouse, Lever and Ashby board responses under ../shared,
read by plenty's own spiders and written as a JSON-lines file `plenty import` takes (no fixture is copied)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from tests.support.spiders import ATS_2026, LEVER_2015, recorded_boards, response_for, shared

PAGES = {
    "greenhouse": "https://boards-api.greenhouse.io/v1/boards/{board}/jobs?content=true",
    "lever": "https://api.lever.co/v0/postings/{board}?mode=json&skip=0&limit=100",
    "ashby": "https://api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true",
}


def real_ads() -> list[dict]:
    """Every posting of the recorded boards as the spiders read them (skips the test when ../shared is absent)."""
    from spiders.sources.ashby import AshbySpider
    from spiders.sources.greenhouse import GreenhouseSpider
    from spiders.sources.lever import LeverSpider

    shared(ATS_2026 / "manifest.json")
    spiders = {"greenhouse": GreenhouseSpider, "lever": LeverSpider, "ashby": AshbySpider}
    files = [(kind, board, file) for kind in PAGES for board, file in recorded_boards(kind)]
    files.append(("lever", "leverdemo", LEVER_2015 / "responses" / "leverdemo_mode_json.json"))
    ads = []
    for kind, board, file in files:
        if not Path(file).exists():
            continue
        spider = spiders[kind](board=board)
        for result in spider.parse(response_for(PAGES[kind].format(board=board), file)):
            if hasattr(result, "callback"):
                continue
            item = asdict(result)
            if item.get("title") and item.get("description"):
                ads.append(item)
    return ads


def write_real_ads(path: Path) -> Path:
    """The real ads as a JSON-lines import file at `path`."""
    path.write_text("".join(json.dumps(ad) + "\n" for ad in real_ads()), encoding="utf-8")
    return path
