"""Organization and contact routes, mounted by the partners and clients blueprints."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from tracker.access import Action, Area, Capability, can, explain, get_visible_or_404, has
from tracker.exports import csv_response
from tracker.extensions import db
from tracker.forms import bound_form
from tracker.models import Contact, Organization, OrgStatus, User
from tracker.orgs import queries
from tracker.orgs.facts import row_facts
from tracker.orgs.services import (
    create_organization,
    open_records,
    save_contact,
    update_organization,
)
from tracker.record_views import archive_record, require_audit, restore_record
from tracker.records import StaleRecord, history, shown_changes
from tracker.text import whole_number
from tracker.web.orgs.forms import ContactForm, OrganizationForm

Reply = Response | str | tuple[str, int]


class OrgViews:
    """The organization pages of one kind (partner or client), bound to its blueprint."""

    def __init__(self, bp: Blueprint, kind: str, area: Area, labels: dict[str, Any]) -> None:
        self.bp, self.kind, self.area, self.labels = bp, kind, area, labels
        rules = [
            ("/", "index", self.index, ["GET"]),
            ("/export.csv", "export", self.export, ["GET"]),
            ("/new", "create", self.create, ["GET", "POST"]),
            ("/<int:org_id>", "detail", self.detail, ["GET"]),
            ("/<int:org_id>/edit", "edit", self.edit, ["GET", "POST"]),
            ("/<int:org_id>/archive", "archive", self.archive, ["POST"]),
            ("/<int:org_id>/restore", "restore", self.restore, ["POST"]),
            ("/<int:org_id>/history", "history", self.history, ["GET"]),
            ("/<int:org_id>/access", "access", self.access, ["GET"]),
            ("/<int:org_id>/contacts/new", "contact_create", self.contact_create,
             ["GET", "POST"]),
            ("/contacts/<int:contact_id>/edit", "contact_edit", self.contact_edit,
             ["GET", "POST"]),
            ("/contacts/<int:contact_id>/archive", "contact_archive", self.contact_archive,
             ["POST"]),
            ("/contacts/<int:contact_id>/restore", "contact_restore", self.contact_restore,
             ["POST"]),
        ]
        for rule, endpoint, view, methods in rules:
            bp.add_url_rule(rule, endpoint, view, methods=methods)

    # -- helpers -------------------------------------------------------------------------
    def _ctx(self, **extra: Any) -> dict[str, Any]:
        return {"kind": self.kind, "area": self.area, "labels": self.labels,
                "ep": self.bp.name, **extra}

    def _load(self, org_id: int) -> Organization:
        return get_visible_or_404(current_user, Organization, org_id, kind=self.kind)

    def _load_contact(self, contact_id: int) -> Contact:
        contact = get_visible_or_404(current_user, Contact, contact_id)
        if contact.organization.kind != self.kind:
            abort(404)
        return contact

    @staticmethod
    def _require(action: Action, record: Any) -> None:
        if not can(current_user, action, record):
            abort(403)

    def _url(self, endpoint: str, **values: Any) -> str:
        return url_for(f"{self.bp.name}.{endpoint}", **values)

    # -- lists ---------------------------------------------------------------------------
    def index(self) -> Reply:
        return self._list("orgs/list.html", queries.SORTS)

    def _list(self, template: str, sorts: dict[str, Any], dates: bool = False,
              **extra: Any) -> Reply:
        """A keyset page of organizations of this kind. An old ``?page=N`` link is read as
        page 1: page numbers no longer mean anything once pages are cursors."""
        filters = queries.OrgFilters.from_args(request.args, current_user, sorts)
        stmt = self.list_select(filters)
        orders = self.orders
        sort = filters.sort
        if f"{sort}!" in orders and has(current_user, Capability.SEE_CONFIDENTIAL):
            sort += "!"  # sorted by the rollups that count confidential records too
        page = queries.organization_page(
            stmt, orders.get(sort, orders[queries.DEFAULT_SORT]),
            per_page=current_app.config["PAGE_SIZE"], after=request.args.get("after"),
            before=request.args.get("before"))
        options = queries.filter_options(self.kind)
        return render_template(
            template, page=page, filters=filters, sorts=sorts,
            facts=row_facts(current_user, [o.id for o in page.items], dates=dates),
            tags=[name for _id, name in options["tag"]], owners=options["owner"],
            teams=options["team"], status_choices=[(s.value, s.label) for s in OrgStatus],
            **extra, **self._ctx())

    orders = queries.ORDERS

    def list_select(self, filters: queries.OrgFilters) -> sa.Select:
        return queries.organization_list(current_user, self.kind, filters)

    def export(self) -> Response:
        if not has(current_user, Capability.EXPORT):
            abort(403)
        filters = queries.OrgFilters.from_args(request.args, current_user)
        # Every visible row, read in batches of 500 (the tags and contacts of a batch in one
        # query each), so an export never holds all the organizations at once.
        stmt = (queries.organization_list(current_user, self.kind, filters)
                .order_by(Organization.name, Organization.id)
                .options(selectinload(Organization.contacts), selectinload(Organization.tags),
                         joinedload(Organization.owner), joinedload(Organization.team))
                .execution_options(yield_per=500))
        rows = db.session.scalars(stmt)
        header = [_("Name"), _("Status"), _("Industry"), _("Owner"), _("Team"), _("Tags"),
                  _("Website"), _("Contacts"), _("Changed")]
        body = ([o.name, o.status_label, o.industry, str(o.owner or ""), str(o.team or ""),
                 ", ".join(t.name for t in o.tags), o.website,
                 len([c for c in o.contacts if c.archived_at is None]),
                 o.updated_at.isoformat()] for o in rows)
        return csv_response(f"{self.bp.name}.csv", header, body)

    # -- one organization ----------------------------------------------------------------
    def detail(self, org_id: int) -> Reply:
        org = self._load(org_id)
        contacts = queries.contacts_of(current_user, org, include_archived=can(
            current_user, Action.RESTORE, org) or False)
        return render_template("orgs/detail.html", org=org, contacts=contacts, **self._ctx())

    def create(self) -> Reply:
        self._require(Action.CREATE, self.area)
        form = OrganizationForm(kind=self.kind)
        if request.method == "GET":
            form.owner_id.data = current_user.id
            teams = sorted(current_user.team_ids)
            form.team_id.data = teams[0] if teams else None
        if form.validate_on_submit():
            org = create_organization(self.kind, form.to_input())
            if not can(current_user, Action.EDIT, org):
                db.session.rollback()
                form.owner_id.errors.append(_("You may only add records that you own or that "
                                              "belong to your team."))
            else:
                db.session.commit()
                flash(_("%(name)s is saved.", name=org.name), "success")
                return redirect(self._url("detail", org_id=org.id))
        return self._form_page(form, None)

    def edit(self, org_id: int) -> Reply:
        org = self._load(org_id)
        self._require(Action.EDIT, org)
        form = bound_form(OrganizationForm, org, kind=self.kind)
        if request.method == "GET":
            form.tags.data = ", ".join(t.name for t in org.tags)
        conflict = None
        if form.validate_on_submit():
            try:
                update_organization(org, form.to_input(), version=form.version.data)
            except StaleRecord as stale:
                conflict = stale
                form.version.data = org.version
            else:
                if not can(current_user, Action.EDIT, org):
                    db.session.rollback()
                    form.owner_id.errors.append(_("After this change you could no longer edit "
                                                  "the record: keep yourself or your team."))
                else:
                    db.session.commit()
                    flash(_("%(name)s is saved.", name=org.name), "success")
                    return redirect(self._url("detail", org_id=org.id))
        return self._form_page(form, org, conflict)

    def _form_page(self, form: OrganizationForm, org: Organization | None,
                   conflict: StaleRecord | None = None) -> Reply:
        status = 409 if conflict else (422 if form.is_submitted() else 200)
        changes = shown_changes(conflict.events) if conflict else {}
        # What a change of team takes along, said before it is made.
        moving = tuple(len(r) for r in open_records(org)) if org is not None else (0, 0)
        return render_template("orgs/form.html", form=form, org=org, conflict=conflict,
                               conflict_changes=changes, moving=moving,
                               **self._ctx()), status

    def archive(self, org_id: int) -> Response:
        org = self._load(org_id)
        return archive_record(
            org, done=_("%(name)s is archived. An administrator can restore it.", name=org.name),
            next_url=self._url("index"))

    def restore(self, org_id: int) -> Response:
        org = self._load(org_id)
        return restore_record(org, done=_("%(name)s is restored.", name=org.name),
                              next_url=self._url("detail", org_id=org.id))

    def history(self, org_id: int) -> Reply:
        org = self._load(org_id)
        require_audit()
        events = history("organizations", org.id)
        contact_ids = [c.id for c in org.contacts]
        events += history("contacts", contact_ids)
        events.sort(key=lambda e: e.id, reverse=True)
        return render_template("orgs/history.html", org=org, events=events,
                               changes=shown_changes(events), **self._ctx())

    def access(self, org_id: int) -> Reply:
        org = self._load(org_id)
        if not has(current_user, Capability.MANAGE_USERS):
            abort(403)
        users = db.session.scalars(sa.select(User).where(User.archived_at.is_(None))
                                   .order_by(User.name)).all()
        who_id = whole_number(request.args.get("user"))
        who = db.session.get(User, who_id) if who_id else None
        answers = None
        if who is not None:
            answers = {action: (can(who, action, org), explain(who, action, org))
                       for action in (Action.READ, Action.EDIT, Action.ARCHIVE)}
        return render_template("orgs/access.html", org=org, users=users, who=who,
                               answers=answers, **self._ctx())

    # -- contacts ------------------------------------------------------------------------
    def contact_create(self, org_id: int) -> Reply:
        org = self._load(org_id)
        self._require(Action.EDIT, org)
        form = ContactForm()
        if form.validate_on_submit():
            contact = save_contact(org, form.to_input())
            db.session.commit()
            flash(_("%(name)s is saved.", name=contact.name), "success")
            return redirect(self._url("detail", org_id=org.id))
        return self._contact_page(form, org, None)

    def contact_edit(self, contact_id: int) -> Reply:
        contact = self._load_contact(contact_id)
        self._require(Action.EDIT, contact)
        form = bound_form(ContactForm, contact)
        conflict = None
        if form.validate_on_submit():
            try:
                save_contact(contact.organization, form.to_input(), contact,
                             version=form.version.data)
            except StaleRecord as stale:
                conflict = stale
                form.version.data = contact.version
            else:
                db.session.commit()
                flash(_("%(name)s is saved.", name=contact.name), "success")
                return redirect(self._url("detail", org_id=contact.organization_id))
        return self._contact_page(form, contact.organization, contact, conflict)

    def _contact_page(self, form: ContactForm, org: Organization, contact: Contact | None,
                      conflict: StaleRecord | None = None) -> Reply:
        status = 409 if conflict else (422 if form.is_submitted() else 200)
        changes = shown_changes(conflict.events) if conflict else {}
        return render_template("orgs/contact_form.html", form=form, org=org, contact=contact,
                               conflict=conflict, conflict_changes=changes,
                               **self._ctx()), status

    def contact_archive(self, contact_id: int) -> Response:
        contact = self._load_contact(contact_id)
        return archive_record(contact, done=_("%(name)s is archived.", name=contact.name),
                              next_url=self._url("detail", org_id=contact.organization_id))

    def contact_restore(self, contact_id: int) -> Response:
        contact = self._load_contact(contact_id)
        return restore_record(contact, done=_("%(name)s is restored.", name=contact.name),
                              next_url=self._url("detail", org_id=contact.organization_id))
