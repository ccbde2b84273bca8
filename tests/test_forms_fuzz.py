"""Arbitrary input at every form: never a 500, and a refused form marks the field.

Each row of ``FORMS`` is one endpoint that reads user input (a POSTed form, or a GET
whose query string drives a list or a search), with the names of the fields it reads.
Hypothesis draws payloads where each field is absent, arbitrary text, very long text,
a number (huge, negative), "None", empty, a plausible value (an existing id, a valid
choice, the record's current version …) or, for multi-selects, a list of any of those.

One test function runs many examples against the same database, so an example may
meet records that earlier examples renamed or bumped to a newer version; the checks
("no 500", "422 shows a field error") hold whatever state the records are in. Each
example also draws the language it is answered in (English or Chinese).

``test_every_form_page_has_a_row`` fails when a page that takes a form (GET and POST)
has no row here.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from flask import g, url_for
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from tests import factories
from tracker.access import Area, Capability, Level
from tracker.extensions import db, limiter
from tracker.followups import add_followup
from tracker.i18n import COMMON_TIMEZONES
from tracker.models import (
    AgendaItem,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Complaint,
    ComplaintCategory,
    Contact,
    Conversation,
    ConversationKind,
    FollowUp,
    Goal,
    ImportBatch,
    ImportRow,
    Meeting,
    Organization,
    OrgStatus,
    PartnerStage,
    Post,
    Problem,
    ProgressReport,
    Requirement,
    ResourceRequest,
    Retrospective,
    Role,
    Tag,
    Team,
    TopicStatus,
    User,
    utcnow,
)
from tracker.web.partners.forms import CURRENCIES

FIELD_ERROR = 'class="field-error"'
MULTI = frozenset({"attendees", "roles", "teams", "lead_of", "members", "leads", "our_people",
                   "their_people", "notify"})
CURRENT = object()  # stands for "the edited record's version at the time of the request"

ORG = ("version", "name", "status", "industry", "website", "owner_id", "team_id", "tags",
       "notes")
CONTACT = ("version", "name", "title", "email", "phone", "notes")
TEAM = ("version", "name", "description", "members", "leads", "report_cadence")
USER = ("version", "name", "email", "roles", "teams", "lead_of", "locale", "timezone")
ROLE = ("version", "name", "label", "description",
        *(f"{rw}_{area.value}" for area in Area for rw in ("read", "write")),
        *(f"cap_{cap.value}" for cap in Capability))
CATEGORY = ("version", "name", "name_zh", "position")
LIST_ARGS = ("q", "status", "owner", "team", "tag", "sort", "page", "archived", "cols", "contact")
ROUND = ("version", "kind", "occurred_at", "title", "our_people", "their_people", "body",
         "outcome", "is_confidential",
         *(f"topics-{i}-{name}" for i in (0, 1)
           for name in ("subject", "status", "our_position", "their_position", "resolution")),
         *(f"next_steps-{i}-{name}" for i in (0, 1) for name in ("title", "owner_id", "due_on")))
TERMS = ("proposed_by", "scope", "cooperation", "fee_amount", "currency", "payment_terms",
         "start_on", "end_on", "notice_on", "auto_renew", "notes")
AGREEMENT = ("version", "title", "owner_id", "team_id")
AGREEMENT_LIST_ARGS = ("q", "status", "partner", "ends_within", "notice_within", "min_value",
                       "sort", "page")
STEPS = tuple(f"next_steps-{i}-{name}" for i in (0, 1) for name in ("title", "owner_id", "due_on"))
NOTE = ("version", "kind", "occurred_at", "title", "our_people", "their_people", "body",
        "visibility", "is_confidential", *STEPS)
REQ = ("version", "title", "wording", "asked_by_id", "owner_id", *STEPS)
MEETING = ("version", "title", "series", "starts_at", "ends_at", "place", "organizer_id",
           "attendees", "notes",
           *(f"items-{i}-{n}" for i in (0, 1)
             for n in ("item_id", "title", "discussion", "decisions")),
           *(f"items-{i}-actions-{j}-{n}" for i in (0, 1) for j in (0, 1)
             for n in ("title", "owner_id", "due_on")))
RETRO = ("version", "title", "held_on", "facilitator_id", "went_well", "fell_short", "lessons",
         *(f"actions-{i}-{n}" for i in (0, 1) for n in ("title", "owner_id", "due_on")))
REPORT = ("done", "next", "blockers")
PROBLEM = ("title", "impact", "urgency", "owner_id")
REQUEST = ("kind", "title", "amount", "unit", "reason", "approver_id")
GOAL = ("title", "metric", "unit", "baseline", "target", "why", "parent_id", "starts_on",
        "due_on", "owner_id")
POST = ("kind", "title", "body", "link")
FOLLOWUP = ("title", "owner_id", "due_on", "notes", "repeat_unit", "repeat_every")
COMPLAINT = ("contact_id", "title", "description", "channel", "category", "severity",
             "received_at", "assignee_id", "is_confidential", "caller")
SLA = (*(f"{kind}_{sev}" for sev in ("critical", "high", "medium", "low")
         for kind in ("ack", "resolve", "business")),
       *(f"{kind}_{sev}_unit" for sev in ("critical", "high", "medium", "low")
         for kind in ("ack", "resolve")),
       "timezone", "workdays", "start_time", "end_time", "holidays", "extra_workdays",
       "reopen_days")
DATES = ("2026-11-27", "2026-02-30", "0001-01-01", "9999-12-31", "2026-1-1", "27/11/2026")


@dataclass(frozen=True, repr=False)
class Form:
    endpoint: str
    method: str
    fields: tuple[str, ...]
    url: str = "-"  # key into ``world`` for the URL's arguments
    who: str = "admin"  # "anonymous" or a role
    args: tuple[str, ...] = ()  # query-string fields of a POST
    record: tuple[type, str] | None = None  # (model, world key) whose version CURRENT means

    def __repr__(self) -> str:
        return f"{self.method} {self.endpoint}"


FORMS = (
    Form("auth.login", "POST", ("email", "password", "remember"), who="anonymous",
         args=("next",)),
    Form("auth.change_password", "POST", ("current_password", "new_password", "confirm")),
    Form("auth.settings", "POST", ("name", "locale", "timezone", "digest_hour",
                                   "email_digest")),
    Form("partners.create", "POST", ORG),
    Form("partners.edit", "POST", ORG, "partner", record=(Organization, "partner")),
    Form("partners.contact_create", "POST", CONTACT, "partner"),
    Form("partners.contact_edit", "POST", CONTACT, "partner_contact",
         record=(Contact, "partner_contact")),
    Form("clients.create", "POST", ORG),
    Form("clients.edit", "POST", ORG, "client", record=(Organization, "client")),
    Form("clients.contact_create", "POST", CONTACT, "client"),
    Form("clients.contact_edit", "POST", CONTACT, "client_contact",
         record=(Contact, "client_contact")),
    Form("teams.create", "POST", TEAM),
    Form("teams.edit", "POST", TEAM, "team", record=(Team, "team")),
    Form("admin.user_create", "POST", USER),
    Form("admin.user_edit", "POST", USER, "user", record=(User, "user")),
    Form("admin.role_create", "POST", ROLE),
    Form("admin.role_edit", "POST", ROLE, "role", record=(Role, "role")),
    Form("admin.category_create", "POST", CATEGORY),
    Form("admin.category_edit", "POST", CATEGORY, "category",
         record=(ComplaintCategory, "category")),
    Form("main.set_language", "POST", ("lang", "next")),
    Form("main.search", "GET", ("q",)),
    Form("partners.index", "GET", (*LIST_ARGS, "stage")),
    Form("clients.index", "GET", LIST_ARGS),
    Form("partners.move", "POST", ("stage", "reason", "back"), "partner"),
    Form("partners.round_create", "POST", ROUND, "partner"),
    Form("partners.round_edit", "POST", ROUND, "round", record=(Conversation, "round")),
    Form("partners.agreement_create", "POST", ("title", "owner_id", "team_id", *TERMS),
         "partner"),
    Form("partners.agreement_edit", "POST", AGREEMENT, "agreement",
         record=(Agreement, "agreement")),
    Form("partners.version_create", "POST", TERMS, "agreement"),
    Form("partners.agreement_move", "POST", ("status", "reason"), "agreement"),
    Form("partners.agreement_sign", "POST", ("version_id", "signed_on", "signatories"),
         "agreement"),
    Form("partners.agreements", "GET", AGREEMENT_LIST_ARGS),
    Form("main.attachment_upload", "POST", ("file", "next"), "agreement_files"),
    Form("main.comments", "POST", ("body", "notify"), "agreement_comments"),
    Form("main.imports", "POST", ("kind", "file")),
    Form("main.import_check", "POST", ("col_0", "col_1", "col_2"), "import"),
    Form("clients.note_create", "POST", NOTE, "client"),
    Form("clients.note_edit", "POST", NOTE, "client_note", record=(Conversation, "client_note")),
    Form("clients.requirement_create", "POST", REQ, "client"),
    Form("clients.requirement_edit", "POST", REQ, "requirement",
         record=(Requirement, "requirement")),
    Form("clients.requirement_move", "POST",
         ("version", "status", "confirmed_by_id", "confirmed_at", "reason"), "requirement",
         record=(Requirement, "requirement")),
    Form("clients.complaint_intake", "POST", ("client_id", *COMPLAINT)),
    Form("clients.complaint_create", "POST", COMPLAINT, "client"),
    Form("clients.complaint_edit", "POST",
         ("version", "organization_id", "contact_id", "caller", "title", "description",
          "channel", "category_id", "severity", "external_ref", "is_confidential"),
         "complaint", record=(Complaint, "complaint")),
    Form("clients.complaint_move", "POST", ("status", "reason", "summary", "root_cause"),
         "complaint"),
    Form("clients.complaint_message", "POST", ("kind", "body"), "complaint"),
    Form("clients.complaint_assign", "POST", ("assignee_id",), "complaint"),
    Form("clients.complaints_bulk_assign", "POST", ("ids", "assignee_id")),
    Form("clients.complaint_rate", "POST", ("satisfaction", "comment"), "complaint"),
    Form("clients.complaint_followup", "POST", ("title", "owner_id", "due_on"), "complaint"),
    Form("clients.complaints", "GET", ("view", "hours", "severity", "category", "client",
                                       "assignee", "q", "page", "team", "received_from",
                                       "received_to", "resolved_from", "resolved_to",
                                       "deadline", "satisfaction")),
    Form("clients.complaints_export", "GET", ("view", "severity", "category", "team",
                                              "received_from", "format")),
    Form("clients.complaint_dashboard", "GET", ("from", "to")),
    Form("clients.dashboard", "GET", ("from", "to")),
    Form("partners.dashboard", "GET", ("from", "to")),
    Form("teams.dashboard", "GET", ("from", "to")),
    Form("partners.rounds", "GET", ("from", "to", "after", "before")),
    Form("clients.requirement_list", "GET", ("status", "after")),
    Form("followups.overdue", "GET", ("team", "owner", "after")),
    Form("clients.complaint_metrics", "GET", ("from", "to", "severity")),
    Form("admin.sla", "POST", SLA),
    Form("admin.sla_holidays", "POST", ("holidays-year", "holidays-version")),
    Form("teams.meeting_create", "POST", MEETING, "team"),
    Form("teams.meeting_edit", "POST", MEETING, "meeting", record=(Meeting, "meeting")),
    Form("teams.meetings", "GET", ("series", "page", "archived"), "team"),
    Form("teams.retro_create", "POST", RETRO, "team"),
    Form("teams.retro_edit", "POST", RETRO, "retro", record=(Retrospective, "retro")),
    Form("teams.retros", "GET", ("page", "archived"), "team"),
    Form("teams.reports", "GET", ("page",), "team"),
    Form("teams.report_create", "POST", REPORT, "alpha", who="team_member"),
    Form("teams.report_edit", "POST", ("version", *REPORT), "report",
         record=(ProgressReport, "report")),
    Form("teams.report_comment", "POST", ("version", "lead_comment"), "report",
         record=(ProgressReport, "report")),
    Form("teams.report_blocker", "POST", ("action", "owner_id", "due_on"), "report"),
    Form("teams.problems", "GET", ("status", "urgency", "archived", "page"), "team"),
    Form("teams.problem_create", "POST", PROBLEM, "team"),
    Form("teams.problem_edit", "POST", ("version", *PROBLEM, "solution"), "problem",
         record=(Problem, "problem")),
    Form("teams.problem_move", "POST", ("status", "solution"), "problem"),
    Form("teams.requests", "GET", ("status", "kind", "archived", "page"), "team"),
    Form("teams.request_create", "POST", REQUEST, "team"),
    Form("teams.request_edit", "POST", ("version", *REQUEST), "resource_request",
         record=(ResourceRequest, "resource_request")),
    Form("teams.request_decide", "POST", ("version", "decision", "granted_amount",
                                          "approver_note"), "resource_request",
         record=(ResourceRequest, "resource_request")),
    Form("teams.goal_create", "POST", GOAL, "team"),
    Form("teams.goal_edit", "POST", ("version", *GOAL), "goal", record=(Goal, "goal")),
    Form("teams.goal_checkin", "POST", ("value", "note"), "goal"),
    Form("teams.recognize", "POST", ("recipient_id", "message"), "team"),
    Form("teams.post_create", "POST", POST, "team"),
    Form("teams.post_edit", "POST", ("version", *POST), "post", record=(Post, "post")),
    Form("teams.post_comment", "POST", ("body",), "post"),
    Form("teams.feed", "GET", ("page",), "team"),
    Form("followups.create", "POST", FOLLOWUP),
    Form("followups.complete", "POST", ("version", "next"), "followup",
         record=(FollowUp, "followup")),
    Form("followups.undo_complete", "POST", ("next",), "followup", args=("version",)),
    Form("followups.reopen", "POST", ("version", "next"), "followup",
         record=(FollowUp, "followup")),
    Form("followups.snooze", "POST", ("version", "due_on", "reason", "next"), "followup",
         record=(FollowUp, "followup")),
    Form("followups.reassign", "POST", ("version", "owner_id", "note", "next"), "followup",
         record=(FollowUp, "followup")),
    Form("followups.comment", "POST", ("body", "next"), "followup"),
    Form("followups.calendar_settings", "POST", ("action",)),
    Form("followups.reminder_log", "GET", ("page",)),
)

# Values that have broken web forms before: wildcards, digits int() refuses, URLs that
# urlsplit() refuses, header-breaking line ends, NUL, markup, SQL.
NASTY = ("", " ", "None", "null", "0", "-0", "1", "-1", "1.5", "1e308", "NaN", "inf",
         "99999999999999999999", "-99999999999999999999", str(2**63), str(-(2**63) - 1),
         "²", "٣", "１２", "%", "_", "\\", "\x00", "\r\n", "\t", "\u3000", "\u200b", "\ufeff",
         "//[", "/\\[", "\\\\[", "http://[", "/[", "//evil.example/", "/\r\nX-Evil: 1",
         "javascript:alert(1)", "<script>alert(1)</script>", "'; DROP TABLE users; --",
         "a@b", "@", "a@b.c", "x" * 121, "x" * 201, "x" * 256, ",,,", "，", "a," * 13)
# Numbers int() takes but a database column does not, and digits int() refuses.
NUMBERS = ("99999999999999999999", "-99999999999999999999", str(2**63), "²", "٣", "-1", "0")


def _long_text() -> st.SearchStrategy[str]:
    return st.builds(lambda piece, n: (piece * n)[:n], st.text(min_size=1, max_size=3),
                     st.integers(min_value=100, max_value=5000))


def plausible(field: str, world: dict[str, Any]) -> list[Any]:
    """Values that pass (or nearly pass) the field's checks, so examples reach the saves."""
    ids = world["ids"]
    if field == "version":
        return [CURRENT, "1", "2"]
    if field == "repeat_unit":
        return ["", "days", "weeks", "months", "years"]
    if field == "repeat_every":
        return ["1", "2", "12", "0", "366"]
    if field == "digest_hour":
        return ["0", "8", "23", "24", "-1"]
    if field.endswith("-status"):  # a topic's outcome
        return [s.value for s in TopicStatus]
    if field in {"starts_at", "ends_at"}:
        return plausible("occurred_at", world)
    if field == "notify":
        return ["", "0", "-1", *map(str, ids["users"])]
    if field in {"attendees", "organizer_id", "facilitator_id", "approver_id", "recipient_id"}:
        return ["", *map(str, ids["users"])]
    if field.endswith("item_id"):
        return ["", *map(str, ids["items"])]
    if field == "series":
        return ["周例会 Weekly ops", "  Weekly  ", ""]
    if field == "report_cadence":
        return ["weekly", "daily", "monthly", ""]
    if field == "urgency":
        return ["low", "medium", "high", "urgent"]
    if field == "decision":
        return ["approved", "partly_approved", "rejected", "fulfilled"]
    if field in {"amount", "granted_amount", "baseline", "target", "value"}:
        return ["12000.50", "0.005", "1e3", "NaN", "sNaN", "Infinity", "-1", "0",
                "999999999999.99", "1000000000000", "1,000", "2.50"]
    if field == "unit":
        return ["CNY", "persons", "x" * 21]
    if field == "action":
        return ["followup", "problem", "", "create", "revoke"]
    if field == "parent_id":
        return ["", *map(str, ids["goals"])]
    if field == "link":
        return ["https://example.com/a?b=1", "http://[", "javascript:alert(1)", "ftp://x.y",
                "example.com"]
    if field == "message":
        return ["Thanks for covering the Monday calls.", "short"]
    if field.endswith("owner_id") and field != "owner_id":  # a next step's owner
        return ["", *map(str, ids["users"])]
    if field in {"occurred_at"}:
        return ["2026-11-20T14:30", "2026-11-20T14:30:00", "2026-11-20 14:30",
                "2026-02-30T10:00", "0001-01-01T00:00", "9999-12-31T23:59"]
    if field.endswith(("_on", "due_on")):
        return list(DATES)
    if field == "kind":
        return [*(k.value for k in ConversationKind), "people", "budget", "equipment",
                "announcement", "finding", "note", "reply"]
    if field in {"our_people"}:
        return list(map(str, ids["users"]))
    if field in {"their_people"}:
        return list(map(str, ids["contacts"]))
    if field in {"partner"}:
        return list(map(str, ids["partners"]))
    if field == "version_id":
        return list(map(str, ids["versions"]))
    if field == "stage":
        return [s.value for s in PartnerStage]
    if field == "back":
        return ["board", ""]
    if field == "proposed_by":
        return ["us", "them", "both"]
    if field == "currency":
        return [*CURRENCIES, "usd", "XXX"]
    if field == "fee_amount":
        return ["120000.00", "0.005", "1e3", "999999999999.99", "1000000000000", "NaN",
                "sNaN", "Infinity", "-0.01", "1,000"]
    if field in {"ends_within", "min_value"}:
        return ["30", "3650", "3651", "0", "-1"]
    if field in {"is_confidential", "auto_renew", "email_digest"}:
        return ["y", "", "on", "false"]
    if field in {"owner_id", "owner"}:
        return ["", "me", "none", *map(str, ids["users"])]
    if field in {"team_id", "team", "teams", "lead_of"}:
        return ["", *map(str, ids["teams"])]
    if field in {"members", "leads"}:
        return list(map(str, ids["users"]))
    if field == "roles":
        return list(map(str, ids["roles"]))
    if field == "status":
        return [*(s.value for s in OrgStatus), *(s.value for s in AgreementStatus), "open",
                "in_progress", "solved", "unsolved", "requested", "approved",
                "partly_approved", "rejected", "fulfilled"]
    if field.startswith(("read_", "write_")):
        return [str(int(level)) for level in Level]
    if field.startswith("cap_") or field in {"remember", "archived"}:
        return ["y", "1", "on", "false", ""]
    if field in {"locale", "lang"}:
        return ["", "en", "zh", "zh_TW", "fr"]
    if field == "timezone":
        return ["", *COMMON_TIMEZONES[:4], "Not/AZone", "UTC "]
    if field == "email":
        return ["fuzz@example.com", "admin@test.example", "ADMIN@test.example",
                " admin@test.example ", "用户@例子.中国"]
    if field in {"password", "current_password", "new_password", "confirm"}:
        return [factories.PASSWORD, "another-long-passphrase", "password123", "short"]
    if field == "website":
        return ["https://example.com", "example.com", "http://[::1", "ftp://x.y"]
    if field in {"tags", "tag"}:
        return ["vip, 华东, vip", "vip，华东", ", ".join(f"t{i}" for i in range(13)),
                "y" * 51, "vip"]
    if field == "name":
        return ["Alpha", "Beta", "custom_role", "admin", "fuzz_role", "Fuzz", "  padded  "]
    if field == "sort":
        return ["name", "-name", "-updated", "updated", "-created", "status", "bogus",
                "-last_contact", "last_contact", "next_followup", "stage", "end", "title",
                "-value"]
    if field == "page":
        return ["1", "2", "0", "-1"]
    if field == "next":
        return ["/teams/", "//evil.example", "https://evil.example/", "/search?q=a", "//[",
                "/\\[", "/a\r\nX-Evil: 1"]
    return ["Fuzz", "华东 合作伙伴"]


def value_strategy(field: str, world: dict[str, Any]) -> st.SearchStrategy[Any]:
    one = st.one_of(
        st.sampled_from(plausible(field, world)),
        st.text(),
        _long_text(),
        st.integers().map(str),
        st.integers(max_value=-1).map(str),
        st.sampled_from(NUMBERS),
        st.sampled_from(NASTY),
    )
    if field in MULTI:
        return st.lists(one, max_size=6)
    if field == "file":
        return st.one_of(one, st.builds(
            lambda content, name: (io.BytesIO(content), name), st.binary(max_size=2048),
            st.one_of(st.sampled_from(UPLOAD_NAMES), st.text(max_size=30))))
    return one


UPLOAD_NAMES = ("contract.pdf", "合同.pdf", "ledger.csv", "客户台账.xlsx", "page.html", "logo.svg",
                "x.PDF", "..pdf", "pdf",
                "../../etc/passwd.pdf", "C:\\temp\\a.pdf", "a\x00.pdf", "a\r\n.pdf", "",
                "x" * 300 + ".pdf")


def payload_strategy(form: Form, world: dict[str, Any]) -> st.SearchStrategy[dict]:
    names = (*form.fields, *form.args)
    return st.fixed_dictionaries(
        {}, optional={name: value_strategy(name, world) for name in names})


class World(dict):
    """URL arguments by key, and the ids plausible values draw from (short in reports)."""

    def __repr__(self) -> str:
        return "world"


@pytest.fixture
def world(users):
    """Records an admin may edit: owned by the admin, in a team of their own."""
    admin = users["admin"]
    beta = factories.make_team("Beta")
    member = factories.make_user("team_member", teams=(beta,), lead_of=(beta,))
    partner = factories.make_org("partner", owner=admin, team=beta,
                                 tags=[Tag(name="vip"), Tag(name="华东")])
    client = factories.make_org("client", owner=admin, team=beta)
    pcontact = factories.make_contact(partner, email="p@example.com")
    ccontact = factories.make_contact(client)
    role = Role(name="custom_role", label="Custom")
    db.session.add(role)
    category = ComplaintCategory(name="Fuzz category", name_zh="模糊类别")
    db.session.add(category)
    ledger = ImportBatch(user_id=admin.id, kind="clients", filename="客户台账.csv",
                         headers=["名称", "邮箱", "x"], mapping=["name", "contact_email", ""],
                         total=1)
    ledger.rows = [ImportRow(number=2, cells=["青禾", "a@b.cn", ""])]
    db.session.add(ledger)
    talk = factories.make_round(partner, "Fuzz round", author=admin, our_people=(admin,))
    agreement = Agreement(organization=partner, title="Fuzz agreement", owner=admin, team=beta,
                          status="draft")
    for number in (1, 2):
        agreement.versions.append(AgreementVersion(number=number, fee_amount=1000 * number,
                                                   end_on=None))
    db.session.add(agreement)
    db.session.commit()
    complaint = factories.make_complaint(client, "Fuzz complaint", assignee=admin)
    client_note = factories.make_round(client, "Fuzz note", author=admin, our_people=(admin,))
    alpha = db.session.scalar(db.select(Team).where(Team.name == "Alpha"))
    meeting = Meeting(team=beta, title="Fuzz meeting", series="Weekly", starts_at=utcnow(),
                      organizer_id=admin.id,
                      items=[AgendaItem(position=0, title="One"), AgendaItem(position=1,
                                                                              title="Two")])
    retro = Retrospective(team=beta, title="Fuzz retro", held_on=date(2026, 11, 1),
                          facilitator_id=admin.id)
    report = ProgressReport(team_id=beta.id, author_id=member.id, period_start=date(2026, 3, 2),
                            blockers="Waiting")
    problem = Problem(team_id=beta.id, reporter_id=admin.id, title="Fuzz problem")
    resource_request = ResourceRequest(team_id=beta.id, requester_id=member.id,
                                       approver_id=admin.id, title="Fuzz request", amount=100,
                                       unit="CNY")
    goal = Goal(team_id=beta.id, owner_id=admin.id, title="Fuzz goal", metric="m", baseline=0,
                target=10, due_on=date(2030, 1, 1))
    elsewhere = Goal(team_id=factories.make_team("Gamma").id, title="Elsewhere", metric="m",
                     baseline=0, target=1)
    post = Post(team_id=beta.id, author_id=admin.id, title="Fuzz post")
    db.session.add_all([meeting, retro, report, problem, resource_request, goal, elsewhere,
                        post])
    requirement = Requirement(organization=client, title="Fuzz requirement", owner=admin)
    db.session.add(requirement)
    db.session.commit()
    followup = add_followup(talk, "Fuzz step", admin.id, date(2026, 11, 27),
                            organization=partner, repeat_every=1, repeat_unit="months")
    db.session.commit()
    return World({
        "followup": {"followup_id": followup.id},
        "client_note": {"note_id": client_note.id}, "requirement": {"req_id": requirement.id},
        "alpha": {"team_id": alpha.id}, "meeting": {"meeting_id": meeting.id},
        "retro": {"retro_id": retro.id}, "report": {"report_id": report.id},
        "problem": {"problem_id": problem.id},
        "resource_request": {"request_id": resource_request.id},
        "goal": {"goal_id": goal.id}, "post": {"post_id": post.id},
        "complaint": {"complaint_id": complaint.id},
        "-": {}, "partner": {"org_id": partner.id}, "client": {"org_id": client.id},
        "partner_contact": {"contact_id": pcontact.id},
        "client_contact": {"contact_id": ccontact.id}, "team": {"team_id": beta.id},
        "user": {"user_id": member.id}, "role": {"role_id": role.id},
        "category": {"category_id": category.id}, "import": {"import_id": ledger.id},
        "round": {"round_id": talk.id}, "agreement": {"agreement_id": agreement.id},
        "agreement_files": {"record_type": "agreements", "record_id": agreement.id},
        "agreement_comments": {"record_type": "agreements", "record_id": agreement.id},
        "ids": {
            "users": sorted(u.id for u in db.session.scalars(db.select(User))),
            "teams": sorted(t.id for t in db.session.scalars(db.select(Team))),
            "roles": sorted(r.id for r in db.session.scalars(db.select(Role))),
            "contacts": sorted(c.id for c in db.session.scalars(db.select(Contact))),
            "partners": [partner.id, client.id],
            "versions": [v.id for v in agreement.versions],
            "items": [i.id for i in meeting.items],
            "goals": [goal.id, elsewhere.id],
        },
    })


def _current_version(form: Form, world: dict[str, Any]) -> str:
    model, key = form.record  # type: ignore[misc]
    record_id = next(iter(world[key].values()))
    record = db.session.get(model, record_id)
    return str(record.version) if record is not None else "0"


def _resolve(form: Form, world: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
    if payload.get("version") is CURRENT:
        payload = {**payload, "version": _current_version(form, world) if form.record else ""}
    return payload


@pytest.fixture
def http(app, login_as, form):
    """The form's client, kept across the test's examples (its session builds up)."""
    return app.test_client() if form.who == "anonymous" else login_as(form.who)


def _speak(http, form: Form, users: dict[str, User], lang: str) -> None:
    """Make the next request's language ``lang``, as the user's setting or the page switch."""
    if form.who == "anonymous":
        with http.session_transaction() as session:
            session["lang"] = lang
    else:
        users[form.who].locale = lang
        db.session.commit()
    # Flask-Babel keeps the locale on ``g``; the test's app context outlives a request.
    g.pop("_flask_babel", None)


@pytest.mark.parametrize("form", FORMS, ids=[f"{f.endpoint}-{f.method}" for f in FORMS])
@settings(max_examples=25, deadline=None, database=None,
          phases=[Phase.explicit, Phase.generate, Phase.shrink],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_form_survives_any_input(app, users, world, http, form, data):
    payload = _resolve(form, world, data.draw(payload_strategy(form, world), label="payload"))
    _speak(http, form, users, data.draw(st.sampled_from(["en", "zh"]), label="language"))
    limiter.reset()  # the sign-in limits would otherwise answer 429 before the form is read
    with app.test_request_context():
        url = url_for(form.endpoint, **world[form.url])
    query = {k: v for k, v in payload.items() if form.method == "GET" or k in form.args}
    body = {k: v for k, v in payload.items() if k not in query}
    note(f"{form.method} {url} query={query!r} form={body!r}")
    try:
        response = http.open(url, method=form.method, query_string=query,
                             data=body if form.method == "POST" else None)
    except Exception:
        db.session.rollback()  # leave the session usable for the next examples and teardown
        raise
    assert response.status_code < 500, f"{form.method} {url}: {response.status_code}"
    if response.status_code == 422:
        html = response.get_data(as_text=True)
        assert FIELD_ERROR in html, (
            f"{form.method} {url} answered 422 without a message on any field")


def test_every_form_page_has_a_row(app):
    covered = {f.endpoint for f in FORMS}
    missing = sorted(rule.endpoint for rule in app.url_map.iter_rules()
                     if {"GET", "POST"} <= rule.methods and rule.endpoint not in covered)
    assert not missing, "form pages without a row in FORMS: " + ", ".join(missing)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_empty_form_is_refused_in_chinese(app, login_as):
    http = login_as("admin")
    http.post("/language", data={"lang": "zh"})
    g.pop("_flask_babel", None)  # the test's app context outlives a request; a real one doesn't
    with app.test_request_context():
        url = url_for("partners.create")
    response = http.post(url, data={})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    match = re.search(r'<small id="name-help" class="field-error">(.*?)</small>', html, re.S)
    assert match, "no message on the name field"
    message = match.group(1).strip()
    assert _CJK.search(message), f"the name field's message is not in Chinese: {message!r}"
