"""Negotiation rounds: log, read, edit and archive a round with its topics and next steps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import Action, reader_choices
from tracker.attachments import attachments_of
from tracker.extensions import db
from tracker.followups import followups_for
from tracker.models import Conversation, Organization, OrgKind, utcnow
from tracker.partners.services import NextStepRefused, save_round
from tracker.web.conversation_forms import EXTRA_ROWS, RoundForm
from tracker.web.kit import Reply, Submission, done, load, record_pages, require_can
from tracker.web.partners import bp
from tracker.web.shared_forms import UploadForm


def _partner(org_id: int) -> Organization:
    return load(Organization, org_id, kind=OrgKind.PARTNER.value)


def _round(round_id: int) -> Conversation:
    return load(Conversation, round_id, org_kind=OrgKind.PARTNER.value)


def _detail(conversation: Conversation) -> str:
    return url_for("partners.round_detail", round_id=conversation.id)


def _pad(form: RoundForm) -> None:
    """Blank rows to fill in, so a round can be logged without any script."""
    for _i in range(EXTRA_ROWS + (1 if not form.topics.entries else 0)):
        form.topics.append_entry()
    for _i in range(EXTRA_ROWS):
        form.next_steps.append_entry()


def _owners(record: Organization | Conversation) -> list[tuple[int, str]]:
    """Who a next step may be given to: the people who may read the round (a new one: its
    partner; the service refuses someone a confidential round leaves out)."""
    return reader_choices(record)


def _saved(post: Submission, save: Callable[[], Conversation]) -> bool:
    """``post.saved(save)``; a next step given to someone who may not read the round undoes
    the save and says so on that row's owner."""
    try:
        return post.saved(save)
    except NextStepRefused as refused:
        db.session.rollback()
        rows = [row for row in post.form.next_steps.entries
                if (row.form.title.data or "").strip()]
        rows[refused.position].form.owner_id.errors.append(str(refused))
        return False


def _page(post: Submission, org: Organization, conversation: Conversation | None
          ) -> tuple[str, int]:
    _pad(post.form)
    return render_template("partners/round_form.html", form=post.form, org=org,
                           conversation=conversation, conflict=post.conflict), post.status


@bp.route("/<int:org_id>/rounds/new", methods=["GET", "POST"])
def round_create(org_id: int) -> Reply:
    org = _partner(org_id)
    require_can(Action.EDIT, org)
    form = RoundForm(contacts=org.contacts, owners=_owners(org), default_owner=current_user.id)
    if request.method == "GET":
        now = utcnow().astimezone(get_timezone())
        form.occurred_at.data = datetime(now.year, now.month, now.day, now.hour, now.minute)
        form.our_people.data = [current_user.id]
    post = Submission(form)
    if _saved(post, lambda: save_round(org, form.to_input(), current_user)):
        return done(_("The round is logged."), _detail(post.value))
    return _page(post, org, None)


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
    require_can(Action.EDIT, conversation)
    form = RoundForm.for_editing(conversation, contacts=org.contacts,
                                 owners=_owners(conversation), default_owner=current_user.id)
    post = Submission(form)
    if _saved(post, lambda: save_round(org, form.to_input(), current_user, conversation,
                                     version=form.version.data)):
        return done(_("The round is saved."), _detail(conversation))
    return _page(post, org, conversation)


record_pages(
    bp, "round", "/rounds/<int:round_id>", _round, detail="partners.round_detail",
    archived=_l("The round is archived."), restored=_l("The round is restored."),
    after_archive=lambda conversation: url_for("partners.detail",
                                               org_id=conversation.organization_id))
