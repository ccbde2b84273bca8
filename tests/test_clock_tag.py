"""How a deadline reads in the queue and on the complaint page, in both languages (issue 12:
a paused complaint showed "剩余 -2 天 15 小时")."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask_babel import force_locale

from tracker.clients.complaints.deadlines import Clock
from tracker.web.templating import clock_tag

DUE = datetime(2026, 12, 1, 9, tzinfo=UTC)


@pytest.mark.parametrize(("clock", "english", "chinese"), [
    (Clock(DUE, -3780, None, paused=True), "paused · 2 d 15 h overdue when paused",
     "已暂停计时 · 暂停时已超时 2 天 15 小时"),
    (Clock(DUE, 90, None, paused=True), "paused · 1 h 30 min left",
     "已暂停计时 · 剩余 1 小时 30 分钟"),
    (Clock(DUE, -45, None), "45 min overdue", None),
    (Clock(DUE, 3000, None), "2 d 2 h left", None),
    (Clock(DUE, None, DUE), "met", None),
])
def test_a_clock_never_shows_a_negative_time(app: Flask, clock, english, chinese):
    with app.test_request_context():
        with force_locale("en"):
            shown = str(clock_tag(clock))
            assert english in shown and "-" not in shown.split(">", 1)[1]
        with force_locale("zh"):
            shown_zh = str(clock_tag(clock))
            assert "-" not in shown_zh.split(">", 1)[1]
            if chinese:
                assert chinese in shown_zh
    if clock.paused:
        assert 'class="clock paused' in shown
        assert not clock.overdue  # a paused clock never escalates nor marks its row


def test_a_paused_clock_is_frozen_at_the_pause_in_the_queue_and_on_the_page(login_as, users):
    """Issue 5: waiting on the client, the time left stays what it was at the pause, in the
    queue and on the complaint page, however long the client takes."""
    from datetime import timedelta

    import sqlalchemy as sa

    from tests import factories
    from tracker.clients.complaints import services
    from tracker.clients.complaints.deadlines import clocks
    from tracker.extensions import db
    from tracker.models import Team, utcnow

    agent = users["support_agent"]
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    now = utcnow().replace(second=0, microsecond=0)
    org = factories.make_org("client", "Paused Foods", team=alpha)
    # critical: 240 minutes around the clock; paused after 60 of them.
    fresh = factories.make_complaint(org, "Seal broken", severity="critical", assignee=agent,
                                     received_at=now - timedelta(hours=5))
    services.move(fresh, "acknowledged", agent, now=now - timedelta(hours=5))
    services.move(fresh, "waiting_on_client", agent, now=now - timedelta(hours=4))
    # ...and one paused only after its deadline had passed (5 h after receipt).
    late = factories.make_complaint(org, "Lid missing", severity="critical", assignee=agent,
                                    received_at=now - timedelta(hours=10))
    services.move(late, "acknowledged", agent, now=now - timedelta(hours=10))
    services.move(late, "waiting_on_client", agent, now=now - timedelta(hours=5))
    db.session.commit()

    for later in (now, now + timedelta(days=3)):
        assert clocks(fresh, later)[1].remaining == 180
        assert clocks(late, later)[1].remaining == -60
        assert not clocks(late, later)[1].overdue and clocks(late, later)[1].overdue_at_pause

    client = login_as("support_agent")
    for lang, left, was in (
            ("en", "paused · 3 h 0 min left", "paused · 1 h 0 min overdue when paused"),
            ("zh", "已暂停计时 · 剩余 3 小时 0 分钟", "已暂停计时 · 暂停时已超时 1 小时 0 分钟")):
        client.post("/language", data={"lang": lang, "next": "/"})
        queue = client.get("/clients/complaints/?view=all").get_data(as_text=True)
        assert left in queue and was in queue
        assert "-" not in "".join(re.findall(r'class="clock[^"]*">([^<]*)<', queue))
        page = client.get(f"/clients/complaints/{fresh.id}").get_data(as_text=True)
        assert left in page
