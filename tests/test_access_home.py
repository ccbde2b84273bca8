"""Every access rule lives in tracker/access/, and each rule there does what it says.

The first half reads the source (``ast``): outside ``tracker/access/`` nobody defines a
``may_*``/``can_*`` function, imports ``Level``, reads a level off ``permissions_of`` or
counts on a team's lead; a rule found elsewhere fails here with where it is. The second
half calls the rules of ``tracker/access/rules.py`` with one user per default role.
"""

from __future__ import annotations

import ast
import inspect
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from tests import factories
from tracker import access
from tracker.access import Action, Area, can, rules, visible, visible_followups
from tracker.extensions import db
from tracker.followups import add_followup
from tracker.models import (
    FollowUp,
    Goal,
    Grant,
    Meeting,
    Post,
    ProgressReport,
    Recognition,
    RequestStatus,
    ResourceRequest,
    Role,
    Team,
    User,
    utcnow,
)

ROOT = Path(__file__).resolve().parent.parent
TRACKER = ROOT / "tracker"
ACCESS = TRACKER / "access"
OUTSIDE = sorted(p for p in TRACKER.rglob("*.py") if ACCESS not in p.parents)
RULE_NAME = re.compile(r"_?(may|can)_")

# Modules outside tracker/access/ that import ``Level``, and why that is no access rule.
LEVEL_IMPORTS = {
    "tracker/accounts/services.py": "stores a role's grants: levels are the data it writes",
    "tracker/web/admin/forms.py": "the role editor offers each level as a choice",
    "tracker/web/admin/roles.py": "shows each role's grants as levels",
    "tracker/history.py": "shows a grant's changed levels by their labels",
}
# Modules outside tracker/access/ that read a user's led teams, and why that grants nothing.
LEAD_READERS = {
    "tracker/models/user.py": "defines User.led_team_ids",
    "tracker/followups/team_view.py": "puts the teams a user leads first, with a badge",
}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def test_the_scan_sees_the_source():
    assert len(OUTSIDE) > 100
    assert all(ACCESS not in p.parents for p in OUTSIDE)
    assert (TRACKER / "teams" / "goals" / "services.py") in OUTSIDE


@pytest.mark.parametrize("path", OUTSIDE, ids=_rel)
def test_no_access_rule_is_defined_outside_access(path: Path):
    """A ``may_*``/``can_*`` function outside tracker/access/ is a rule in the wrong home:
    move it to tracker/access/rules.py and ask it from here."""
    found = [f"line {node.lineno}: def {node.name}" for node in ast.walk(_tree(path))
             if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
             and RULE_NAME.match(node.name)]
    assert not found, f"{_rel(path)} defines access rules:\n" + "\n".join(found)


@pytest.mark.parametrize("path", OUTSIDE, ids=_rel)
def test_no_level_outside_access(path: Path):
    """Comparing levels is building a rule; only the grant editor handles levels as data."""
    found = [f"line {node.lineno}: imports Level from {node.module}"
             for node in ast.walk(_tree(path))
             if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                 "tracker.access") and any(a.name == "Level" for a in node.names)]
    if _rel(path) in LEVEL_IMPORTS:
        assert found, f"{_rel(path)} is allowed Level but no longer imports it: drop it"
        return
    assert not found, f"{_rel(path)}:\n" + "\n".join(found)


@pytest.mark.parametrize("path", OUTSIDE, ids=_rel)
def test_permissions_of_only_keys_a_cache(path: Path):
    """``permissions_of(user).key(user)`` names a reader's access for a cache; reading a
    level or a capability off it (``.level``, ``.has``, ``.read`` …) is a rule."""
    tree = _tree(path)
    parents = _parents(tree)
    wrong = []
    for node in ast.walk(tree):
        if not ((isinstance(node, ast.Name) and node.id == "permissions_of")
                or (isinstance(node, ast.Attribute) and node.attr == "permissions_of")):
            continue
        call = parents.get(node)
        used = parents.get(call) if isinstance(call, ast.Call) and call.func is node else None
        if not (isinstance(used, ast.Attribute) and used.attr == "key"):
            wrong.append(f"line {node.lineno}: permissions_of(…) used for more than .key()")
    assert not wrong, f"{_rel(path)}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", OUTSIDE, ids=_rel)
def test_no_level_is_read_outside_access(path: Path):
    """``….level(Area.X …)`` outside tracker/access/ compares grants by hand."""
    found = [f"line {node.lineno}" for node in ast.walk(_tree(path))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and node.func.attr == "level" and node.args
             and isinstance(node.args[0], ast.Attribute)
             and isinstance(node.args[0].value, ast.Name) and node.args[0].value.id == "Area"]
    assert not found, f"{_rel(path)} reads a level: " + ", ".join(found)


@pytest.mark.parametrize("path", OUTSIDE, ids=_rel)
def test_leading_a_team_grants_nothing_outside_access(path: Path):
    """Being a team's lead is an access rule (replying to reports) only in tracker/access/;
    elsewhere ``led_team_ids`` may order or label, never allow."""
    found = [f"line {node.lineno}" for node in ast.walk(_tree(path))
             if isinstance(node, ast.Attribute) and node.attr == "led_team_ids"]
    if _rel(path) in LEAD_READERS:
        assert found, f"{_rel(path)} is allowed led_team_ids but no longer reads it: drop it"
        return
    assert not found, f"{_rel(path)} reads led_team_ids: " + ", ".join(found)


def test_every_allowance_names_a_file_that_exists():
    for name in (*LEVEL_IMPORTS, *LEAD_READERS):
        assert (ROOT / name).exists(), name


RULES = [(name, fn) for name, fn in inspect.getmembers(rules, inspect.isfunction)
         if fn.__module__ == rules.__name__ and not name.startswith("_")]


def test_the_rules_are_found():
    assert {"may_add_to_team", "may_write_report", "may_manage_accounts"} <= dict(RULES).keys()


@pytest.mark.parametrize(("name", "fn"), RULES, ids=[n for n, _ in RULES])
def test_each_rule_is_exported_documented_and_written_down(name, fn):
    """Callers ask ``tracker.access``; the docstring says the rule; permissions.md too."""
    assert name in access.__all__ and getattr(access, name) is fn
    assert fn.__doc__ and len(fn.__doc__.split()) >= 12, f"{name}: say the rule exactly"
    assert fn.__annotations__.get("return") == "bool"
    docs = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert f"`{name}`" in docs, f"{name} is missing from docs/permissions.md"


def test_who_may_import_what(users):
    assert _answers(users, access.may_import, "partners") == {
        "admin", "manager", "partner_manager", "team_member"}
    assert _answers(users, access.may_import, "clients") == {
        "admin", "manager", "account_manager", "support_agent", "team_member"}
    assert _answers(users, access.may_import, "complaints") == {
        "admin", "manager", "account_manager", "support_agent"}
    assert _answers(users, access.may_import, "users") == set()


def test_a_request_awaits_its_decision_in_the_workflows_words():
    assert RequestStatus.REQUESTED.awaits_decision
    assert not RequestStatus.APPROVED.awaits_decision


# -- the rules, role by role ---------------------------------------------------------------

ROLES = ("admin", "manager", "partner_manager", "account_manager", "support_agent",
         "team_member", "auditor")


def _answers(users: dict[str, User], rule, *args) -> set[str]:
    """The roles for which ``rule(user, *args)`` says yes."""
    return {role for role in ROLES if rule(users[role], *args)}


@pytest.fixture
def world(users):
    """Alpha (the fixture's team of the four staff roles) with a lead; Beta with an
    outsider; an archived team."""
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    beta = factories.make_team("Beta")
    gone = factories.make_team("Gone")
    gone.archived_at = utcnow()
    lead = factories.make_user("team_member", name="Lena Lead", teams=(alpha,),
                               lead_of=(alpha,))
    outsider = factories.make_user("team_member", name="Otto Outsider", teams=(beta,))
    db.session.commit()
    return {"alpha": alpha, "beta": beta, "gone": gone, "lead": lead, "outsider": outsider}


def _add(record):
    db.session.add(record)
    db.session.commit()
    return record


def _custom_user(team: Team, **grants: tuple[int, int]) -> User:
    """A member of ``team`` whose one custom role grants ``area=(read, write)``."""
    role = Role(name=f"custom{len(grants)}{team.id}", label="Custom",
                grants=[Grant(area=a, read_level=r, write_level=w)
                        for a, (r, w) in grants.items()])
    _add(role)
    user = factories.make_user(None, teams=(team,))
    user.roles = [role]
    db.session.commit()
    return user


STAFF = {"partner_manager", "account_manager", "support_agent", "team_member"}
EVERYONE_BUT_AUDITOR = set(ROLES) - {"auditor"}
READ_ALL = {"admin", "manager", "auditor"}


def test_adding_to_a_team_takes_membership_or_all(users, world):
    assert _answers(users, rules.may_add_to_team, world["alpha"]) == EVERYONE_BUT_AUDITOR
    assert _answers(users, rules.may_add_to_team, world["beta"]) == {"admin", "manager"}
    assert _answers(users, rules.may_add_to_team, world["gone"]) == set()
    assert not rules.may_add_to_team(None, world["alpha"])
    assert not rules.may_add_to_team(AnonymousUserMixin(), world["alpha"])


def test_a_sub_goal_needs_the_team_readable_and_the_goal_live(users, world):
    goal = _add(Goal(team_id=world["alpha"].id, owner_id=users["team_member"].id,
                     title="Faster builds", due_on=date(2030, 1, 1)))
    assert _answers(users, rules.may_add_subgoal, goal) == EVERYONE_BUT_AUDITOR
    # A member whose teams grant is "own" adds to the team but cannot open it.
    own_only = _custom_user(world["alpha"], teams=(1, 1))
    assert rules.may_add_to_team(own_only, world["alpha"])
    assert not rules.may_add_subgoal(own_only, goal)
    goal.archived_at = utcnow()
    db.session.commit()
    assert _answers(users, rules.may_add_subgoal, goal) == set()


def test_replying_to_a_post_is_adding_to_its_team(users, world):
    post = _add(Post(team_id=world["alpha"].id, author_id=world["lead"].id, title="News"))
    beta_post = _add(Post(team_id=world["beta"].id, author_id=world["outsider"].id,
                          title="Beta news"))
    assert _answers(users, rules.may_comment_on_post, post) == EVERYONE_BUT_AUDITOR
    assert _answers(users, rules.may_comment_on_post, beta_post) == {"admin", "manager"}
    post.archived_at = utcnow()
    db.session.commit()
    assert _answers(users, rules.may_comment_on_post, post) == set()


def test_recording_a_meeting_is_an_ordinary_create_without_membership(users, world):
    # What the old docstrings got wrong: create in internal teams asks "own", not "all".
    assert {r for r in ROLES if can(users[r], Action.CREATE, Area.TEAMS)} == EVERYONE_BUT_AUDITOR
    assert _answers(users, rules.may_record_meeting, world["alpha"]) == EVERYONE_BUT_AUDITOR
    assert _answers(users, rules.may_record_meeting, world["beta"]) == EVERYONE_BUT_AUDITOR
    assert _answers(users, rules.may_record_meeting, world["gone"]) == set()


def test_a_person_is_seen_through_a_shared_team_or_a_record(users, world):
    outsider = world["outsider"]
    assert _answers(users, rules.may_see_person, outsider) == READ_ALL
    assert all(rules.may_see_person(users[r], users[r]) for r in ROLES)
    assert _answers(users, rules.may_see_person, world["lead"]) == READ_ALL | STAFF
    # Praise the outsider gives in Alpha makes them known to Alpha (who reads team records).
    praise = _add(Recognition(team_id=world["alpha"].id, giver_id=outsider.id,
                              recipient_id=world["lead"].id, message="Thanks"))
    assert _answers(users, rules.may_see_person, outsider) == READ_ALL | STAFF
    praise.archived_at = utcnow()
    db.session.commit()
    assert _answers(users, rules.may_see_person, outsider) == READ_ALL


def test_reports_have_their_own_area(users):
    assert _answers(users, rules.may_read_reports) == set(ROLES) - {"support_agent"}


def test_only_members_write_reports(users, world):
    writers = {"partner_manager", "account_manager", "team_member"}
    assert _answers(users, rules.may_write_report, world["alpha"]) == writers
    assert rules.may_write_report(world["lead"], world["alpha"])
    assert _answers(users, rules.may_write_report, world["beta"]) == set()
    assert _answers(users, rules.may_write_report, world["gone"]) == set()


def test_the_lead_replies_to_a_report(users, world):
    report = _add(ProgressReport(team_id=world["alpha"].id, author_id=users["team_member"].id,
                                 period_start=date(2026, 3, 2), done="Done", blockers="CI"))
    assert _answers(users, rules.may_reply_to_report, report) == {"admin", "manager"}
    assert rules.may_reply_to_report(world["lead"], report)
    assert not rules.may_reply_to_report(world["outsider"], report)
    # Leading without write access to reports is not enough.
    silent = factories.make_user("support_agent", teams=(world["alpha"],),
                                 lead_of=(world["alpha"],))
    assert not rules.may_reply_to_report(silent, report)
    report.archived_at = utcnow()
    db.session.commit()
    assert not rules.may_reply_to_report(world["lead"], report)
    assert _answers(users, rules.may_reply_to_report, report) == set()


def test_the_author_or_the_lead_escalates_a_report(users, world):
    report = _add(ProgressReport(team_id=world["alpha"].id, author_id=users["team_member"].id,
                                 period_start=date(2026, 3, 2), done="Done", blockers="CI"))
    assert _answers(users, rules.may_escalate_report, report) == {"admin", "manager",
                                                                   "team_member"}
    assert rules.may_escalate_report(world["lead"], report)
    assert not rules.may_escalate_report(world["outsider"], report)


def test_follow_ups_are_made_with_write_access_to_them(users):
    assert _answers(users, rules.may_create_followups) == EVERYONE_BUT_AUDITOR


@pytest.fixture
def request_(users, world):
    """Laptops for Alpha: asked by the team member, to be decided by the partner manager."""
    return _add(ResourceRequest(team_id=world["alpha"].id, requester_id=users["team_member"].id,
                                approver_id=users["partner_manager"].id, title="Laptops",
                                amount=12000, unit="CNY"))


def test_the_requester_changes_a_waiting_request(users, request_):
    assert _answers(users, rules.may_edit_request, request_) == {"admin", "manager",
                                                                "team_member"}
    request_.status = RequestStatus.APPROVED.value
    db.session.commit()
    assert _answers(users, rules.may_edit_request, request_) == set()
    assert not rules.may_edit_request(None, request_)


def test_the_named_approver_decides(users, request_):
    assert _answers(users, rules.may_decide_request, request_) == {"admin", "manager",
                                                                  "partner_manager"}
    assert not rules.may_decide_request(None, request_)


def test_whoever_may_edit_a_request_fulfils_it(users, request_):
    assert _answers(users, rules.may_fulfil_request, request_) == {
        "admin", "manager", "partner_manager", "team_member"}


def test_every_team_board_for_those_who_read_every_follow_up(users):
    assert _answers(users, rules.may_see_every_team_board) == READ_ALL


def test_every_reminder_for_those_who_read_the_history(users):
    assert _answers(users, rules.may_see_every_reminder) == READ_ALL


def test_accounts_are_managed_by_administrators_only(users):
    assert _answers(users, rules.may_manage_accounts) == {"admin"}
    # Administration write "all" without the capability is not enough.
    writer = _custom_user(factories.make_team(), admin=(3, 3))
    assert not rules.may_manage_accounts(writer)
    assert not rules.may_manage_accounts(None)


def test_a_follow_up_is_seen_through_its_source(users, world):
    meeting = _add(Meeting(team=world["alpha"], title="Alpha weekly", starts_at=utcnow(),
                           organizer_id=world["lead"].id))
    followup = add_followup(meeting, "Book the room", world["outsider"].id, date(2026, 1, 5))
    db.session.commit()

    def reads(stmt_of) -> set[str]:
        return {role for role in ROLES if db.session.scalar(
            stmt_of(users[role]).where(FollowUp.id == followup.id)) is not None}

    # Nobody in Alpha owns it or shares its (absent) team; the meeting opens it to them.
    assert reads(lambda u: visible(u, FollowUp)) == READ_ALL
    assert reads(visible_followups) == READ_ALL | STAFF
    assert db.session.scalar(visible_followups(world["outsider"])
                             .where(FollowUp.id == followup.id)) is not None
