"""Negotiation rounds: log, read, edit and archive a round with its topics and next steps."""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import Action, can, get_visible_or_404
from tracker.attachments import attachments_of
from tracker.extensions import db
from tracker.followups import followups_for
from tracker.models import Conversation, Organization, OrgKind, utcnow
from tracker.partners.services import save_round
from tracker.record_views import archive_record, history_page, restore_record
from tracker.records import StaleRecord, shown_changes
from tracker.web.conversation_forms import EXTRA_ROWS, RoundForm
from tracker.web.partners import bp
from tracker.web.shared_forms import UploadForm

Reply = Response | str | tuple[str, int]


def _partner(org_id: int) -> Organization:
    return get_visible_or_404(current_user, Organization, org_id, kind=OrgKind.PARTNER.value)


def _round(round_id: int) -> Conversation:
    conversation = get_visible_or_404(current_user, Conversation, round_id)
    if conversation.organization.kind != OrgKind.PARTNER.value:
        abort(404)
    return conversation


def _pad(form: RoundForm) -> None:
    """Blank rows to fill in, so a round can be logged without any script."""
    for _i in range(EXTRA_ROWS + (1 if not form.topics.entries else 0)):
        form.topics.append_entry()
    for _i in range(EXTRA_ROWS):
        form.next_steps.append_entry()


def _page(form: RoundForm, org: Organization, conversation: Conversation | None,
          conflict: StaleRecord | None = None) -> tuple[str, int]:
    _pad(form)
    status = 409 if conflict else (422 if form.is_submitted() else 200)
    return render_template("partners/round_form.html", form=form, org=org,
                           conversation=conversation, conflict=conflict,
                           conflict_changes=shown_changes(conflict.events) if conflict else {}
                           ), status


@bp.route("/<int:org_id>/rounds/new", methods=["GET", "POST"])
def round_create(org_id: int) -> Reply:
    org = _partner(org_id)
    if not can(current_user, Action.EDIT, org):
        abort(403)
    form = RoundForm(contacts=org.contacts)
    if request.method == "GET":
        now = utcnow().astimezone(get_timezone())
        form.occurred_at.data = datetime(now.year, now.month, now.day, now.hour, now.minute)
        form.our_people.data = [current_user.id]
    if form.validate_on_submit():
        conversation = save_round(org, form.to_input(), current_user)
        db.session.commit()
        flash(_("The round is logged."), "success")
        return redirect(url_for("partners.round_detail", round_id=conversation.id))
    return _page(form, org, None)


@bp.route("/rounds/<int:round_id>")
def round_detail(round_id: int) -> str:
    conversation = _round(round_id)
    return render_template("partners/round_detail.html", conversation=conversation,
                           org=conversation.organization,
                           followups=followups_for(current_user, conversation),
                           attachments=attachments_of(conversation), upload_form=UploadForm())


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
def round_edit(round_id: int) -> Reply:
    conversation = _round(round_id)
    org = conversation.organization
    if not can(current_user, Action.EDIT, conversation):
        abort(403)
    if request.method == "GET":
        form = RoundForm(obj=conversation, contacts=org.contacts)
        form.version.data = conversation.version
        local = conversation.occurred_at.astimezone(get_timezone())
        form.occurred_at.data = local.replace(tzinfo=None, second=0, microsecond=0)
        form.our_people.data = [p.id for p in conversation.our_people]
        form.their_people.data = [c.id for c in conversation.their_people]
        form.next_steps.entries = []
    else:
        form = RoundForm(contacts=org.contacts)
    conflict = None
    if form.validate_on_submit():
        try:
            save_round(org, form.to_input(), current_user, conversation,
                       version=form.version.data)
        except StaleRecord as stale:
            conflict = stale
            form.version.data = conversation.version
        else:
            db.session.commit()
            flash(_("The round is saved."), "success")
            return redirect(url_for("partners.round_detail", round_id=conversation.id))
    return _page(form, org, conversation, conflict)


@bp.route("/rounds/<int:round_id>/archive", methods=["POST"])
def round_archive(round_id: int) -> Response:
    conversation = _round(round_id)
    return archive_record(
        conversation, done=_("The round is archived."),
        next_url=url_for("partners.detail", org_id=conversation.organization_id))


@bp.route("/rounds/<int:round_id>/restore", methods=["POST"])
def round_restore(round_id: int) -> Response:
    conversation = _round(round_id)
    return restore_record(conversation, done=_("The round is restored."),
                          next_url=url_for("partners.round_detail", round_id=conversation.id))


@bp.route("/rounds/<int:round_id>/history")
def round_history(round_id: int) -> str:
    conversation = _round(round_id)
    return history_page(conversation,
                        back=url_for("partners.round_detail", round_id=conversation.id))
