"""How a deadline reads in the queue and on the complaint page, in both languages (issue 12:
a paused complaint showed "剩余 -2 天 15 小时")."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask_babel import force_locale

from tracker.clients.complaints.deadlines import Clock
from tracker.web.templating import clock_tag

DUE = datetime(2026, 12, 1, 9, tzinfo=UTC)


@pytest.mark.parametrize(("clock", "english", "chinese"), [
    (Clock(DUE, -3780, None, paused=True), "paused · 2 d 15 h overdue",
     "已暂停计时 · 已超时 2 天 15 小时"),
    (Clock(DUE, 90, None, paused=True), "paused · 1 h 30 min left", None),
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
        assert 'class="clock paused"' in shown
