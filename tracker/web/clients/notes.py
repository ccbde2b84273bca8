"""Progress notes on a client: log, read, edit, archive; next steps become follow-ups."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import Action, can, get_visible_or_404
from tracker.attachments import attachments_of
from tracker.clients.services import Visibility, save_note
from tracker.extensions import db
from tracker.followups import followups_for
from tracker.models import Contact, Conversation, ConversationKind, Organization, OrgKind, utcnow
from tracker.orgs.queries import contacts_of
from tracker.record_views import archive_record, history_page, restore_record
from tracker.records import StaleRecord, shown_changes
from tracker.web.clients import bp
from tracker.web.clients.forms import NoteForm, local_input, pad_next_steps
from tracker.web.orgs.views import Reply
from tracker.web.shared_forms import UploadForm


def client_of(org_id: int) -> Organization:
    return get_visible_or_404(current_user, Organization, org_id, kind=OrgKind.CLIENT.value)


def _note(note_id: int) -> Conversation:
    note = get_visible_or_404(current_user, Conversation, note_id)
    if note.organization.kind != OrgKind.CLIENT.value:
        abort(404)
    return note


def _require(action: Action, record: object) -> None:
    if not can(current_user, action, record):
        abort(403)


def _contacts(org: Organization, linked: list[Contact] = ()) -> list[Contact]:
    """The client's current contacts, plus archived ones the note already names."""
    current = contacts_of(current_user, org)
    return current + [c for c in linked if c not in current]


def _page(form: NoteForm, org: Organization, note: Conversation | None,
          conflict: StaleRecord | None = None) -> tuple[str, int]:
    pad_next_steps(form)
    status = 409 if conflict else (422 if form.is_submitted() else 200)
    return render_template("clients/note_form.html", form=form, org=org, note=note,
                           conflict=conflict,
                           conflict_changes=shown_changes(conflict.events) if conflict else {}
                           ), status


@bp.route("/<int:org_id>/notes/new", methods=["GET", "POST"])
def note_create(org_id: int) -> Reply:
    org = client_of(org_id)
    _require(Action.EDIT, org)
    form = NoteForm(contacts=_contacts(org))
    if request.method == "GET":
        form.kind.data = ConversationKind.UPDATE.value
        form.occurred_at.data = local_input(utcnow())
        form.our_people.data = [current_user.id]
        form.visibility.data = Visibility.INTERNAL.value
    if form.validate_on_submit():
        note = save_note(org, form.to_input(), current_user)
        db.session.commit()
        flash(_("The note is saved."), "success")
        return redirect(url_for("clients.note_detail", note_id=note.id))
    return _page(form, org, None)


@bp.route("/notes/<int:note_id>")
def note_detail(note_id: int) -> str:
    note = _note(note_id)
    return render_template("clients/note_detail.html", note=note, org=note.organization,
                           followups=followups_for(current_user, note),
                           attachments=attachments_of(note), upload_form=UploadForm())


@bp.route("/notes/<int:note_id>/edit", methods=["GET", "POST"])
def note_edit(note_id: int) -> Reply:
    note = _note(note_id)
    org = note.organization
    _require(Action.EDIT, note)
    contacts = _contacts(org, note.their_people)
    if request.method == "GET":
        form = NoteForm(obj=note, contacts=contacts)
        form.version.data = note.version
        form.occurred_at.data = local_input(note.occurred_at)
        form.our_people.data = [p.id for p in note.our_people]
        form.their_people.data = [c.id for c in note.their_people]
        form.next_steps.entries = []
    else:
        form = NoteForm(contacts=contacts)
    conflict = None
    if form.validate_on_submit():
        try:
            save_note(org, form.to_input(), current_user, note, version=form.version.data)
        except StaleRecord as stale:
            conflict = stale
            form.version.data = note.version
        else:
            db.session.commit()
            flash(_("The note is saved."), "success")
            return redirect(url_for("clients.note_detail", note_id=note.id))
    return _page(form, org, note, conflict)


@bp.route("/notes/<int:note_id>/archive", methods=["POST"])
def note_archive(note_id: int) -> Response:
    note = _note(note_id)
    return archive_record(note, done=_("The note is archived."),
                          next_url=url_for("clients.detail", org_id=note.organization_id))


@bp.route("/notes/<int:note_id>/restore", methods=["POST"])
def note_restore(note_id: int) -> Response:
    note = _note(note_id)
    return restore_record(note, done=_("The note is restored."),
                          next_url=url_for("clients.note_detail", note_id=note.id))


@bp.route("/notes/<int:note_id>/history")
def note_history(note_id: int) -> str:
    note = _note(note_id)
    return history_page(note, back=url_for("clients.note_detail", note_id=note.id))
