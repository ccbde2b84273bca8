"""The complaint deadlines page (issue 18): times typed in hours or days (minutes stored),
and the working calendar filled with mainland China's public holidays and make-up working
days from the chinese-calendar package, then edited."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.clients.complaints.deadline_rules import DEFAULTS, calendar_for_edit
from tracker.clients.complaints.public_holidays import covered_years, fill_year, year_days
from tracker.extensions import db
from tracker.models import AuditEvent, BusinessCalendar, SlaPolicy, Team

URL = "/admin/complaint-deadlines"


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _shown(page: str, name: str) -> tuple[str, str]:
    """(amount, unit) a time field shows."""
    value = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)
    select = re.search(rf'<select[^>]*name="{name}_unit".*?</select>', page, re.S).group(0)
    unit = re.search(r'<option[^>]*value="(\w+)"[^>]*selected|<option selected[^>]*value="(\w+)"',
                     select)
    return value, next(g for g in unit.groups() if g)


def _form(page: str) -> dict[str, object]:
    """The policy form as the page shows it (text inputs, chosen options, ticked boxes)."""
    data: dict[str, object] = {}
    policy = page.split('class="record-form"', 1)[1].split("</form>", 1)[0]
    for tag in re.findall(r"<input[^>]*>", policy):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' not in tag and name and value:
            data[name.group(1)] = value.group(1)
    for name in re.findall(r'<input[^>]*checked[^>]*name="([^"]+)"', policy):
        data[name] = "y"
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', policy, re.S):
        chosen = re.findall(r'<option[^>]*value="([^"]*)"[^>]*selected', body) or re.findall(
            r'<option selected[^>]*value="([^"]*)"', body)
        data[name] = chosen if name == "workdays" else (chosen[0] if chosen else "")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', policy,
                                 re.S):
        data[name] = body.strip()
    data.pop("csrf_token", None)
    return data


def _policy(severity: str) -> SlaPolicy:
    db.session.expire_all()
    return db.session.scalar(sa.select(SlaPolicy).where(SlaPolicy.severity == severity))


def test_times_are_shown_in_hours_and_days(login_as, users):
    page = _page(login_as("admin").get(URL))
    # DEFAULTS: critical 30 / 240 around the clock; medium 1620 and low 2700 business
    # minutes, which are 3 and 5 working days of 9 hours.
    assert _shown(page, "ack_critical") == ("0.5", "hours")
    assert _shown(page, "resolve_critical") == ("4", "hours")
    assert _shown(page, "resolve_medium") == ("3", "days")
    assert _shown(page, "resolve_low") == ("5", "days")
    assert _shown(page, "resolve_high") == ("1", "days")
    head = re.search(r'<table class="matrix sla-times">\s*<thead>(.*?)</thead>', page, re.S)
    assert "minutes" not in head.group(1).lower()


def test_hours_and_days_are_stored_as_minutes(login_as, users):
    admin = login_as("admin")
    data = _form(_page(admin.get(URL)))
    assert data["resolve_medium"] == "3" and data["resolve_medium_unit"] == "days"
    data.update(ack_low="1.5", ack_low_unit="hours",  # 90 minutes
                resolve_medium="2", resolve_medium_unit="days",  # two 9-hour working days
                resolve_critical="1", resolve_critical_unit="days")  # 24 h around the clock
    response = admin.post(URL, data=data)
    assert response.status_code == 302, _page(response)
    assert _policy("low").ack_minutes == 90
    assert _policy("medium").resolve_minutes == 2 * 540
    assert _policy("critical").resolve_minutes == 1440
    # Unchanged ones keep their minutes exactly (shown back and saved again).
    assert _policy("high").ack_minutes == DEFAULTS["high"][0]
    assert _policy("low").resolve_minutes == DEFAULTS["low"][1]
    page = _page(admin.get(URL))
    assert _shown(page, "ack_low") == ("1.5", "hours")
    assert _shown(page, "resolve_critical") == ("1", "days")
    # Chinese labels for the units.
    admin.post("/language", data={"lang": "zh", "next": "/"})
    assert "小时" in _page(admin.get(URL))


def _fill(client, year: object, version: object | None = None):
    if version is None:
        row = db.session.scalar(sa.select(BusinessCalendar).order_by(BusinessCalendar.id))
        version = row.version if row else 0
    return client.post(f"{URL}/holidays", data={"holidays-year": str(year),
                                                "holidays-version": str(version)})


def test_filling_a_year_adds_holidays_and_make_up_days_then_they_can_be_edited(login_as,
                                                                                users):
    row = calendar_for_edit()
    row.holidays = "2026-06-01\n2026-10-10"  # a company day off; 10 Oct is a make-up day
    db.session.commit()
    admin = login_as("admin")
    response = _fill(admin, 2026)
    assert response.status_code == 302
    flash = _page(admin.get(response.location))
    off, on = year_days(2026)
    assert f"Added {len(off)} public holiday dates and {len(on)} make-up working days" in flash
    db.session.expire_all()
    row = db.session.get(BusinessCalendar, row.id)
    holidays, extra = set(row.holidays.split()), set(row.extra_workdays.split())
    assert {"2026-10-01", "2026-10-07", "2026-02-17", "2026-06-01"} <= holidays
    assert {"2026-10-10", "2026-01-04", "2026-02-14"} <= extra
    assert "2026-10-10" not in holidays  # the notice wins over a conflicting entry
    assert any(e.changes.get("holidays") for e in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == "business_calendars")))
    # Filling again adds nothing and changes nothing.
    assert _fill(admin, 2026).status_code == 302
    db.session.expire_all()
    assert set(db.session.get(BusinessCalendar, row.id).holidays.split()) == holidays
    # The lists stay editable in the policy form, which shows the filled dates.
    data = _form(_page(admin.get(URL)))
    assert "2026-10-01" in data["holidays"]
    data["holidays"] = data["holidays"].replace("2026-06-01", "")
    assert admin.post(URL, data=data).status_code == 302
    db.session.expire_all()
    assert "2026-06-01" not in db.session.get(BusinessCalendar, row.id).holidays


def test_a_year_the_package_does_not_cover_is_said_plainly(login_as, users):
    last = covered_years()[-1]
    admin = login_as("admin")
    page = _page(admin.get(URL))
    assert f"covers {covered_years()[0]} to {last}" in page
    response = _fill(admin, last + 1)
    assert response.status_code == 422
    page = _page(response)
    assert 'id="holidays-year-help" class="field-error"' in page
    assert f"not {last + 1}" in page and "enter that year" in page
    admin.post("/language", data={"lang": "zh", "next": "/"})
    assert "手动" in _page(_fill(admin, last + 1))


def test_a_stale_fill_is_refused_and_only_administrators_fill(login_as, users):
    row = calendar_for_edit()
    db.session.commit()
    seen = row.version
    row.start_time = "08:30"
    db.session.commit()
    response = _fill(login_as("admin"), 2026, seen)
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(BusinessCalendar, row.id).holidays == ""
    assert _fill(login_as("manager"), 2026).status_code == 403


def test_deadlines_skip_the_filled_holidays(users):
    fill_year(calendar_for_edit(), 2026)
    db.session.commit()
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    shanghai = ZoneInfo("Asia/Shanghai")
    received = datetime(2026, 9, 30, 17, 0, tzinfo=shanghai).astimezone(UTC)
    complaint = factories.make_complaint(factories.make_org("client", team=alpha), "Golden week",
                                         severity="high", received_at=received)
    # 9 business hours: 1 on 30 September, then nothing until 8 October (National Day).
    assert complaint.resolve_due_at == datetime(2026, 10, 8, 17, 0, tzinfo=shanghai)


@pytest.mark.parametrize("year", [2004, 2026])
def test_year_days_are_the_notices(year):
    off, on = year_days(year)
    assert off and all(d.year == year for d in off + on)
    assert not set(off) & set(on)
    assert date(year, 10, 1) in off


def test_a_year_past_the_package_is_refused():
    with pytest.raises(ValueError):
        year_days(covered_years()[-1] + 1)
