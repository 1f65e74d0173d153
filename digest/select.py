"""Choose what a week's digest shows: per active rejection, the matches not shown in an earlier digest, the doors
kept open and the roles reopened at the company that turned the user down; then the saved postings still open."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Callable

import numpy as np

from digest.model import Digest, Group, entry_from
from digest.weeks import week_bounds, week_of
from recommend.doors import DoorReport, DoorSettings, door_of, find_doors, held_back
from recommend.recommender import rank_companies


def build_digest(
    con,
    week: str,
    today: date,
    *,
    model: str,
    encode: Callable[[list[str]], np.ndarray],
    doors: DoorSettings = DoorSettings(),
) -> Digest:
    """The digest of ``week`` as of ``today``, from the latest stored matches and the warehouse.

    A posting shown for a rejection in another week's digest is not shown for it again. A past week that was
    already delivered is rebuilt from the items it recorded, so it reads as it did. ``encode`` embeds texts
    with ``model`` and is only called when a rejecting company has new openings to score.
    """
    from warehouse.digests import company_openings, delivered_digest, shown_before, week_items
    from warehouse.feedback import rejection_doors, saved_postings
    from warehouse.matches import latest_matches, posting_details
    from warehouse.recommendations import match_reasons

    monday, sunday = week_bounds(week)
    digest = Digest(week=week, today=today, monday=monday, sunday=sunday)
    rejections = rejection_doors(con)
    recorded = {(i["rejection_id"], i["posting_id"]): i for i in week_items(con, week)}
    frozen = delivered_digest(con, week) is not None and week < week_of(today)
    earlier = shown_before(con, week)
    held = held_back(con, today, doors.cooloff_days)

    def fresh(rejection_id: int, posting_id: int) -> bool:
        return (rejection_id, posting_id) not in earlier and posting_id not in held.posting_ids

    report = DoorReport()
    if not frozen:
        starts = [door_of(r, doors.cooloff_days).starts for r in rejections if r.get("company_id")]
        if starts:
            openings = company_openings(con, {r["company_id"] for r in rejections}, model,
                                        datetime.combine(min(starts), time.min))
            report = find_doors(rejections, openings, encode, today, default_days=doors.cooloff_days,
                                min_score=doors.min_score, reopened_score=doors.reopened_score)

    chosen: list[tuple[Group, dict[str, list[tuple[int, float | None, bool]]]]] = []
    reasons: dict[tuple[int, int], str] = {}
    for rejection in rejections:
        rid = int(rejection["rejection_id"])
        door = door_of(rejection, doors.cooloff_days)
        group = Group(rejection_id=rid, title=rejection["title"], company=rejection.get("company"),
                      cooloff_ends=door.ends if door.company_id else None,
                      cooling=bool(door.company_id) and door.cooling(today))
        picks: dict[str, list[tuple[int, float | None, bool]]] = {"match": [], "door": [], "reopened": []}
        if frozen:
            for (r, pid), item in recorded.items():
                if r == rid:
                    picks[item["section"]].append((pid, item["score"], item["section"] == "reopened"))
        else:
            current = [m for m in latest_matches(con, rid)
                       if m["posting_id"] not in held.posting_ids and m.get("company_id") not in held.company_ids
                       and not (door.company_id and m.get("company_id") == door.company_id)]
            group.companies = rank_companies(current)
            for run_id in {m["run_id"] for m in current}:
                reasons.update({(rid, pid): why for pid, why in match_reasons(con, run_id, rid).items()})
            picks["match"] = [(m["posting_id"], m["score"], False) for m in current if fresh(rid, m["posting_id"])]
            for opening in report.doors.get(rid, []):
                if fresh(rid, opening.posting_id):
                    picks["door"].append((opening.posting_id, opening.score, opening.reopened))
            for opening in report.reopened.get(rid, []):
                if fresh(rid, opening.posting_id):
                    picks["reopened"].append((opening.posting_id, opening.score, True))
            shown = {pid for rows in picks.values() for pid, _, _ in rows}
            for (r, pid), item in recorded.items():
                if r == rid and pid not in shown and pid not in held.posting_ids:
                    picks[item["section"]].append((pid, item["score"], item["section"] == "reopened"))
        chosen.append((group, picks))

    saved = saved_postings(con)
    wanted = sorted({pid for _, picks in chosen for rows in picks.values() for pid, _, _ in rows})
    details = {row["posting_id"]: row for row in posting_details(con, wanted)}
    for group, picks in chosen:
        for section, attribute in (("match", "matches"), ("door", "doors"), ("reopened", "reopened")):
            rows = [(pid, score, reopened) for pid, score, reopened in picks[section]
                    if pid in details and details[pid]["closed_at"] is None]
            rows.sort(key=lambda r: (-r[2], -(r[1] if r[1] is not None else -1.0), r[0]))
            entries = [entry_from(details[pid], today, score, reopened) for pid, score, reopened in rows]
            if section == "match":
                for entry in entries:
                    entry.reason = reasons.get((group.rejection_id, entry.posting_id))
            setattr(group, attribute, entries)
        if frozen:
            group.companies = rank_companies([
                {"company": e.company, "score": e.score or 0.0, "title": e.title} for e in group.matches])
        digest.groups.append(group)
    digest.saved = [entry_from(row, today, None, note=row.get("note")) for row in saved]
    return digest
