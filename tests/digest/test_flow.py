"""The weekly digest as a Prefect flow, once, under the test harness: write, mail through a local server, record."""

from __future__ import annotations

from datetime import date

from tests.digest.test_smtp import PASSWORD, Inbox, configure, smtp_server  # noqa: F401
from tests.support.digest_world import job, pid, settings, world  # noqa: F401
from warehouse import connect
from warehouse.digests import delivered_digest, week_items


def test_the_digest_flow_writes_sends_and_records_the_week(world, prefect_harness, smtp_server, monkeypatch):  # noqa: F811
    from flows.weekly_digest import digest_flow

    world.reject(on=date(2026, 11, 2))
    world.night(date(2026, 11, 10), add=[job("1", "Data Engineer", "Acme"), job("2", "Senior Data Engineer", "Globex")])
    inbox = Inbox()
    configure(world, smtp_server(inbox, auth_require_tls=False))
    monkeypatch.setenv("PLENTY_SMTP_PASSWORD", PASSWORD)

    report = digest_flow(home=str(world.settings.home), today=date(2026, 11, 23))

    assert report["week"] == "2026-W48" and report["sent"] is True and report["count_items"] == 2
    assert "Senior Data Engineer" in (world.settings.home / "digests" / "2026-W48.md").read_text(encoding="utf-8")
    assert len(inbox.envelopes) == 1
    with connect(world.settings.db_path) as con:
        assert delivered_digest(con, "2026-W48")["sent_at"] is not None
        assert {i["posting_id"] for i in week_items(con, "2026-W48")} == {pid("1"), pid("2")}
