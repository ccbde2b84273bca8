"""Requirement confirmations: what a client asked for, who confirmed it, and its wordings."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import Action, Capability, has
from tracker.clients import queries
from tracker.clients.services import create_requirement, move_requirement, update_requirement
from tracker.clients.workflow import requirement_moves
from tracker.followups import followups_for, owner_choices
from tracker.models import Contact, OrgKind, Requirement, RequirementStatus, utcnow
from tracker.orgs.queries import contacts_of
from tracker.records import StaleRecord, ensure_current, history, shown_changes
from tracker.text import whole_number
from tracker.web.clients import bp
from tracker.web.clients.forms import (
    RequirementForm,
    RequirementMoveForm,
    pad_next_steps,
)
from tracker.web.clients.notes import client_of
from tracker.web.conversation_forms import local_input
from tracker.web.forms import bound_form
from tracker.web.kit import Reply, Submission, done, load, record_pages, require_can
from tracker.workflow import MoveRefused


def _requirement(req_id: int) -> Requirement:
    return load(Requirement, req_id, org_kind=OrgKind.CLIENT.value)


def _detail(requirement: Requirement) -> str:
    return url_for("clients.requirement_detail", req_id=requirement.id)


def _contacts(requirement: Requirement) -> list[Contact]:
    """The client's current contacts, plus archived ones the requirement already names."""
    current = contacts_of(current_user, requirement.organization)
    named = [c for c in (requirement.asked_by, requirement.confirmed_by) if c is not None]
    return current + [c for c in dict.fromkeys(named) if c not in current]


def _status_label(requirement: Requirement) -> str:
    return RequirementStatus(requirement.status).label


def _form_page(post: Submission, requirement: Requirement | None, org: object
               ) -> tuple[str, int]:
    pad_next_steps(post.form)
    return render_template("clients/requirement_form.html", form=post.form, org=org,
                           requirement=requirement, conflict=post.conflict), post.status


def _detail_page(requirement: Requirement, move_form: RequirementMoveForm | None = None,
                 conflict: StaleRecord | None = None) -> tuple[str, int]:
    moves = requirement_moves(requirement)
    status = 200
    if move_form is None:
        move_form = RequirementMoveForm(requirement=requirement, contacts=_contacts(requirement))
        move_form.version.data = requirement.version
        move_form.confirmed_at.data = local_input(utcnow())
        # Most often the person who asked is the one who confirms: offered, still changeable.
        confirmer = requirement.confirmed_by_id or requirement.asked_by_id
        if confirmer:
            move_form.confirmed_by_id.data = confirmer
    else:
        status = 409 if conflict else 422
    audit = has(current_user, Capability.READ_AUDIT)
    events = history("requirements", requirement.id) if audit else []
    return render_template(
        "clients/requirement_detail.html", requirement=requirement,
        org=requirement.organization, status_label=_status_label(requirement),
        moves=moves, move_form=move_form, conflict=conflict,
        followups=followups_for(current_user, requirement),
        earlier=queries.earlier_wordings(requirement),
        notes=queries.notes_mentioning(current_user, requirement),
        events=events, changes=shown_changes(events)), status


def _stale(requirement: Requirement, form: RequirementMoveForm) -> StaleRecord | None:
    """What changed since the page a move was posted from, if it was an older one."""
    if whole_number(form.version.data) in (None, requirement.version):
        return None
    try:
        ensure_current(requirement, form.version.data)
    except StaleRecord as stale:
        return stale
    return None


@bp.route("/<int:org_id>/requirements/new", methods=["GET", "POST"])
def requirement_create(org_id: int) -> Reply:
    org = client_of(org_id)
    require_can(Action.EDIT, org)
    # A next step goes only to someone who may read the requirement (its client's
    # readers); the writer by default.
    form = RequirementForm(contacts=contacts_of(current_user, org),
                           step_owners=owner_choices(org), default_step_owner=current_user.id)
    if request.method == "GET":
        form.owner_id.data = current_user.id
    post = Submission(form)
    if post.saved(lambda: create_requirement(org, form.to_input())):
        return done(_("The requirement is saved as proposed."), _detail(post.value))
    return _form_page(post, None, org)


@bp.route("/requirements/<int:req_id>")
def requirement_detail(req_id: int) -> Reply:
    return _detail_page(_requirement(req_id))


@bp.route("/requirements/<int:req_id>/edit", methods=["GET", "POST"])
def requirement_edit(req_id: int) -> Reply:
    requirement = _requirement(req_id)
    require_can(Action.EDIT, requirement)
    form = bound_form(RequirementForm, requirement, contacts=_contacts(requirement),
                      step_owners=owner_choices(requirement),
                      default_step_owner=current_user.id)
    post = Submission(form)
    if post.saved(lambda: update_requirement(requirement, form.to_input(),
                                             version=form.version.data)):
        if post.value:  # reworded
            return done(_("The wording changed, so the requirement needs confirming again. "
                          "The earlier wording is kept."), _detail(requirement), "warning")
        return done(_("The requirement is saved."), _detail(requirement))
    return _form_page(post, requirement, requirement.organization)


@bp.route("/requirements/<int:req_id>/move", methods=["POST"])
def requirement_move(req_id: int) -> Reply:
    requirement = _requirement(req_id)
    require_can(Action.EDIT, requirement)
    form = RequirementMoveForm(requirement=requirement, contacts=_contacts(requirement))
    stale = _stale(requirement, form)
    if stale is not None:  # posted from an older page: show what changed before anything else
        form.version.data = requirement.version
        return _detail_page(requirement, form, stale)
    if form.validate_on_submit():
        try:
            move_requirement(requirement, form.status.data, reason=form.reason.data or "",
                             confirmed_by_id=form.confirmed_by_id.data,
                             confirmed_at=form.confirmed_utc(), version=form.version.data)
        except StaleRecord as raced:  # changed between the check above and this save
            form.version.data = requirement.version
            return _detail_page(requirement, form, raced)
        except MoveRefused as refused:
            form.status.errors = [*form.status.errors, str(refused)]
        else:
            return done(_("The requirement is now %(status)s.",
                          status=_status_label(requirement)), _detail(requirement))
    return _detail_page(requirement, form)


record_pages(
    bp, "requirement", "/requirements/<int:req_id>", _requirement,
    detail="clients.requirement_detail",
    archived=_l("The requirement is archived."), restored=_l("The requirement is restored."),
    after_archive=lambda requirement: url_for("clients.detail",
                                              org_id=requirement.organization_id))
