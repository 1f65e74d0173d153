"""A feed with the same bytes as its board's last load, nothing changed since, is loaded by marking that load's
postings seen again: the warehouse ends exactly as after a full load, and anything that changed in between makes
it a full load."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.warehouse_rows import TABLES, con, night, posting, write_feed  # noqa: F401
from warehouse import check_keys, connect, load_feed
from warehouse import feeds as feeds_module


def load(con, path, n, board="acme", complete=True):
    return load_feed(con, path, source="greenhouse", board=board, complete=complete, crawled_at=night(n))


def state(con) -> dict[str, list]:
    """Every table as rows, without the wall-clock time each load ran at."""
    tables = {t: f"select * from {t}" for t in TABLES if t != "schema_migrations"}
    tables["feed_loads"] = "select * exclude (loaded_at) from feed_loads"
    return {t: sorted(map(repr, con.execute(q).fetchall())) for t, q in tables.items()}


def close_past_deadline(con, source_id: str, at) -> None:
    """What the nightly settle step does to a posting past its deadline."""
    con.execute("update postings set closed_at = $at where source_id = $id", {"at": at, "id": source_id})


def history(con, tmp_path) -> list[bool]:
    """Nights of one board with every kind of change in between; returns which loads were repeats."""
    same = write_feed(tmp_path / "same.jsonl", [posting("1"), posting("2"), posting("2"), posting("3")])
    other_board = write_feed(tmp_path / "other.jsonl", [posting("3", board="beta")])
    repeated = []
    repeated.append(load(con, same, 0).repeated)
    repeated.append(load(con, same, 1).repeated)  # nothing changed: a repeat
    repeated.append(load(con, same, 2).repeated)
    close_past_deadline(con, "1", night(2) + timedelta(hours=1))
    repeated.append(load(con, same, 3).repeated)  # a posting was closed meanwhile: a full load reopens it
    repeated.append(load(con, same, 4).repeated)
    load(con, other_board, 5, board="beta")  # another board took posting 3 over
    repeated.append(load(con, same, 6).repeated)
    repeated.append(load(con, same, 7, complete=False).repeated)  # an incomplete crawl is never a repeat
    repeated.append(load(con, same, 8).repeated)  # the last load was incomplete
    repeated.append(load(con, same, 9).repeated)
    repeated.append(load(con, same, 9).repeated)  # the very same load again is recognised before
    repeated.append(load(con, same, 10).repeated)
    return repeated


@pytest.mark.parametrize("target", ["memory", "file"])
def test_repeats_leave_the_warehouse_exactly_as_full_loads_do(tmp_path, monkeypatch, target):
    def warehouse(name):
        return connect(":memory:" if target == "memory" else tmp_path / f"{name}.duckdb")

    with warehouse("fast") as fast:
        repeated = history(fast, tmp_path)
        fast_state = state(fast)
        assert set(check_keys(fast).values()) == {0}
    monkeypatch.setattr(feeds_module, "_repeat_last_load", lambda *args, **kwargs: None)
    with warehouse("full") as full:
        assert not any(history(full, tmp_path))
        full_state = state(full)
    assert repeated == [False, True, True, False, True, False, False, False, True, False, True]
    assert fast_state == full_state


def test_a_repeat_reports_and_keeps_what_a_full_load_would(con, tmp_path):  # noqa: F811
    feed = write_feed(tmp_path / "a.jsonl", [posting("1"), posting("2")])
    load(con, feed, 0)
    for n in range(1, 6):
        report = load(con, feed, n)
        assert report.repeated and (report.fetched, report.new, report.updated, report.unchanged, report.closed) \
            == (2, 0, 0, 2, 0)
    kept = con.execute("select load_id, count(*) from raw_postings group by load_id order by load_id").fetchall()
    assert [count for _, count in kept] == [2, 2, 2]  # the raw records of the 3 latest loads, as after full loads
    seen = con.execute("select distinct last_seen_at, last_load_id from postings").fetchall()
    assert seen == [(night(5).replace(tzinfo=None), kept[-1][0])]
    row = con.execute("select count_fetched, count_unchanged from feed_loads order by load_id desc limit 1").fetchone()
    assert row == (2, 2)


def test_repeating_many_boards_at_once_ends_as_repeating_them_one_by_one(tmp_path):
    boards = ["acme", "beta", "gamma", "delta"]
    feeds = {b: write_feed(tmp_path / f"{b}.jsonl", [posting(f"{b}-{i}", board=b) for i in range(1, 4)])
             for b in boards}
    empty = write_feed(tmp_path / "empty.jsonl", [])
    warehouses = []
    for name in ("one-by-one", "at-once"):
        con = connect(tmp_path / f"{name}.duckdb")
        for n in range(3):
            for board in boards:
                load(con, feeds[board], n, board=board)
        close_past_deadline(con, "beta-2", night(2) + timedelta(hours=1))  # beta's last load cannot be repeated
        warehouses.append(con)
    wanted = [(empty, "greenhouse", b, night(4)) for b in ["gamma", "acme", "beta", "nowhere", "delta"]]
    one_by_one, at_once = warehouses
    singles = [feeds_module.repeat_last_load(one_by_one, path, source=source, board=board, crawled_at=at)
               for path, source, board, at in wanted]
    many = feeds_module.repeat_last_loads(at_once, wanted)
    assert [r is not None for r in many] == [r is not None for r in singles] == [True, True, False, False, True]
    assert [(r.fetched, r.unchanged, r.load_id) for r in many if r] == [
        (r.fetched, r.unchanged, r.load_id) for r in singles if r]
    assert state(at_once) == state(one_by_one)
    # And again, so the raw records of loads beyond the kept ones are pruned as one by one.
    for n in (5, 6, 7):
        again = [(empty, "greenhouse", b, night(n)) for b in boards if b != "beta"]
        singles = [feeds_module.repeat_last_load(one_by_one, *w[:1], source=w[1], board=w[2], crawled_at=w[3])
                   for w in again]
        assert [r.load_id for r in feeds_module.repeat_last_loads(at_once, again)] == [r.load_id for r in singles]
    assert state(at_once) == state(one_by_one)
    for con in warehouses:
        con.close()
