"""Progress notes on a client: log, read, edit, archive; next steps become follow-ups."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import Action, reader_choices
from tracker.attachments import attachments_of
from tracker.clients.services import save_note
from tracker.followups import followups_for
from tracker.models import (
    Contact,
    Conversation,
    ConversationKind,
    Organization,
    OrgKind,
    Visibility,
    utcnow,
)
from tracker.orgs.queries import contacts_of
from tracker.web.clients import bp
from tracker.web.clients.forms import NoteForm, pad_next_steps
from tracker.web.conversation_forms import local_input
from tracker.web.kit import Reply, Submission, done, load, record_pages, require_can
from tracker.web.shared_forms import UploadForm


def client_of(org_id: int) -> Organization:
    return load(Organization, org_id, kind=OrgKind.CLIENT.value)


def _note(note_id: int) -> Conversation:
    return load(Conversation, note_id, org_kind=OrgKind.CLIENT.value)


def _detail(note: Conversation) -> str:
    return url_for("clients.note_detail", note_id=note.id)


def _contacts(org: Organization, linked: list[Contact] = ()) -> list[Contact]:
    """The client's current contacts, plus archived ones the note already names."""
    current = contacts_of(current_user, org)
    return current + [c for c in linked if c not in current]


def _page(post: Submission, org: Organization, note: Conversation | None
          ) -> tuple[str, int]:
    pad_next_steps(post.form)
    return render_template("clients/note_form.html", form=post.form, org=org, note=note,
                           conflict=post.conflict), post.status


def _owners(record: object) -> list[tuple[int, str]]:
    """The people a next step may be given to: those who may read ``record``."""
    return reader_choices(record)


def _quick_start(form: NoteForm, org: Organization) -> None:
    """The client page's "Log a call" and "Log a visit" (``?kind=call``): the kind and a
    title filled in, so a call is logged from a phone in a few taps."""
    kind = request.args.get("kind")
    if kind == ConversationKind.CALL.value:
        form.kind.data, form.title.data = kind, _("Call with %(name)s", name=org.name)
    elif kind == ConversationKind.VISIT.value:
        form.kind.data, form.title.data = kind, _("Visit to %(name)s", name=org.name)


@bp.route("/<int:org_id>/notes/new", methods=["GET", "POST"])
def note_create(org_id: int) -> Reply:
    org = client_of(org_id)
    require_can(Action.EDIT, org)
    # A next step goes only to someone who may read the client (never a record they
    # cannot see); the writer by default.
    form = NoteForm(contacts=_contacts(org), owners=_owners(org),
                    default_owner=current_user.id)
    if request.method == "GET":
        form.kind.data = ConversationKind.UPDATE.value
        _quick_start(form, org)
        form.occurred_at.data = local_input(utcnow())
        form.our_people.data = [current_user.id]
        form.visibility.data = Visibility.INTERNAL.value
    post = Submission(form)
    if post.saved(lambda: save_note(org, form.to_input(), current_user)):
        return done(_("The note is saved."), _detail(post.value))
    return _page(post, org, None)


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
    require_can(Action.EDIT, note)
    form = NoteForm.for_editing(note, contacts=_contacts(org, note.their_people),
                                owners=_owners(note), default_owner=current_user.id)
    post = Submission(form)
    if post.saved(lambda: save_note(org, form.to_input(), current_user, note,
                                    version=form.version.data)):
        return done(_("The note is saved."), _detail(note))
    return _page(post, org, note)


record_pages(
    bp, "note", "/notes/<int:note_id>", _note, detail="clients.note_detail",
    archived=_l("The note is archived."), restored=_l("The note is restored."),
    after_archive=lambda note: url_for("clients.detail", org_id=note.organization_id))
