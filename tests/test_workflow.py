"""The one workflow helper (tracker/workflow.py), the workflows declared with it, and scans
that keep the rules declared once: no "paused" test on a literal state, no second
MoveRefused, no template condition on a workflow's status strings."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tracker.clients.complaints import services as complaints
from tracker.clients.complaints.workflow import COMPLAINTS, REOPENING
from tracker.clients.services import move_requirement
from tracker.clients.workflow import REQUIREMENTS
from tracker.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Complaint,
    ComplaintStatus,
    Organization,
    PartnerStage,
    Problem,
    ProblemStatus,
    RequestStatus,
    Requirement,
    RequirementStatus,
    ResourceRequest,
)
from tracker.models.complaint import ENDED_SQL, OPEN_SQL
from tracker.partners.services import move_stage, move_status
from tracker.partners.workflow import AGREEMENTS, STAGES
from tracker.teams.reports import services as reports
from tracker.teams.reports.workflow import DECISIONS, PROBLEMS, REQUESTS
from tracker.workflow import (
    Guard,
    MoveRefused,
    Workflow,
    ordered,
    state_in,
    state_in_sql,
    state_not_in,
    trait,
    traits,
)

ROOT = Path(__file__).resolve().parent.parent


# -- the helper ------------------------------------------------------------------------------

class Light(StrEnum):
    RED = "red"
    GREEN = "green"
    AMBER = "amber"
    OFF = "off"

    is_stop = trait(RED, AMBER)
    is_dark = trait(OFF)

    @property
    def label(self) -> str:
        return self.value.title()


def _clear(light: Any, *, clear: bool = False, **_context: Any) -> str | None:
    return None if clear else "The junction is not clear."


def _not_from_off(light: Any, **_context: Any) -> str | None:
    return "Switch it on first."


L = Light
LIGHTS = Workflow(
    Light,
    {L.RED: {L.GREEN, L.OFF}, L.GREEN: {L.AMBER, L.OFF}, L.AMBER: {L.RED, L.OFF}, L.OFF: {L.RED}},
    refused=lambda current, wanted, allowed: f"{current} cannot become {wanted}; only {allowed}.",
    already=lambda current: f"It is {current} already.",
    guards=(Guard(frozenset({L.GREEN}), _clear, field="clear"),),
)


def _light(state: str) -> SimpleNamespace:
    return SimpleNamespace(status=state)


def test_an_allowed_move_gives_the_target_state():
    assert LIGHTS.check_move(_light("red"), "green", clear=True) is L.GREEN
    assert LIGHTS.check_move(_light("green"), "amber") is L.AMBER
    assert LIGHTS.allows("red", "green") and not LIGHTS.allows("red", "amber")
    assert LIGHTS.moves_from("red") == [L.GREEN, L.OFF]  # in the enum's order


def test_a_refused_move_says_why_and_what_is_possible():
    with pytest.raises(MoveRefused) as refused:
        LIGHTS.check_move(_light("red"), "amber")
    assert str(refused.value) == "Red cannot become Amber; only Green and Off."
    assert refused.value.reason == str(refused.value)
    assert refused.value.field == "status"
    assert isinstance(refused.value, ValueError)  # callers of the old classes caught that


def test_a_move_to_the_same_state_and_an_unknown_state_are_refused():
    for target, reason in (("red", "It is Red already."),
                           ("blue", "There is no status “blue”."),
                           (None, "There is no status “”.")):
        with pytest.raises(MoveRefused) as refused:
            LIGHTS.check_move(_light("red"), target)
        assert str(refused.value) == reason


def test_the_reason_is_in_the_users_language():
    with force_locale("zh"), pytest.raises(MoveRefused) as refused:
        LIGHTS.check_move(_light("red"), "purple")
    assert str(refused.value) != "There is no status “purple”."
    assert "purple" in str(refused.value)


def test_a_guard_refuses_on_its_own_field_with_its_reason():
    with pytest.raises(MoveRefused) as refused:
        LIGHTS.check_move(_light("red"), "green")
    assert (str(refused.value), refused.value.field) == ("The junction is not clear.", "clear")


def test_a_guard_with_sources_checks_only_moves_out_of_them():
    guarded = Workflow(Light, LIGHTS.moves, refused=LIGHTS.refused,
                       guards=(Guard(frozenset({L.RED}), _not_from_off,
                                     sources=frozenset({L.OFF})),))
    assert guarded.check_move(_light("amber"), "red") is L.RED
    with pytest.raises(MoveRefused) as refused:
        guarded.check_move(_light("off"), "red")
    assert str(refused.value) == "Switch it on first."
    assert REOPENING.applies("closed", "investigating")
    assert not REOPENING.applies("waiting_on_client", "investigating")


def test_a_final_state_can_become_nothing():
    final = Workflow(Light, {L.RED: {L.OFF}, L.GREEN: set(), L.AMBER: set(), L.OFF: set()},
                     refused=LIGHTS.refused)
    assert final.is_final("off") and not final.is_final("red")
    with pytest.raises(MoveRefused) as refused:
        final.check_move(_light("off"), "red")
    assert str(refused.value) == "Off cannot become Red; only nothing."


def test_a_declaration_names_every_state_and_says_why_it_refuses():
    with pytest.raises(ValueError, match="OFF"):
        Workflow(Light, {L.RED: {L.GREEN}, L.GREEN: set(), L.AMBER: set()},
                 refused=LIGHTS.refused)
    with pytest.raises(ValueError, match="says why"):
        Workflow(Light, LIGHTS.moves, refused=None)
    anything = Workflow(Light, {s: set(Light) for s in Light}, refused=None)
    assert anything.check_move(_light("off"), "off") is L.OFF


def test_a_trait_is_a_bool_on_a_state_and_the_states_on_the_enum():
    assert L.RED.is_stop and L.AMBER.is_stop and not L.GREEN.is_stop
    assert Light.is_stop == frozenset({L.RED, L.AMBER})
    assert "red" in Light.is_stop and "blue" not in Light.is_stop  # stored values ask too
    assert traits(Light) == {"is_stop": Light.is_stop, "is_dark": frozenset({L.OFF})}
    assert ordered({L.OFF, L.RED}) == [L.RED, L.OFF]


def test_state_filters_in_sql():
    column = sa.column("status")

    def sql(clause: sa.ColumnElement) -> str:
        return str(clause.compile(compile_kwargs={"literal_binds": True}))

    assert sql(state_in(column, Light.is_dark)) == "status = 'off'"
    assert sql(state_not_in(column, Light.is_dark)) == "status != 'off'"
    assert sql(state_in(column, Light.is_stop)) == "status IN ('red', 'amber')"
    assert sql(state_not_in(column, Light.is_stop)) == "(status NOT IN ('red', 'amber'))"
    assert state_in_sql("status", Light.is_stop) == "status IN ('amber', 'red')"
    # The complaint queue's partial indexes: the very text the migrations wrote.
    assert OPEN_SQL == "status IN ('acknowledged', 'investigating', 'new', 'waiting_on_client')"
    assert ENDED_SQL == "status IN ('closed', 'rejected', 'resolved')"


# -- every workflow: what it declares is what its services do ---------------------------

NOW = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)
NOBODY = SimpleNamespace(id=None)


def _agreement(state: str, target: str) -> None:
    agreement = Agreement(status=state, signed_version_id=1)
    agreement.versions = [AgreementVersion(number=1)]
    move_status(agreement, target, "because")


def _complaint(state: str, target: str) -> None:
    complaint = Complaint(status=state, received_at=NOW, severity="medium", ack_minutes=60,
                          resolve_minutes=600, business_hours=False, reopen_count=0)
    complaints.move(complaint, target, NOBODY, reason="Unfounded", summary="Fixed", now=NOW)


def _requirement(state: str, target: str) -> None:
    move_requirement(Requirement(status=state, version=1), target, reason="Why", version=1)


def _problem(state: str, target: str) -> None:
    reports.move_problem(Problem(status=state), target, "Fixed")


def _request(state: str, target: str) -> None:
    request = ResourceRequest(status=state, amount=Decimal("10"), version=1)
    if target == RequestStatus.FULFILLED:
        reports.fulfil_request(request)
    elif target in RequestStatus.is_decision:
        reports.decide_request(request, target, Decimal("5"), "Why", version=1)
    else:
        raise MoveRefused("no service moves a request there")


def _stage(state: str, target: str) -> None:
    move_stage(Organization(kind="partner", name="Acme", stage=state), target, "Why")


SERVICES: dict[str, tuple[Workflow, Callable[[str, str], None]]] = {
    "agreements": (AGREEMENTS, _agreement),
    "complaints": (COMPLAINTS, _complaint),
    "requirements": (REQUIREMENTS, _requirement),
    "problems": (PROBLEMS, _problem),
    "requests": (REQUESTS, _request),
    "stages": (STAGES, _stage),
}


@pytest.mark.parametrize("name", SERVICES)
def test_the_declared_moves_are_what_the_services_allow(name):
    workflow, service = SERVICES[name]
    differ = []
    for current in workflow.states:
        for target in workflow.states:
            try:
                service(current.value, target.value)
            except MoveRefused:
                done = False
            else:
                done = True
            if done != workflow.allows(current, target):
                differ.append((current.value, target.value, done))
    assert differ == []


def test_the_declared_properties_agree_with_the_moves():
    A, C, Q, R = AgreementStatus, ComplaintStatus, RequestStatus, RequirementStatus
    assert A.awaits_signature == {s for s in A if AGREEMENTS.allows(s, A.SIGNED)}
    assert A.accepts_new_terms >= A.needs_terms >= A.is_negotiating
    assert A.is_binding <= A.is_open
    assert Q.is_decision == REQUESTS.moves[Q.REQUESTED] and tuple(
        ordered(Q.is_decision)) == DECISIONS
    assert Q.awaits_decision == {s for s in Q if REQUESTS.moves[s] & Q.is_decision}
    assert Q.is_granted == {s for s in Q if REQUESTS.allows(s, Q.FULFILLED)}
    assert ProblemStatus.is_solved == {s for s in ProblemStatus if PROBLEMS.moves[s] == {
        ProblemStatus.OPEN}}
    assert set(R) - R.is_open == {s for s in R if REQUIREMENTS.is_final(s)} == R.needs_reason
    assert R.changes_when_reworded == {s for s in R if REQUIREMENTS.allows(s, R.CHANGED)}
    assert C.is_paused <= C.is_open and C.is_resolved.isdisjoint(C.is_open)
    assert REOPENING.sources == set(C) - C.is_open  # reopening: out of an ended complaint
    assert PartnerStage.is_ended == {PartnerStage.ENDED}


def test_every_declared_property_names_states_of_its_enum():
    for states in (AgreementStatus, ComplaintStatus, RequirementStatus, ProblemStatus,
                   RequestStatus, PartnerStage):
        declared = traits(states)
        assert declared, states
        for name, members in declared.items():
            assert members and members <= set(states), (states.__name__, name)


# -- scans: the rules stay declared once ----------------------------------------------------

def _python_sources() -> list[Path]:
    return sorted((ROOT / "tracker").rglob("*.py"))


def _names_waiting(node: ast.AST) -> bool:
    return any((isinstance(n, ast.Attribute) and n.attr == "WAITING")
               or (isinstance(n, ast.Constant) and n.value == ComplaintStatus.WAITING.value)
               for n in ast.walk(node))


def test_paused_is_never_a_comparison_with_the_waiting_state():
    """"Paused" is ``is_paused`` (declared on ComplaintStatus); no code compares a status
    with WAITING (or its value), whatever the enum is called there, in SQL or in Python."""
    found = []
    for path in _python_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            compared = (isinstance(node, ast.Compare)
                        or (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                            and node.func.attr in {"in_", "not_in", "is_", "is_not"}))
            if compared and _names_waiting(node):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_there_is_one_move_refused():
    found = []
    for path in _python_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
                  if isinstance(node, ast.ClassDef) and node.name == "MoveRefused"]
    assert [where.split(":")[0] for where in found] == ["tracker/workflow.py"]


# A follow-up's open/done is not one of the workflows declared here.
TEMPLATE_EXEMPT = ("followups/",)
CONDITION = re.compile(r"{%-?\s*(?:el)?if\b(.*?)-?%}", re.S)
STATUS_TEST = re.compile(r"\.(?:status|stage)\s*(?:==|!=|\bin\b|\bnot in\b)")


def test_templates_ask_the_declared_properties_not_status_strings():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        name = path.relative_to(ROOT / "templates").as_posix()
        if name.startswith(TEMPLATE_EXEMPT):
            continue
        for condition in CONDITION.findall(path.read_text(encoding="utf-8")):
            if STATUS_TEST.search(condition):
                found.append(f"{name}: {condition.strip()}")
    assert found == []


# Enums that are not stored codes of a model: the access vocabulary, a computed state.
NOT_STORED = {"tracker/access/vocabulary.py": {"Area", "Capability", "Action"},
              "tracker/teams/goals/progress.py": {"GoalState"}}


def test_stored_codes_are_declared_with_their_models():
    """A status, kind or urgency a column stores is declared in tracker/models (with its
    labels and traits), never in a services or workflow module."""
    strays = []
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("tracker/models/"):
            continue
        for match in re.finditer(r"^class (\w+)\((?:Str)?Enum\)", path.read_text(), re.M):
            if match.group(1) not in NOT_STORED.get(rel, set()):
                strays.append(f"{rel}: {match.group(1)}")
    assert not strays, strays
