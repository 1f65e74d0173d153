"""The recorded "Who is hiring?" comments (hn-whoishiring) wrapped as the HN item API serves them."""

from __future__ import annotations

import json

from tests.support.spiders import SHARED_FIXTURES, shared

HN_DUMP = SHARED_FIXTURES / "hn-whoishiring" / "raw_2026-04-28.json"
THREAD_ID = 47601859


def recorded_comments() -> list[dict]:
    """The thread's top-level comments as HN item objects, in the recorded order (skips without ../shared)."""
    dump = json.loads(shared(HN_DUMP).read_text(encoding="utf-8"))
    assert dump["sources"]["who_is_hiring_thread_id"] == THREAD_ID
    return [{"by": j["by"], "id": j["id"], "parent": THREAD_ID, "text": j["text"], "time": j["time"],
             "type": "comment"} for j in dump["jobs"] if j["source"] == "who_is_hiring"]


def thread_item(comments: list[dict]) -> dict:
    """The thread item listing ``comments`` as its kids."""
    return {"by": "whoishiring", "id": THREAD_ID, "kids": [c["id"] for c in comments],
            "title": "Ask HN: Who is hiring? (April 2026)", "type": "story", "time": 1775052000}


def item_body(item: dict) -> bytes:
    """An item as the API's JSON body."""
    return json.dumps(item).encode("utf-8")
