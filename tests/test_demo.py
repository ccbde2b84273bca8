"""The demo: its data files replayed through the services obey every rule the app does."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from tracker import sla
from tracker.access import Action, may_add_to_team, may_reply_to_report, may_write_report
from tracker.access.policy import can
from tracker.clients.complaints.deadline_rules import current_calendar, policy_for
from tracker.demo import load_demo, read
from tracker.extensions import db
from tracker.models import (
    Agreement,
    AgreementVersion,
    AuditEvent,
    Complaint,
    ComplaintEvent,
    ComplaintStatus,
    FollowUp,
    FollowUpStatus,
    Organization,
    Role,
    Tag,
    User,
    utcnow,
)
from tracker.models.base import Base
from tracker.records import FIELD_LABELS, INTERNAL_FIELDS, PARENT_FIELDS

README = Path(__file__).resolve().parent.parent / "README.md"
S = ComplaintStatus


def _steps(rows: list[dict], key: str) -> list[dict]:
    return [step for row in rows for step in row.get(key, ())]


def _expected() -> dict[str, dict[str, int]]:
    """What each area's file says it holds."""
    people, partners = read("people"), read("partners")["partners"]
    clients, complaints = read("clients")["clients"], read("complaints")["complaints"]
    teams = read("teams")["teams"]
    rounds = _steps(partners, "rounds")
    agreement_steps = _steps(partners, "agreements")
    agreement_steps = [s for a in agreement_steps for s in a["steps"]]
    notes = _steps(clients, "progress_notes")
    meetings = _steps(teams, "meetings")
    items = _steps(meetings, "items")
    retros = _steps(teams, "retrospectives")
    posts = _steps(teams, "posts")
    return {
        "people": {"users": len(people["users"]), "teams": len(people["teams"])},
        "partners": {
            "partners": len(partners), "contacts": len(_steps(partners, "contacts")),
            "rounds": len(rounds), "agreements": len(_steps(partners, "agreements")),
            "agreement_versions": sum("version" in s for s in agreement_steps),
            "followups": len(_steps(rounds, "next_steps"))
            + sum("follow_up" in s for s in agreement_steps)},
        "clients": {
            "clients": len(clients), "contacts": len(_steps(clients, "contacts")),
            "client_notes": len(notes), "requirements": len(_steps(clients, "requirements")),
            "followups": len(_steps(notes, "next_steps"))},
        # every step of a complaint leaves one entry in its timeline, after the intake's
        "complaints": {"complaints": len(complaints),
                       "complaint_events": len(complaints) + len(_steps(complaints, "steps"))},
        "teams": {
            "meetings": len(meetings), "agenda_items": len(items),
            "progress_reports": len(_steps(teams, "reports")),
            "problems": len(_steps(teams, "problems")),
            "resource_requests": len(_steps(teams, "requests")),
            "goals": len(_steps(teams, "goals")),
            "goal_checkins": len(_steps(_steps(teams, "goals"), "checkins")),
            "retrospectives": len(retros), "recognitions": len(_steps(teams, "recognition")),
            "posts": len(posts), "post_comments": len(_steps(posts, "comments")),
            "followups": len(_steps(items, "actions")) + len(_steps(retros, "actions"))},
    }


def _sign_ins() -> list[tuple[str, str]]:
    """(email, role label) of each row of the README's "Demo sign-ins" table."""
    section = README.read_text(encoding="utf-8").split("### Demo sign-ins", 1)[1]
    return re.findall(r"^\| `([^`]+@example\.com)` \| ([^|]+?) \|", section.split("##")[0],
                      re.MULTILINE)


def test_the_demo_loads_what_its_files_say_and_obeys_the_rules(app):
    heard: list[tuple[str, dict[str, int]]] = []
    before = db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0
    loading = utcnow()
    summary = load_demo(lambda area, added: heard.append((area, added)))
    db.session.commit()

    # Area by area, as it goes: exactly what the data files hold.
    expected = _expected()
    assert [area for area, _added in heard] == list(expected)
    for area, added in heard:
        assert {k: added[k] for k in expected[area]} == expected[area], area
    tags = {t for row in read("partners")["partners"] + read("clients")["clients"]
            for t in row.get("tags", ())}
    assert db.session.scalar(sa.select(sa.func.count(Tag.id))) == len(tags)
    total: Counter[str] = Counter()
    for _area, added in heard:
        total.update(added)
    assert summary == dict(total)

    _complaints_obey_the_workflow_and_the_policy()
    _agreements_obey_the_workflow()
    _next_steps_became_follow_ups()
    _history_says_who_and_nothing_is_in_the_future(before)
    _history_reads_as_people_read_it(before, loading)
    _everyone_was_allowed_to_do_what_they_did()
    _readme_sign_ins_exist()


def _complaints_obey_the_workflow_and_the_policy() -> None:
    calendar = current_calendar()
    complaints = list(db.session.scalars(sa.select(Complaint)))
    assert {c.status for c in complaints} == {s.value for s in S}  # every state shows
    reopened = [c for c in complaints if c.reopen_count]
    assert reopened
    for complaint in reopened:  # the reopen move clears what the workflow clears
        assert complaint.status == S.INVESTIGATING
        assert (complaint.resolved_at, complaint.closed_at, complaint.satisfaction) == (
            None, None, None)
        assert (complaint.resolution_summary, complaint.root_cause) == ("", "")
    for complaint in complaints:
        # the deadlines are intake's: the policy's minutes, from the received time, with
        # the pauses the moves made
        ack, resolve, business = policy_for(complaint.severity)
        assert (complaint.ack_minutes, complaint.resolve_minutes,
                complaint.business_hours) == (ack, resolve, business)
        week = calendar if business else None
        pauses = [(p.started_at, p.ended_at) for p in complaint.pauses]
        assert complaint.ack_due_at == sla.add_working_minutes(complaint.received_at, ack, week)
        assert complaint.resolve_due_at == sla.deadline(complaint.received_at, resolve, week,
                                                        pauses)
        assert (complaint.status == S.WAITING) == any(end is None for _s, end in pauses)
        assert (complaint.status == S.NEW) == (complaint.acknowledged_at is None)
        if complaint.status in (S.RESOLVED, S.CLOSED):
            assert complaint.resolved_at and complaint.resolution_summary
        if complaint.status == S.REJECTED:
            assert complaint.rejection_reason
        times = [e.at for e in complaint.events]
        assert times == sorted(times) and times[0] >= complaint.received_at


def _agreements_obey_the_workflow() -> None:
    signed = {"signed", "active", "terminated", "renewed"}
    for agreement in db.session.scalars(sa.select(Agreement)):
        version = agreement.signed_version
        if agreement.status in signed:
            assert version is not None and version.agreement_id == agreement.id
            assert db.session.get(AgreementVersion, agreement.signed_version_id) is version
            assert agreement.signed_on and agreement.signatories
            assert agreement.end_on == version.end_on
        else:
            assert version is None and agreement.end_on == agreement.latest.end_on
        if agreement.status in ("proposed", "countered") and len(agreement.versions) > 1:
            # a new version from them is a counter-proposal; from us, a proposal
            last = agreement.latest.proposed_by
            assert agreement.status == ("countered" if last == "them" else "proposed")


def _next_steps_became_follow_ups() -> None:
    """Every next step, action item and agreement to-do is a follow-up of its record."""
    made = Counter((f.source_type, f.title, f.owner_id)
                   for f in db.session.scalars(sa.select(FollowUp)))
    ids = {u.email: u.id for u in db.session.scalars(sa.select(User))}
    wanted: Counter[tuple[str, str, int]] = Counter()
    partners, clients = read("partners")["partners"], read("clients")["clients"]
    teams = read("teams")["teams"]
    meetings = _steps(teams, "meetings")
    sources = (
        ("conversations", _steps(_steps(partners, "rounds"), "next_steps")),
        ("conversations", _steps(_steps(clients, "progress_notes"), "next_steps")),
        ("agreements", [s["follow_up"] for a in _steps(partners, "agreements")
                        for s in a["steps"] if "follow_up" in s]),
        ("agenda_items", _steps(_steps(meetings, "items"), "actions")),
        ("retrospectives", _steps(_steps(teams, "retrospectives"), "actions")),
    )
    for source, steps in sources:
        for step in steps:
            if "{" not in step["title"]:  # the rest name a month, filled in at loading
                wanted[source, step["title"], ids[step["owner"]]] += 1
    assert not wanted - made
    done = sum(bool(step.get("done")) for _source, steps in sources for step in steps)
    assert db.session.scalar(sa.select(sa.func.count(FollowUp.id)).where(
        FollowUp.status == FollowUpStatus.DONE.value)) == done
    recurring = db.session.scalars(sa.select(FollowUp).where(FollowUp.repeat_unit.isnot(None)))
    assert {f.source_type for f in recurring} == {"agenda_items"}


def _history_says_who_and_nothing_is_in_the_future(before: int) -> None:
    """Only the roles (where missing) and the first account are the system's doing."""
    demo = (AuditEvent.id > before, AuditEvent.actor_id.is_(None))
    nobody = set(db.session.scalars(sa.select(AuditEvent.record_type).where(*demo).distinct()))
    assert "users" in nobody and nobody <= {"roles", "users"}
    (first,) = db.session.scalars(sa.select(AuditEvent.record_id).where(
        *demo, AuditEvent.record_type == "users"))
    assert db.session.get(User, first).email == "admin@example.com"
    now = utcnow()
    for model in (Organization, Complaint, Agreement, FollowUp, User):
        assert db.session.scalar(sa.select(sa.func.max(model.created_at))) <= now
    assert db.session.scalar(sa.select(sa.func.max(ComplaintEvent.at))) <= now
    oldest = db.session.scalar(sa.select(sa.func.min(AuditEvent.at)))
    assert (now - oldest).days > 100  # the story happened over months, not at loading


STAMP = re.compile(r"\d{4}-\d\d-\d\dT.*[+-]\d\d:\d\d")  # an aware ISO time
# Deadlines are computed from the story's times (relative to the load) through the
# business calendar, so at some minutes of the week a story complaint's deadline falls
# inside the load's own minute: a genuine value, not a stamp (a CI run of 2026-12-07 at
# 05:00 UTC). Their computation is tested against the calendar instead (test_sla).
DEADLINES = frozenset({"ack_due_at", "resolve_due_at"})


def _history_reads_as_people_read_it(before: int, loading: datetime) -> None:
    """Every field the demo's trail shows has a label (no raw column names on a history
    page), and no value in it is a stamp of the loading: the story's times only."""
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.id > before)).all()
    loaded = utcnow()
    unlabelled, stamped = set(), set()
    for event in events:
        table = event.action.split(".", 1)[0] if "." in event.action else event.record_type
        for field, pair in event.changes.items():
            if field in INTERNAL_FIELDS or field == PARENT_FIELDS.get(table):
                continue
            if field not in FIELD_LABELS:
                unlabelled.add(f"{table}.{field}")
            if field in DEADLINES:
                continue
            for value in pair:
                if (isinstance(value, str) and STAMP.fullmatch(value)
                        and loading <= datetime.fromisoformat(value) <= loaded):
                    stamped.add(f"{table}.{field}")
    assert not unlabelled, f"fields without a label in records.FIELD_LABELS: {unlabelled}"
    assert not stamped, f"values stamped at loading, not at the story's time: {stamped}"


def _everyone_was_allowed_to_do_what_they_did() -> None:
    """Each entry of the history was written by someone the app lets do it (a form would
    have refused anyone else), and each follow-up's owner may read what it came from."""
    models = {mapper.class_.__tablename__: mapper.class_ for mapper in Base.registry.mappers}
    checked = Counter()
    for event in db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.actor_id.isnot(None),
            AuditEvent.record_type.not_in(("users", "roles", "teams")))):  # the administrator
        record = db.session.get(models[event.record_type], event.record_id)
        if getattr(record, "archived_at", None):
            continue  # nobody edits an archived record; what came before was checked live
        actor = db.session.get(User, event.actor_id)
        if event.action == "post_comments.create":
            allowed = may_add_to_team(actor, record.team)
        elif event.record_type == "progress_reports" and actor.id != record.author_id:
            allowed = may_reply_to_report(actor, record)  # the lead's reply
        elif event.record_type == "progress_reports" and event.action == "create":
            allowed = may_write_report(actor, record.team)
        else:
            allowed = can(actor, Action.EDIT, record)
        assert allowed, (event.record_type, event.action, actor.email, str(record))
        checked[event.record_type] += 1
    assert len(checked) >= 14
    for followup in db.session.scalars(sa.select(FollowUp)):
        source = db.session.get(models[followup.source_type], followup.source_id)
        assert can(followup.owner, Action.READ, source), (followup.title, followup.owner.email)


def _readme_sign_ins_exist() -> None:
    rows = _sign_ins()
    assert len(rows) == 7
    assert "password **`tracker-demo`**" in README.read_text(encoding="utf-8")
    for email, label in rows:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        assert user is not None and user.is_active and not user.must_change_password, email
        assert user.check_password("tracker-demo"), email
        assert [r.label for r in user.roles] == [label], email
    assert {r.name for r in db.session.scalars(sa.select(Role))} <= {
        r.name for u in db.session.scalars(sa.select(User)) for r in u.roles}


def test_flask_demo_load_shows_progress_and_if_empty_adds_nothing(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for area in ("people", "partners", "clients", "complaints", "teams"):
        assert any(line.split()[:1] == [area] for line in lines), result.output
    assert lines[-1].startswith("Demo data loaded: ") and "26 partners" in lines[-1]
    counts = [db.session.scalar(sa.select(sa.func.count()).select_from(model))
              for model in (User, Organization, Complaint, FollowUp, AuditEvent)]

    again = runner.invoke(args=["demo", "load", "--if-empty"])
    assert again.exit_code == 0 and "already has users" in again.output
    assert [db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (User, Organization, Complaint, FollowUp, AuditEvent)] == counts
