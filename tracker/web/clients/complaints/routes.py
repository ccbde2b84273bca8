"""Complaint routes: the queue, intake, the complaint page and every action on it."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import Action, Area, Capability, can, has, permissions_of, visible
from tracker.clients.complaints import queries, services
from tracker.clients.complaints.deadlines import clocks, page_clocks
from tracker.clients.complaints.page import complaint_for_page, files_of, followups_of
from tracker.clients.complaints.workflow import allowed_moves
from tracker.extensions import db
from tracker.followups import OwnerMayNotSee, owner_choices
from tracker.models import (
    Complaint,
    ComplaintStatus,
    EventKind,
    Organization,
    OrgKind,
    Severity,
    User,
    utcnow,
)
from tracker.paging import PAGE_SIZES, keyset_page, requested_page_size
from tracker.search.names import sort_key
from tracker.text import whole_number
from tracker.web.clients import bp
from tracker.web.clients.complaints.forms import (
    ROOT_CAUSES,
    AssignForm,
    BulkAssignForm,
    ComplaintEditForm,
    ComplaintForm,
    FollowUpForm,
    MessageForm,
    MoveForm,
    RatingForm,
)
from tracker.web.clients.complaints.rows import queue_rows
from tracker.web.exports import Column, export_response, local_time
from tracker.web.forms import bound_form
from tracker.web.kit import (
    Reply,
    Submission,
    done,
    load,
    record_pages,
    refuse_owner,
    require,
    require_can,
    require_kept,
    status_of,
)
from tracker.workflow import MoveRefused


def _complaint(complaint_id: int) -> Complaint:
    return load(Complaint, complaint_id)


def _detail(complaint: Complaint) -> str:
    return url_for("clients.complaint_detail", complaint_id=complaint.id)


def _back(complaint: Complaint) -> Response:
    return redirect(_detail(complaint))


@bp.route("/complaints/")
def complaints() -> str:
    require_can(Action.READ, Area.COMPLAINTS)
    now = utcnow()
    filters = queries.QueueFilters.from_args(request.args)
    options = queries.filter_options(current_user, filters)
    if filters.client is None and filters.client_q:
        filters = replace(filters, client_ids=tuple(cid for cid, _name in options.matches))
    # Keyset pages in the headers' order, each an index walk: page 200 costs what page 1
    # costs (no OFFSET).
    page = keyset_page(lambda: queries.queue(current_user, filters, now),
                       queries.sort_keys(filters.sort), per_page=requested_page_size(),
                       after=request.args.get("after"), before=request.args.get("before"),
                       key_of=lambda c: queries.sort_values(filters.sort, c),
                       kept_as=("queue", permissions_of(current_user).key(current_user),
                                filters.shape(), filters.sort),
                       params=filters.params(current_user, now))
    page.sizes = PAGE_SIZES
    return render_template(
        "clients/complaints/queue.html", page=page, filters=filters, now=now,
        counts=queries.view_counts(current_user, filters, now), views=queries.VIEWS,
        options=options, assignees=[("", _("— unassigned —")), *options.people],
        orders=queries.ORDERS,
        narrowed=_narrowed_by(filters),
        rows=queue_rows(page.items, page_clocks(page.items, now),
                        queries.category_labels()))


def _narrowed_by(filters: queries.QueueFilters) -> list[tuple[str, str]]:
    """The filters a dashboard's link set beyond the visible controls, as people read
    them: (what, the link without it)."""
    from tracker.web.templating import url_with

    shown = []
    f = filters
    if f.team is not None:
        from tracker.dashboards.complaints import team_names

        shown.append((_("Team: %(name)s", name=team_names(current_user, [f.team])[f.team]),
                      url_with(team=None, after=None, before=None)))
    for start, end, label, keys in (
            (f.received_from, f.received_to, _("Received"), ("received_from", "received_to")),
            (f.resolved_from, f.resolved_to, _("Resolved"), ("resolved_from", "resolved_to"))):
        if start or end:
            span = " – ".join(format_date(d, "medium") if d else "…" for d in (start, end))
            shown.append((f"{label}: {span}", url_with(**dict.fromkeys(keys), after=None,
                                                       before=None)))
    if f.deadline:
        shown.append((str(queries.DEADLINES[f.deadline]),
                      url_with(deadline=None, after=None, before=None)))
    if f.satisfaction is not None:
        shown.append((_("Satisfaction: %(n)s / 5", n=f.satisfaction),
                      url_with(satisfaction=None, after=None, before=None)))
    return shown


def _intake(org: Organization | None, clients: list) -> Reply:
    contacts = org.contacts if org else []
    form = ComplaintForm(clients=clients, contacts=contacts)
    if clients:
        # A short list without script; typing asks /pick/client for any other client.
        form.client_id.render_kw = {"data-pick": url_for("main.pick", kind="client"),
                                    "data-pick-none": _("No client matches.")}
        form.client_id.description = _(
            "The clients last in touch are listed; type a name to find any other (or log "
            "the complaint from the client's page).")
    if form.validate_on_submit():
        target = org or load(Organization, form.client_id.data or 0,
                             kind=OrgKind.CLIENT.value)
        complaint = services.intake(target, form.to_input(), current_user)
        require_kept(Action.READ, complaint)
        return done(_("The complaint is logged. Acknowledge by %(ack)s, resolve by %(res)s.",
                      ack=_when(complaint.ack_due_at), res=_when(complaint.resolve_due_at)),
                    _detail(complaint))
    return render_template("clients/complaints/form.html", form=form, org=org), (
        status_of(form))


def _when(value: object) -> str:
    from flask_babel import format_datetime

    return format_datetime(value, "short") if value else "—"


@bp.route("/complaints/new", methods=["GET", "POST"])
def complaint_intake() -> Reply:
    require_can(Action.CREATE, Area.COMPLAINTS)
    return _intake(None, _client_shortlist(whole_number(request.form.get("client_id"))))


INTAKE_SHORTLIST = 20


def _client_shortlist(chosen: int | None) -> list:
    """The clients the intake form lists (id, name): the chosen one and the ones last in
    touch, never every client (one statement; the picker finds the rest)."""
    clients = visible(current_user, Organization, kind=OrgKind.CLIENT.value)
    recent = (clients.with_only_columns(Organization.id, Organization.name)
              .order_by(Organization.last_contact_all_at.desc(), Organization.id.desc())
              .limit(INTAKE_SHORTLIST))
    if chosen is not None:
        picked = clients.where(Organization.id == chosen).with_only_columns(
            Organization.id, Organization.name)
        recent = sa.union(picked, recent.subquery().select())
    rows = db.session.execute(recent).all()
    return sorted(rows, key=lambda row: sort_key(row[1]))


@bp.route("/<int:org_id>/complaints/new", methods=["GET", "POST"])
def complaint_create(org_id: int) -> Reply:
    org = load(Organization, org_id, kind=OrgKind.CLIENT.value)
    require_can(Action.CREATE, Area.COMPLAINTS)
    return _intake(org, [])


@bp.route("/complaints/<int:complaint_id>")
def complaint_detail(complaint_id: int) -> str:
    return _detail_page(*complaint_for_page(current_user, complaint_id))


def _followup_form(complaint: Complaint) -> FollowUpForm:
    """Its follow-up goes only to someone who may read the complaint (never "a record you
    cannot see" in their day); the writer by default."""
    form = FollowUpForm(people=owner_choices(complaint))
    if not form.is_submitted() and current_user.id in {c.value for c in form.owner_id.choices}:
        form.owner_id.data = current_user.id
    return form


def _detail_page(complaint: Complaint, calendar: object,
                 followup_form: FollowUpForm | None = None) -> str:
    if calendar is None:  # no working week stored yet: the clocks create the default one
        ack_clock, resolve_clock = clocks(complaint, utcnow())
    else:
        ack_clock, resolve_clock = clocks(complaint, utcnow(), calendar=calendar)
    assignments = [e for e in complaint.events if e.kind == EventKind.ASSIGNMENT]
    people = queries.active_people()
    return render_template(
        "clients/complaints/detail.html", complaint=complaint, org=complaint.organization,
        ack_clock=ack_clock, resolve_clock=resolve_clock, assignments=assignments,
        move_form=MoveForm(allowed=allowed_moves(complaint)), message_form=MessageForm(),
        assign_form=AssignForm(assignee_id=complaint.assignee_id, people=people),
        rating_form=RatingForm(satisfaction=complaint.satisfaction,
                               comment=complaint.satisfaction_comment),
        root_causes=ROOT_CAUSES, attachments=files_of(complaint),
        followups=followups_of(complaint),
        followup_form=followup_form or _followup_form(complaint))


def _edit_contacts(complaint: Complaint, org_id: object) -> list:
    """The contacts the edit form offers: the chosen client's (the posted one on POST, if
    the user sees it), plus the contact the complaint names today."""
    from tracker.orgs.queries import contacts_of

    org = complaint.organization
    posted = whole_number(org_id)  # str.isdigit takes '²' and ids past the database's
    if posted is not None and posted != org.id:
        org = db.session.scalar(visible(current_user, Organization,
                                        kind=OrgKind.CLIENT.value).where(
            Organization.id == posted))
    contacts = contacts_of(current_user, org) if org is not None else []
    if complaint.contact is not None and complaint.contact.organization_id == getattr(
            org, "id", None) and complaint.contact not in contacts:
        contacts.append(complaint.contact)
    return contacts


@bp.route("/complaints/<int:complaint_id>/edit", methods=["GET", "POST"])
def complaint_edit(complaint_id: int) -> Reply:
    """Correct an open complaint after intake (who may work it may correct it)."""
    complaint = _complaint(complaint_id)
    require_can(Action.EDIT, complaint)
    if not complaint.is_open:
        flash(_("An ended complaint is not edited: reopen it first."), "error")
        return _back(complaint)
    # A short list and the picker, never every client; its client stays choosable.
    clients = _client_shortlist(whole_number(request.form.get("organization_id")))
    if complaint.organization_id not in {row[0] for row in clients}:
        clients.insert(0, complaint.organization)
    form = bound_form(ComplaintEditForm, complaint, clients=clients,
                      contacts=_edit_contacts(complaint, request.form.get("organization_id")),
                      complaint_id=complaint.id, category_kept=complaint.category_id)
    form.organization_id.render_kw = {"data-pick": url_for("main.pick", kind="client"),
                                      "data-pick-none": _("No client matches."),
                                      # the picker takes over the <label>: named here too
                                      "aria-label": _("Client")}
    post = Submission(form)
    if post.saved(lambda: services.update_complaint(complaint, form.to_input(), current_user,
                                                    version=form.version.data)) and post.keeps(
            Action.EDIT, complaint, form.organization_id,
            _("With this client or confidentiality you could no longer work on the complaint; "
              "ask someone who can to change it.")):
        if post.value:
            return done(_("The complaint is saved. Its severity changed, so its deadlines were "
                          "recomputed: acknowledge by %(ack)s, resolve by %(res)s.",
                          ack=_when(complaint.ack_due_at), res=_when(complaint.resolve_due_at)),
                        _detail(complaint), "warning")
        return done(_("The complaint is saved."), _detail(complaint))
    return render_template("clients/complaints/edit.html", form=form, complaint=complaint,
                           conflict=post.conflict), post.status


@bp.route("/complaints/<int:complaint_id>/move", methods=["POST"])
def complaint_move(complaint_id: int) -> Response:
    complaint = _complaint(complaint_id)
    require_can(Action.EDIT, complaint)
    form = MoveForm(allowed=list(ComplaintStatus))
    try:
        services.move(complaint, (form.status.data or "")[:30], current_user,
                      reason=form.reason.data or "", summary=form.summary.data or "",
                      root_cause=form.root_cause.data or "")
    except MoveRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return _back(complaint)
    return done(_("The complaint is now %(status)s.", status=complaint.status_label),
                _detail(complaint))


@bp.route("/complaints/<int:complaint_id>/take", methods=["POST"])
def complaint_take(complaint_id: int) -> Response:
    complaint = _complaint(complaint_id)
    require_can(Action.EDIT, complaint)
    try:
        services.take(complaint, current_user)
    except services.TakenAlready as taken:
        holder = taken.complaint.assignee
        flash(_("%(name)s took this complaint first.", name=holder.name if holder else "—"),
              "error")
        return _back(taken.complaint)
    return done(_("The complaint is yours."), _detail(complaint))


@bp.route("/complaints/<int:complaint_id>/assign", methods=["POST"])
def complaint_assign(complaint_id: int) -> Response:
    complaint = _complaint(complaint_id)
    require_can(Action.EDIT, complaint)
    form = AssignForm()
    if form.validate_on_submit():
        assignee = db.session.get(User, form.assignee_id.data) if form.assignee_id.data else None
        services.assign(complaint, assignee, current_user)
        return done(_("Assigned to %(name)s.", name=assignee.name if assignee else _("nobody")),
                    _detail(complaint))
    flash(_("Choose a person from the list."), "error")
    return _back(complaint)


@bp.route("/complaints/assign", methods=["POST"])
def complaints_bulk_assign() -> Response:
    require_can(Action.CREATE, Area.COMPLAINTS)  # some write access; each row is checked below
    form = BulkAssignForm()
    if not form.validate_on_submit() or not form.ids.data:
        flash(_("Tick the complaints to assign and choose a person."), "error")
        return redirect(url_for("clients.complaints"))
    rows = [c for c in db.session.scalars(visible(current_user, Complaint).where(
        Complaint.id.in_(form.ids.data))) if can(current_user, Action.EDIT, c)]
    assignee = db.session.get(User, form.assignee_id.data) if form.assignee_id.data else None
    changed = services.bulk_assign(rows, assignee, current_user)
    return done(_("%(n)d complaints assigned.", n=changed),
                request.referrer if (request.referrer or "").startswith(request.host_url)
                else url_for("clients.complaints"))


@bp.route("/complaints/<int:complaint_id>/message", methods=["POST"])
def complaint_message(complaint_id: int) -> Response:
    complaint = _complaint(complaint_id)
    require_can(Action.EDIT, complaint)
    form = MessageForm()
    if form.validate_on_submit():
        services.add_message(complaint, EventKind(form.kind.data), form.body.data, current_user)
        return done(_("Reply recorded.") if form.kind.data == "reply" else _("Note added."),
                    _detail(complaint))
    flash(_("Write the message first."), "error")
    return _back(complaint)


@bp.route("/complaints/<int:complaint_id>/followup", methods=["POST"])
def complaint_followup(complaint_id: int) -> Reply:
    complaint = _complaint(complaint_id)
    require_can(Action.EDIT, complaint)
    form = _followup_form(complaint)
    if form.validate_on_submit():
        try:
            services.add_complaint_followup(complaint, form.title.data, form.owner_id.data,
                                            form.due_on.data)
        except OwnerMayNotSee as refused:
            db.session.rollback()
            refuse_owner(form, refused)
        else:
            return done(_("The follow-up is added."), _detail(complaint))
    # Shown again with its messages on the complaint's page (refused: 422).
    return _detail_page(*complaint_for_page(current_user, complaint_id),
                        followup_form=form), 422


@bp.route("/complaints/<int:complaint_id>/rate", methods=["POST"])
def complaint_rate(complaint_id: int) -> Response:
    complaint = _complaint(complaint_id)
    require_can(Action.EDIT, complaint)
    form = RatingForm()
    if not complaint.is_resolved:
        flash(_("Record the client's satisfaction once the complaint is resolved."), "error")
    elif form.validate_on_submit():
        services.rate(complaint, form.satisfaction.data, form.comment.data or "", current_user)
        return done(_("The client's satisfaction is recorded."), _detail(complaint))
    else:
        flash(_("Give a score from 1 to 5."), "error")
    return _back(complaint)


record_pages(
    bp, "complaint", "/complaints/<int:complaint_id>", _complaint,
    detail="clients.complaint_detail",
    archived=_l("The complaint is archived."), restored=_l("The complaint is restored."),
    after_archive=lambda complaint: url_for("clients.complaints"))


@bp.route("/complaints/export")
def complaints_export() -> Response:
    """The queue's view with its filters, every row (not one page), as listed: labels in
    the reader's language, times in their zone, as CSV or a workbook."""
    require_can(Action.READ, Area.COMPLAINTS)
    require(has(current_user, Capability.EXPORT))
    now = utcnow()
    filters = queries.QueueFilters.from_args(request.args)
    options = queries.filter_options(current_user, filters)
    if filters.client is None and filters.client_q:
        filters = replace(filters, client_ids=tuple(cid for cid, _name in options.matches))
    stmt = (queries.queue(current_user, filters, now)
            .order_by(*[key.ordering for key in queries.sort_keys(filters.sort)])
            .execution_options(yield_per=500))
    categories = queries.category_labels()
    severity = {s.value: s.label for s in Severity}
    status = {s.value: s.label for s in ComplaintStatus}
    columns = [
        Column(_("Severity"), lambda c: severity.get(c.severity, c.severity)),
        Column(_("Subject"), lambda c: c.title, 30),
        Column(_("Category"), lambda c: categories.get(c.category_id, "")),
        Column(_("Client"), lambda c: c.organization.name, 20),
        Column(_("Status"), lambda c: status.get(c.status, c.status)),
        Column(_("Assignee"), lambda c: c.assignee.name if c.assignee else ""),
        Column(_("Received"), lambda c: local_time(c.received_at), 16),
        Column(_("Acknowledge by"), lambda c: local_time(c.ack_due_at), 16),
        Column(_("Acknowledged"), lambda c: local_time(c.acknowledged_at), 16),
        Column(_("Resolve by"), lambda c: local_time(c.resolve_due_at), 16),
        Column(_("Resolved"), lambda c: local_time(c.resolved_at), 16),
        Column(_("Confidential"), lambda c: _("yes") if c.is_confidential else ""),
        Column(_("Complaint number"), lambda c: c.external_ref or ""),
    ]
    return export_response("complaints", _("Complaints"), columns,
                           db.session.scalars(stmt))
