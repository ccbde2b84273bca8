"""Organization and contact routes, mounted by the partners and clients blueprints."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from tracker.access import Action, Area, Capability, can, explain, has
from tracker.extensions import db
from tracker.models import Contact, Organization, OrgStatus, User
from tracker.orgs import queries
from tracker.orgs.facts import row_facts
from tracker.orgs.services import (
    create_organization,
    open_records,
    save_contact,
    update_organization,
)
from tracker.paging import PAGE_SIZES, requested_page_size
from tracker.records import history
from tracker.text import whole_number
from tracker.web.exports import Column, export_response, local_time
from tracker.web.forms import bound_form
from tracker.web.kit import (
    Reply,
    Submission,
    done,
    history_page,
    load,
    record_pages,
    require,
    require_can,
)
from tracker.web.orgs.forms import ContactForm, OrganizationForm


class OrgViews:
    """The organization pages of one kind (partner or client), bound to its blueprint."""

    def __init__(self, bp: Blueprint, kind: str, area: Area, labels: dict[str, Any]) -> None:
        self.bp, self.kind, self.area, self.labels = bp, kind, area, labels
        rules = [
            ("/", "index", self.index, ["GET"]),
            ("/export", "export", self.export, ["GET"]),  # ?format=xlsx for a workbook
            ("/export.csv", "export", self.export, ["GET"]),  # the address it had first
            ("/new", "create", self.create, ["GET", "POST"]),
            ("/<int:org_id>", "detail", self.detail, ["GET"]),
            ("/<int:org_id>/edit", "edit", self.edit, ["GET", "POST"]),
            ("/<int:org_id>/history", "history", self.history, ["GET"]),
            ("/<int:org_id>/access", "access", self.access, ["GET"]),
            ("/<int:org_id>/contacts/new", "contact_create", self.contact_create,
             ["GET", "POST"]),
            ("/contacts/<int:contact_id>/edit", "contact_edit", self.contact_edit,
             ["GET", "POST"]),
        ]
        for rule, endpoint, view, methods in rules:
            bp.add_url_rule(rule, endpoint, view, methods=methods)
        record_pages(
            bp, "", "/<int:org_id>", self._load, detail=f"{bp.name}.detail",
            archived=lambda org: _("%(name)s is archived. An administrator can restore it.",
                                   name=org.name),
            restored=lambda org: _("%(name)s is restored.", name=org.name),
            after_archive=lambda org: self._url("index"), pages=("archive", "restore"))
        record_pages(
            bp, "contact", "/contacts/<int:contact_id>", self._load_contact,
            detail=f"{bp.name}.detail",
            archived=lambda contact: _("%(name)s is archived.", name=contact.name),
            restored=lambda contact: _("%(name)s is restored.", name=contact.name),
            after_archive=self._contact_org, after_restore=self._contact_org,
            pages=("archive", "restore"))

    # -- helpers -------------------------------------------------------------------------
    def _ctx(self, **extra: Any) -> dict[str, Any]:
        return {"kind": self.kind, "area": self.area, "labels": self.labels,
                "ep": self.bp.name, **extra}

    def _load(self, org_id: int) -> Organization:
        return load(Organization, org_id, kind=self.kind)

    def _load_contact(self, contact_id: int) -> Contact:
        return load(Contact, contact_id, org_kind=self.kind)

    def _contact_org(self, contact: Contact) -> str:
        return self._url("detail", org_id=contact.organization_id)

    def _url(self, endpoint: str, **values: Any) -> str:
        return url_for(f"{self.bp.name}.{endpoint}", **values)

    # -- lists ---------------------------------------------------------------------------
    def index(self) -> Reply:
        return self._list("orgs/list.html", queries.SORTS, dates=True,
                          contact_choices=[(k, v) for k, v in queries.CONTACT_LABELS.items()])

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
            per_page=requested_page_size(), after=request.args.get("after"),
            before=request.args.get("before"),
            total=queries.organization_count(current_user, self.kind, filters))
        page.sizes = PAGE_SIZES
        options = queries.filter_options(self.kind)
        return render_template(
            template, page=page, filters=filters, sorts=sorts,
            facts=row_facts(current_user, [o.id for o in page.items], dates=dates),
            tags=[name for _id, name in options["tag"]], owners=options["owner"],
            teams=options["team"], status_choices=[(s.value, s.label) for s in OrgStatus],
            dates=dates, column_labels=queries.COLUMNS,
            column_names=(queries.PARTNER_COLUMNS if self.kind == "partner"
                          else queries.CLIENT_COLUMNS), **extra, **self._ctx())

    orders = queries.ORDERS

    def list_select(self, filters: queries.OrgFilters) -> sa.Select:
        return queries.organization_list(current_user, self.kind, filters)

    def export(self) -> Response:
        """The filtered list as shown (stage for partners, status for clients; last contact
        and next follow-up as this reader sees them), as CSV or a workbook."""
        require(has(current_user, Capability.EXPORT))
        filters = queries.OrgFilters.from_args(request.args, current_user)
        # Every visible row, read in batches of 500 (the tags and contacts of a batch in one
        # query each, its dates in one more), so an export never holds them all at once.
        stmt = (queries.organization_list(current_user, self.kind, filters)
                .order_by(Organization.sort_name, Organization.id)
                .options(selectinload(Organization.contacts), selectinload(Organization.tags),
                         joinedload(Organization.owner), joinedload(Organization.team))
                .execution_options(yield_per=500))
        partner = self.kind == "partner"
        columns = [
            Column(_("Name"), lambda r: r[0].name, 24),
            Column(_("Stage"), lambda r: r[0].stage_label, key="stage") if partner
            else Column(_("Status"), lambda r: r[0].status_label, key="status"),
            Column(_("Industry"), lambda r: r[0].industry, key="industry"),
            Column(_("Owner"), lambda r: r[0].owner.name if r[0].owner else "", key="owner"),
            Column(_("Team"), lambda r: r[0].team.name if r[0].team else "", key="team"),
            Column(_("Tags"), lambda r: ", ".join(t.name for t in r[0].tags), key="tags"),
            Column(_("Last contact"), lambda r: local_time(r[1].last_contact), 16,
                   key="last_contact"),
            Column(_("Next follow-up"), lambda r: r[1].next_followup, 12,
                   key="next_followup"),
            Column(_("Website"), lambda r: r[0].website),
            Column(_("Contacts"), lambda r: len([c for c in r[0].contacts
                                                 if c.archived_at is None])),
            Column(_("Changed"), lambda r: local_time(r[0].updated_at), 16, key="changed"),
        ]

        def rows() -> Iterator[tuple[Organization, Any]]:
            batch: list[Organization] = []
            for org in db.session.scalars(stmt):
                batch.append(org)
                if len(batch) == 500:
                    yield from _with_facts(batch)
                    batch = []
            yield from _with_facts(batch)

        shown = [c for c in columns if c.key is None or filters.shows(c.key)]
        return export_response(self.bp.name, str(self.labels["many"]), shown, rows())

    # -- one organization ----------------------------------------------------------------
    def detail(self, org_id: int) -> Reply:
        org = self._load(org_id)
        contacts = queries.contacts_of(current_user, org, include_archived=can(
            current_user, Action.RESTORE, org) or False)
        return render_template("orgs/detail.html", org=org, contacts=contacts, **self._ctx())

    def create(self) -> Reply:
        require_can(Action.CREATE, self.area)
        form = OrganizationForm(kind=self.kind)
        if request.method == "GET":
            form.owner_id.data = current_user.id
            teams = sorted(current_user.team_ids)
            form.team_id.data = teams[0] if teams else None
        post = Submission(form)
        if post.saved(lambda: create_organization(self.kind, form.to_input())) and post.keeps(
                Action.EDIT, post.value, form.owner_id,
                _("You may only add records that you own or that belong to your team.")):
            return done(_("%(name)s is saved.", name=post.value.name),
                        self._url("detail", org_id=post.value.id))
        return self._form_page(post, None)

    def edit(self, org_id: int) -> Reply:
        org = self._load(org_id)
        require_can(Action.EDIT, org)
        form = bound_form(OrganizationForm, org, kind=self.kind)
        if request.method == "GET":
            form.tags.data = ", ".join(t.name for t in org.tags)
        post = Submission(form)
        if post.saved(lambda: update_organization(org, form.to_input(),
                                                  version=form.version.data)) and post.keeps(
                Action.EDIT, org, form.owner_id,
                _("After this change you could no longer edit the record: keep yourself or "
                  "your team.")):
            return done(_("%(name)s is saved.", name=org.name), self._url("detail", org_id=org.id))
        return self._form_page(post, org)

    def _form_page(self, post: Submission, org: Organization | None) -> Reply:
        # What a change of team takes along, said before it is made.
        moving = tuple(len(r) for r in open_records(org)) if org is not None else (0, 0)
        return render_template("orgs/form.html", form=post.form, org=org,
                               conflict=post.conflict, moving=moving,
                               **self._ctx()), post.status

    def history(self, org_id: int) -> Reply:
        """The organization's trail with its contacts' interleaved, newest first."""
        org = self._load(org_id)

        def events() -> list:
            trail = history("organizations", org.id)
            trail += history("contacts", [c.id for c in org.contacts])
            return sorted(trail, key=lambda e: e.id, reverse=True)

        return history_page(org, back=self._url("detail", org_id=org.id), events=events,
                            template="orgs/history.html", org=org, **self._ctx())

    def access(self, org_id: int) -> Reply:
        org = self._load(org_id)
        require(has(current_user, Capability.MANAGE_USERS))
        users = db.session.scalars(sa.select(User).where(User.archived_at.is_(None))
                                   .order_by(User.sort_name)).all()
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
        require_can(Action.EDIT, org)
        post = Submission(ContactForm())
        if post.saved(lambda: save_contact(org, post.form.to_input())):
            return done(_("%(name)s is saved.", name=post.value.name),
                        self._url("detail", org_id=org.id))
        return self._contact_page(post, org, None)

    def contact_edit(self, contact_id: int) -> Reply:
        contact = self._load_contact(contact_id)
        require_can(Action.EDIT, contact)
        form = bound_form(ContactForm, contact)
        post = Submission(form)
        if post.saved(lambda: save_contact(contact.organization, form.to_input(), contact,
                                           version=form.version.data)):
            return done(_("%(name)s is saved.", name=contact.name), self._contact_org(contact))
        return self._contact_page(post, contact.organization, contact)

    def _contact_page(self, post: Submission, org: Organization, contact: Contact | None
                      ) -> Reply:
        return render_template("orgs/contact_form.html", form=post.form, org=org,
                               contact=contact, conflict=post.conflict,
                               **self._ctx()), post.status


def _with_facts(orgs: list[Organization]) -> Iterator[tuple[Organization, Any]]:
    facts = row_facts(current_user, [o.id for o in orgs], dates=True)
    return ((org, facts[org.id]) for org in orgs)
