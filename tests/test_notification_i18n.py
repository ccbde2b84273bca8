"""What jobs tell people is stored as what happened and read in the reader's language:
escalations, agreement reminders, digests, weekly reports and follow-ups given, whatever
language the job (or the giver) was in, on the page, in the mail and on the record."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tests import factories
from tracker import digest
from tracker.extensions import db
from tracker.followups.services import NewFollowUp, create
from tracker.models import ComplaintEvent, EventKind, FollowUp, Notification, utcnow
from tracker.reminders import agreement_date_reminders, complaint_escalations
from tracker.weekly_mail import send_weekly_report

JOB_LOCALES = ("en", "zh")


def _people(team=None):
    zh = factories.make_user("support_agent", name="Zhou", locale="zh", teams=(team,) if team
                             else (), lead_of=(team,) if team else ())
    en = factories.make_user("support_agent", name="Evans", locale="en",
                             teams=(team,) if team else ())
    return zh, en


def _page(client, url: str = "/notifications") -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _list(page: str) -> str:
    found = re.search(r'<ol class="notification-list">(.*?)</ol>', page, re.S)
    assert found, "the notifications page is a list"
    return found.group(1)


@pytest.mark.parametrize("job_locale", JOB_LOCALES)
def test_an_escalation_reads_in_each_readers_language(job_locale, login_as):
    team = factories.make_team("Care")
    zh, en = _people(team)
    org = factories.make_org("client", "Nanjing Foods", team=team)
    received = utcnow().replace(second=0, microsecond=0) - timedelta(days=2)
    complaint = factories.make_complaint(org, "Spoiled goods", severity="critical",
                                         received_at=received, assignee=en)
    with force_locale(job_locale):
        assert complaint_escalations(utcnow()) == 2
    db.session.commit()

    assert [e.body for e in complaint.events if e.kind == EventKind.ESCALATION] == [
        "ack", "resolve"]
    chinese, english = _list(_page(login_as(zh))), _list(_page(login_as(en)))
    assert "投诉已超时：Spoiled goods" in chinese and "已超过受理截止时间。" in chinese
    assert "紧急" in chinese or "严重" in chinese  # the severity's label, in Chinese
    assert "Overdue complaint: Spoiled goods" in english
    assert "The deadline to acknowledge passed." in english
    assert "Overdue" not in chinese and "已超过" not in english

    record = _page(login_as(zh), f"/clients/complaints/{complaint.id}")
    assert "已超过受理截止时间。" in record and "已超过解决截止时间" in record
    assert ">ack<" not in record and "The deadline" not in record
    record = _page(login_as(en), f"/clients/complaints/{complaint.id}")
    assert "The deadline to resolve passed." in record


def test_an_escalation_written_before_codes_reads_in_the_readers_language(login_as):
    team = factories.make_team("Care")
    zh, _en = _people(team)
    org = factories.make_org("client", team=team)
    complaint = factories.make_complaint(org, "Old one", assignee=zh)
    complaint.events.append(ComplaintEvent(kind=EventKind.ESCALATION.value,
                                           body="The deadline to acknowledge passed."))
    db.session.commit()
    page = _page(login_as(zh), f"/clients/complaints/{complaint.id}")
    assert "已超过受理截止时间。" in page and "The deadline to acknowledge" not in page


@pytest.mark.parametrize("job_locale", JOB_LOCALES)
def test_agreement_reminders_read_in_the_readers_language(job_locale, login_as):
    team = factories.make_team("Deals")
    zh = factories.make_user("partner_manager", locale="zh", teams=(team,))
    en = factories.make_user("partner_manager", locale="en", teams=(team,))
    today = date(2026, 5, 1)
    org = factories.make_org("partner", owner=zh, team=team)
    agreement = factories.make_agreement(org, "Supply", owner=zh, team=team, status="signed")
    agreement.notice_on, agreement.end_on = today + timedelta(days=5), today + timedelta(days=9)
    db.session.commit()
    with force_locale(job_locale):
        assert agreement_date_reminders(today) == 2
    db.session.commit()

    notice, end = sorted(db.session.scalars(sa.select(FollowUp)), key=lambda f: f.due_on)
    # stored in English whatever language the job ran in; shown in the reader's
    assert notice.title == "An agreement's notice date is near: renew or give notice"
    chinese = _page(login_as(zh), f"/followups/{end.id}")
    assert "协议即将到期：请续约或结束" in chinese and "ends soon" not in chinese
    english = _page(login_as(en), f"/followups/{end.id}")
    assert "An agreement ends soon: renew or close it" in english

    with force_locale("zh"):
        assert FollowUp.shown_title.fget(notice) != notice.title
    end.title = "Call them about the renewal"  # retitled by someone: shown as written
    db.session.commit()
    with force_locale("zh"):
        assert end.shown_title == "Call them about the renewal"


def test_a_reminder_stored_in_chinese_reads_in_english_for_an_english_reader(login_as):
    _zh, en = _people()
    followup = FollowUp(title="协议即将到期：请续约或结束", owner_id=en.id,
                        due_on=date(2026, 5, 1), source_type="manual", source_id=0,
                        dedupe_key="agreement:1:end:2026-05-09")
    db.session.add(followup)
    db.session.commit()
    with force_locale("en"):
        assert followup.shown_title == "An agreement ends soon: renew or close it"


@pytest.mark.parametrize("job_locale", JOB_LOCALES)
def test_a_digest_reads_in_the_readers_language_then_and_later(job_locale, login_as, mailbox):
    zh, _en = _people()
    zh.digest_hour, zh.timezone = 0, "Asia/Shanghai"
    db.session.add(FollowUp(title="Ring the buyer", owner_id=zh.id, due_on=date(2026, 3, 9),
                            source_type="manual", source_id=0))
    db.session.commit()
    with force_locale(job_locale):  # its mail job runs at the commit, in the tests
        assert digest.send_digests(datetime(2026, 3, 10, 2, tzinfo=UTC)) == 1
    page = _list(_page(login_as(zh)))
    assert "跟进事项：今天到期 0 项，已超时 1 项" in page and "Ring the buyer" in page
    assert "2026年3月9日" in page and "overdue" not in page
    (to, subject, body) = mailbox[-1]
    assert to == zh.email and "跟进事项" in subject and "overdue" not in body

    zh.locale = "en"  # they read it again in English: it says it in English now
    db.session.commit()
    page = _list(_page(login_as(zh)))
    assert "Follow-ups: 0 due today, 1 overdue" in page and "overdue since" in page


def test_a_follow_up_given_reads_in_the_owners_language_not_the_givers(login_as):
    zh, en = _people()
    with force_locale("en"):  # the giver reads English
        create(NewFollowUp(title="Send the samples", due_on=date(2026, 6, 1),
                           owner_id=zh.id), en)
    with force_locale("zh"):
        create(NewFollowUp(title="Check the invoice", due_on=date(2026, 6, 2),
                           owner_id=en.id), zh)
    db.session.commit()
    chinese = _list(_page(login_as(zh)))
    assert "Evans 给您分配了跟进事项：Send the samples" in chinese
    assert "2026年6月1日" in chinese and "gave you" not in chinese
    english = _list(_page(login_as(en)))
    assert "Zhou gave you a follow-up: Check the invoice" in english
    assert "Jun 2, 2026" in english and "分配" not in english


def test_the_weekly_report_subject_follows_the_reader(login_as):
    team = factories.make_team("Ops")
    zh, _en = _people(team)
    monday = date(2026, 3, 2)
    with force_locale("en"):
        send_weekly_report(team.id, zh.id, monday.isoformat())
    db.session.commit()
    (note,) = db.session.scalars(sa.select(Notification).where(Notification.user_id == zh.id))
    assert note.event == "team.weekly_report"
    page = _list(_page(login_as(zh)))
    assert "周报" in page and "Ops" in page and "Weekly report" not in page


def test_the_notifications_page_is_a_left_aligned_list(login_as):
    zh, en = _people()
    with force_locale("en"):
        create(NewFollowUp(title="One", due_on=date(2026, 6, 1), owner_id=en.id), zh)
        create(NewFollowUp(title="Two", due_on=date(2026, 6, 2), owner_id=en.id), zh)
    db.session.commit()
    first = db.session.scalars(sa.select(Notification).order_by(Notification.id)).first()
    client = login_as(en)
    client.post(f"/notifications/{first.id}/open")
    items = re.findall(r"<li class=\"notification( unread)?\">(.*?)</li>",
                       _list(_page(client)), re.S)
    assert len(items) == 2
    assert [bool(unread) for unread, _body in items] == [True, False]  # newest first
    for _unread, body in items:
        assert "<time datetime=" in body and "note-title" in body
        assert not re.search(r">\s*·", body)  # no line starts with a dot
    assert "Unread" in items[0][1] and "Read" in items[1][1]


def test_notifications_written_as_text_before_codes_read_in_the_readers_language(login_as):
    zh, _en = _people()
    db.session.add_all([
        Notification(user_id=zh.id, kind="escalation", subject="Overdue complaint: Late truck",
                     body="Harbor Foods · High · The deadline to resolve passed.", link="/"),
        Notification(user_id=zh.id, kind="followup",
                     subject="Evans gave you a follow-up: Call back", body="Due 2026-06-01"),
        Notification(user_id=zh.id, kind="mention", subject="Someone mentioned you"),
    ])
    db.session.commit()
    page = _list(_page(login_as(zh)))
    assert "投诉已超时：Late truck" in page and "已超过解决截止时间" in page
    assert "Harbor Foods" in page and "High" not in page
    assert "Evans 给您分配了跟进事项：Call back" in page and "2026年6月1日" in page
    assert "Someone mentioned you" in page  # not one of ours: as it was written
