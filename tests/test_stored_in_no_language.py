"""What services write into records other people read is what happened (codes, values and
people's own words), never a sentence in the language of whoever caused it; pages say it in
the reader's language. The guard runs the main services in Chinese and finds no Chinese in
anything they stored; the rest reads the same rows as an English and a Chinese reader."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tests import factories
from tracker.audit import set_actor
from tracker.clients.complaints import services as complaints
from tracker.clients.complaints.events import coded, event_text, every_wording, stored
from tracker.extensions import db
from tracker.followups import services as followups
from tracker.models import (
    AgreementStatus,
    AuditEvent,
    ComplaintEvent,
    EventKind,
    FollowUp,
    Problem,
    ProgressReport,
)
from tracker.partners import services as partners
from tracker.teams.reports import services as reports

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Kept in its first reader's language beside its code, by design (tracker/messages.py),
# and the search index files codes in every language (tracker/search/sources.py).
NOT_RECORDS = {"notifications": {"subject", "body"}, "search_documents": None,
               "search_terms": None}


def _texts() -> dict[tuple[str, str], str]:
    """Every text value in the database, by (table, row), outside ``NOT_RECORDS``."""
    found = {}
    for table in db.metadata.sorted_tables:
        skipped = NOT_RECORDS.get(table.name, set())
        if skipped is None:
            continue
        columns = [c for c in table.columns if c.name not in skipped
                   and isinstance(c.type, (sa.String, sa.Text, sa.JSON))]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*table.primary_key.columns, *columns)):
            found[(table.name, repr(tuple(row)[:len(table.primary_key.columns)]))] = repr(
                tuple(row))
    return found


def _run_the_services(users: dict[str, Any]) -> dict[tuple[str, str], str]:
    actor = users["support_agent"]
    member = users["team_member"]  # writes the report, and owns its blockers' follow-up
    team = member.memberships[0].team
    client = factories.make_org("client", "Nanjing Foods", team=team)
    partner = factories.make_org("partner", "Acme", team=team, stage="negotiating")
    complaint = factories.make_complaint(client, "Spoiled goods", severity="low")
    report = ProgressReport(team_id=team.id, author_id=member.id, period_start=date(2026, 3, 2),
                            done="Shipped", blockers="The CI runner is down")
    db.session.add(report)
    db.session.commit()
    before = _texts()
    set_actor(db.session, actor.id)  # as a request's signed-in user would be
    with force_locale("zh"):
        complaints.update_complaint(complaint, complaints.ComplaintEdit(
            title="Spoiled goods", description="Details", organization_id=client.id,
            contact_id=None, caller="", category_id=complaint.category_id, severity="high",
            channel="phone", is_confidential=False, external_ref=None), actor,
            version=complaint.version)
        complaints.add_message(complaint, EventKind.REPLY, "We are on it", actor)
        complaints.move(complaint, "resolved", actor, summary="Refunded")
        complaints.rate(complaint, 4, "Quick", actor)
        db.session.commit()
        followup = followups.create(followups.NewFollowUp(
            title="Call back", due_on=date(2026, 3, 6), owner_id=actor.id, repeat_every=1,
            repeat_unit="weeks"), actor)
        db.session.commit()
        followups.complete(followup, followup.version)
        db.session.commit()
        followups.undo_complete(followup, actor, version=followup.version)
        followups.snooze(followup, date(2026, 3, 9), "Away", actor, version=followup.version)
        db.session.commit()
        partners.move_stage(partner, "signed")
        agreement = factories.make_agreement(partner, "Supply")
        partners.move_status(agreement, AgreementStatus.PROPOSED.value)
        partners.move_status(agreement, AgreementStatus.AGREED.value)
        partners.sign(agreement, agreement.versions[0], date(2026, 3, 3), "Both")
        db.session.commit()
        reports.blocker_to_followup(report, member.id, date(2026, 3, 6))
        problem = reports.blocker_to_problem(report, member, member.id)
        db.session.commit()
        reports.move_problem(problem, "solved", "Replaced the runner")
        db.session.commit()
    return before


def test_services_run_in_chinese_store_no_chinese(users):
    before = _run_the_services(users)
    written = {key: text for key, text in _texts().items() if before.get(key) != text}
    assert written, "the services wrote something"
    chinese = {key: text for key, text in written.items() if CJK.search(text)}
    assert not chinese, f"stored in the actor's language: {chinese}"
    bodies = [e.body for e in db.session.scalars(sa.select(ComplaintEvent)) if e.body]
    assert all(coded(body) or body in ("We are on it", "Refunded") for body in bodies), bodies
    assert db.session.scalar(sa.select(Problem)).impact == "The CI runner is down"
    blockers = db.session.scalar(sa.select(FollowUp).where(
        FollowUp.source_type == "progress_reports"))
    assert blockers.notes == "The CI runner is down"


@pytest.fixture
def coded_complaint(users):
    actor = users["support_agent"]
    complaint = factories.make_complaint(factories.make_org("client", "Nanjing Foods"),
                                         "Spoiled goods", severity="low", assignee=actor)
    with force_locale("zh"):
        complaints.update_complaint(complaint, complaints.ComplaintEdit(
            title="Spoiled goods", description="Details",
            organization_id=complaint.organization_id, contact_id=None, caller="",
            category_id=complaint.category_id, severity="critical", channel="phone",
            is_confidential=False, external_ref=None), actor, version=complaint.version)
        complaints.add_message(complaint, EventKind.REPLY, "We are on it", actor)
        complaints.move(complaint, "resolved", actor, summary="Refunded")
        complaints.rate(complaint, 4, "Quick", actor)
    db.session.commit()
    return complaint


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _timeline(page: str) -> str:
    found = re.search(r'<ol class="timeline complaint-events">(.*?)</ol>', page, re.S)
    assert found
    return found.group(1)


def test_the_complaint_timeline_reads_in_the_readers_language(coded_complaint, users,
                                                             login_as):
    url = f"/clients/complaints/{coded_complaint.id}"
    users["support_agent"].locale = "en"
    db.session.commit()
    english = _timeline(_page(login_as("support_agent"), url))
    assert "Severity changed from Low to Critical" in english
    assert "Acknowledged by the reply." in english
    assert "Client satisfaction: 4 / 5. Quick" in english
    assert not CJK.search(english.replace("Nanjing", "")) and '"event"' not in english
    users["support_agent"].locale = "zh"
    db.session.commit()
    chinese = _timeline(_page(login_as("support_agent"), url))
    assert "回复客户时自动受理。" in chinese and "客户满意度：4 / 5。Quick" in chinese
    assert "严重程度由" in chinese
    assert "Severity" not in chinese and "Acknowledged" not in chinese
    assert '"event"' not in chinese


@pytest.mark.parametrize("written_in", ["en", "zh"])
def test_lines_written_before_the_codes_read_in_the_readers_language(written_in):
    with force_locale(written_in):
        from flask_babel import gettext as _

        from tracker.models import Severity

        legacy = {
            "severity": _("Severity changed from %(old)s to %(new)s: the deadlines now follow "
                          "its policy.", old=Severity.LOW.label, new=Severity.CRITICAL.label),
            "ack_by_reply": _("Acknowledged by the reply."),
            "rated": _("Client satisfaction: %(n)d / 5. %(comment)s", n=3, comment="Slow"),
        }
        unrated = _("Client satisfaction: %(n)d / 5. %(comment)s", n=5, comment="").strip()
    for code, sentence in legacy.items():
        assert coded(sentence)[0] == code, sentence
        for language in ("en", "zh"):
            with force_locale(language):
                assert event_text(sentence) == event_text(stored(code, **coded(sentence)[1]))
    assert coded(unrated) == ("rated", {"n": 5, "comment": ""})
    assert coded("A note somebody wrote") is None
    assert event_text("A note somebody wrote") == "A note somebody wrote"
    assert event_text('{"event": "nothing"}') == '{"event": "nothing"}'


def test_search_files_a_system_line_in_every_language():
    words = every_wording(stored("severity", old="low", new="high"))
    assert any(w.startswith("Severity changed from Low to High") for w in words)
    assert any("严重程度由" in w for w in words)
    assert every_wording("Call them") == ["Call them"]


def test_a_problem_from_blockers_says_where_it_came_from_in_the_readers_language(users,
                                                                                  login_as):
    lead = users["admin"]
    team = factories.make_team("Ops")
    author = factories.make_user("team_member", name="Ann Member", teams=(team,))
    report = ProgressReport(team_id=team.id, author_id=author.id,
                            period_start=date(2026, 3, 2), done="x", blockers="Disk full")
    db.session.add(report)
    db.session.commit()
    with force_locale("zh"):
        problem = reports.blocker_to_problem(report, author, None)
    db.session.commit()
    assert problem.impact == "Disk full"
    via = db.session.scalar(sa.select(AuditEvent.via).where(
        AuditEvent.record_type == "problems", AuditEvent.record_id == problem.id))
    assert via == {"report": report.id, "author": "Ann Member", "period": "2026-03-02"}
    for locale, sentence in (("en", "From the progress report of Ann Member"),
                             ("zh", "Ann Member")):
        lead.locale = locale
        db.session.commit()
        client = login_as(lead)
        page = _page(client, f"/teams/problems/{problem.id}")
        origin = re.search(r'data-testid="origin"><small>(.*?)</small>', page)
        assert origin and sentence in origin.group(1)
        assert bool(CJK.search(origin.group(1))) == (locale == "zh")
        history = _page(client, f"/teams/problems/{problem.id}/history")
        assert origin.group(1) in history


@pytest.mark.parametrize("written_in", ["en", "zh"])
def test_blockers_raised_before_the_codes_read_in_the_readers_language(written_in, users,
                                                                      login_as):
    from flask_babel import format_date
    from flask_babel import gettext as _

    member, admin = users["team_member"], users["admin"]
    team = member.memberships[0].team
    report = ProgressReport(team_id=team.id, author_id=member.id,
                            period_start=date(2026, 3, 2), done="x", blockers="Disk full")
    db.session.add(report)
    db.session.commit()
    with force_locale(written_in):
        line = _("From the progress report of %(author)s for the period from %(date)s.",
                 author=member.name, date=format_date(report.period_start))
    problem = Problem(team_id=team.id, reporter_id=member.id, title="Disk full",
                      impact=f"Disk full\n\n{line}")
    followup = FollowUp(title="Disk full", notes=f"Disk full\n\n{line}", owner_id=member.id,
                        due_on=date(2026, 3, 6), status="open", team_id=team.id,
                        source_type="progress_reports", source_id=report.id)
    db.session.add_all([problem, followup])
    db.session.commit()
    for locale in ("en", "zh"):
        admin.locale = locale
        db.session.commit()
        client = login_as(admin)
        page = _page(client, f"/teams/problems/{problem.id}")
        origin = re.search(r'data-testid="origin"><small>(.*?)</small>', page)
        assert origin and bool(CJK.search(origin.group(1))) == (locale == "zh")
        assert page.count(line) == (1 if locale == written_in else 0)  # only as the origin
        assert (origin.group(1) == line) == (locale == written_in)
        shown = _page(client, f"/followups/{followup.id}")
        assert "Disk full" in shown and line not in shown


def test_a_policy_or_a_category_is_named_in_history_by_its_code(users):
    from tracker.history import summary_shown
    from tracker.models import ComplaintCategory, SlaPolicy

    set_actor(db.session, users["admin"].id)
    with force_locale("zh"):
        policy = db.session.scalar(sa.select(SlaPolicy).where(SlaPolicy.severity == "critical"))
        policy.ack_minutes += 1
        category = ComplaintCategory(name="Packaging", name_zh="包装")
        db.session.add(category)
        db.session.commit()
    summaries = {e.record_type: e for e in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type.in_(["sla_policies", "complaint_categories"])).order_by(
        AuditEvent.id))}  # the last of each
    assert summaries["sla_policies"].summary == "critical"
    assert summaries["complaint_categories"].summary == "Packaging"
    legacy = AuditEvent(action="update", record_type="sla_policies", record_id=policy.id,
                        summary="Critical", changes={})
    for language, words in (("en", ("Critical", "Packaging")), ("zh", ("紧急", "包装"))):
        with force_locale(language):
            shown = (summary_shown(summaries["sla_policies"]),
                     summary_shown(summaries["complaint_categories"]))
            assert shown[1] == words[1] and bool(CJK.search(shown[0])) == (language == "zh")
            assert summary_shown(legacy) == shown[0]
