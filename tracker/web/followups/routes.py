"""The follow-up hub: My day, one follow-up and its actions, the team view, the reminder
log and the calendar address."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError
from wtforms import Field

from tracker.access import Action, Area, can, may_edit_own_followups, may_see_every_reminder
from tracker.extensions import db
from tracker.followups import queries, services
from tracker.followups.sources import (
    describe_source,
    describe_sources,
    owner_choices,
    source_of,
)
from tracker.followups.team_view import team_boards
from tracker.models import FollowUp, FollowUpStatus, TeamMembership, User
from tracker.paging import PAGE_SIZES, SortKey, capped_count, keyset_page, requested_page_size
from tracker.records import StaleRecord
from tracker.text import whole_number
from tracker.urls import safe_next
from tracker.web.followups import bp
from tracker.web.followups.forms import (
    REPEAT_UNITS,
    CalendarForm,
    CommentForm,
    FollowUpForm,
    ReassignForm,
    SnoozeForm,
    StatusForm,
    UndoForm,
)
from tracker.web.gates import close_blueprint
from tracker.web.kit import Reply, done, require_can, status_of

close_blueprint(bp, Area.FOLLOWUPS)
# The navigation shows the counts: {% set fu = followup_counts(current_user) %}
bp.add_app_template_global(queries.nav_counts, "followup_counts")

LOG_PAGE_SIZE = 50


def _followup(followup_id: int) -> FollowUp:
    return queries.get_followup_or_404(current_user, followup_id)


def _back_url(followup: FollowUp) -> str:
    """Where an action returns: the page it was posted from (My day), else the follow-up."""
    return safe_next(request.form.get("next")) or url_for("followups.detail",
                                                          followup_id=followup.id)


def _back(followup: FollowUp) -> Response:
    return redirect(_back_url(followup))


def _repeat_label(followup: FollowUp) -> str:
    n, unit = followup.repeat_every, followup.repeat_unit
    if not (unit in REPEAT_UNITS and n):
        return ""
    if unit == "days":
        return ngettext("Every day", "Every %(num)d days", n)
    if unit == "weeks":
        return ngettext("Every week", "Every %(num)d weeks", n)
    return ngettext("Every month", "Every %(num)d months", n)


def _reassign_form(followup: FollowUp, **kwargs: object) -> ReassignForm:
    """Offers only people who may read the record the follow-up came from (never "a
    record you cannot see" in their day); one of no record, any active person."""
    source = source_of(followup)
    return ReassignForm(people=owner_choices(source) if source is not None else None,
                        **kwargs)


def _detail_page(followup: FollowUp, status: int = 200, conflict: StaleRecord | None = None,
                 **forms: object) -> tuple[str, int]:
    """The follow-up's page; a refused action shows its own form with the messages."""
    today = queries.local_today()
    snooze_form = forms.get("snooze_form")
    if snooze_form is None:
        snooze_form = SnoozeForm(formdata=None)
        snooze_form.due_on.data = max(followup.due_on, today)
    reassign_form = forms.get("reassign_form")
    if reassign_form is None:
        reassign_form = _reassign_form(followup, formdata=None)
    comment_form = forms.get("comment_form")
    if comment_form is None:
        comment_form = CommentForm(formdata=None)
    for form in (snooze_form, reassign_form):
        form.version.data = followup.version
    previous_id, following = queries.neighbours(current_user, followup)
    return render_template(
        "followups/detail.html", followup=followup, today=today,
        source=describe_source(current_user, followup), repeat=_repeat_label(followup),
        comments=services.comments_of(followup),
        previous_id=previous_id, following=following,
        may_edit=can(current_user, Action.EDIT, followup),
        org_visible=followup.organization is not None and can(
            current_user, Action.READ, followup.organization),
        snooze_form=snooze_form, reassign_form=reassign_form,
        comment_form=comment_form,
        status_form=forms.get("status_form"), conflict=conflict), status


@bp.route("/")
def my_day() -> str:
    today = queries.local_today()
    key = request.args.get("section")
    if key in queries.SECTION_KEYS:  # one bucket in full, a page at a time
        shown = [queries.day_section(current_user, today, key, request.args.get("after"),
                                     request.args.get("before"))]
    else:
        shown = queries.my_day(current_user, today).sections
    rows = [f for s in shown for f in s.items]
    # Every row is the user's own (owner or asker): one answer for all of them.
    return render_template("followups/my_day.html", sections=shown, today=today,
                           single=key in queries.SECTION_KEYS,
                           editable={f.id for f in rows} if may_edit_own_followups(current_user)
                           else set(),
                           sources=describe_sources(current_user, rows),
                           may_create=can(current_user, Action.CREATE, Area.FOLLOWUPS))


@bp.route("/new", methods=["GET", "POST"])
def create() -> Reply:
    require_can(Action.CREATE, Area.FOLLOWUPS)
    form = FollowUpForm()
    if request.method == "GET":
        form.owner_id.data = current_user.id
        form.due_on.data = queries.local_today()
    if form.validate_on_submit():
        followup = services.create(form.to_input(), current_user)
        return done(_("The follow-up is saved."),
                    url_for("followups.detail", followup_id=followup.id))
    return render_template("followups/form.html", form=form), status_of(form)


@bp.route("/<int:followup_id>")
def detail(followup_id: int) -> Reply:
    return _detail_page(_followup(followup_id))


def _stale_page(followup: FollowUp, stale: StaleRecord, **forms: object) -> tuple[str, int]:
    db.session.rollback()
    db.session.refresh(followup)
    return _detail_page(followup, 409, stale, **forms)


def _act(followup: FollowUp, form_key: str, form: FlaskForm, call: Callable[[], object],
         refused_on: Field | None = None) -> Reply | None:
    """Run one action of the follow-up's page with its form; None when it went through (the
    caller commits and says so). A refused form shows again with its messages (422), a
    stale one with what changed (409); a refusal of the service lands on ``refused_on``,
    or is flashed back to where the action came from."""
    if not form.validate_on_submit():
        return _detail_page(followup, 422, **{form_key: form})
    try:
        call()
    except StaleRecord as stale:
        return _stale_page(followup, stale, **{form_key: form})
    except services.Refused as refused:
        db.session.rollback()
        if refused_on is None:
            flash(str(refused), "error")
            return _back(followup)
        refused_on.errors = [*refused_on.errors, str(refused)]
        return _detail_page(followup, 422, **{form_key: form})
    return None


@bp.route("/<int:followup_id>/complete", methods=["POST"])
def complete(followup_id: int) -> Reply:
    followup = _followup(followup_id)
    require_can(Action.EDIT, followup)
    form = StatusForm()
    if not form.validate_on_submit():
        return _detail_page(followup, 422, status_form=form)
    try:
        following = services.complete(followup, form.version.data, by=current_user)
        db.session.commit()
    except StaleRecord as stale:
        if followup.status == FollowUpStatus.DONE.value:  # a second click on "Done"
            db.session.rollback()
            flash(_("This follow-up is done already."), "info")
            return _back(followup)
        return _stale_page(followup, stale)
    except services.Refused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return _back(followup)
    except (sa.exc.IntegrityError, StaleDataError):
        # Two clicks at the same moment: the other one completed it (and made the next).
        db.session.rollback()
        db.session.refresh(followup)
        if followup.status != FollowUpStatus.DONE.value:
            abort(409)
        flash(_("This follow-up is done already."), "info")
        return _back(followup)
    if following is not None:
        flash(_("Done. The next one is due %(date)s.", date=_day(following.due_on)), "success")
        if following.owner_id != followup.owner_id and followup.owner is not None:
            flash(_("%(name)s may no longer see its record, so the next one is yours.",
                    name=followup.owner.name) if following.owner_id == current_user.id
                  else _("%(name)s may no longer see its record, so the next one has no "
                         "owner yet.", name=followup.owner.name), "info")
    else:
        flash(_("Done."), "success")
    # The flash offers "Undo" (a button, no script needed) for UNDO_MINUTES.
    flash(url_for("followups.undo_complete", followup_id=followup.id,
                  version=followup.version), "undo")
    return _back(followup)


@bp.route("/<int:followup_id>/undo-complete", methods=["POST"])
def undo_complete(followup_id: int) -> Reply:
    """Take back "Done" moments after, from the flash's button (the version in its link)."""
    followup = _followup(followup_id)
    require_can(Action.EDIT, followup)
    refused = _act(followup, "undo_form", UndoForm(), lambda: services.undo_complete(
        followup, current_user, version=request.args.get("version")))
    return refused or done(_("Undone: the follow-up is open again."), _back_url(followup))


def _day(value: object) -> str:
    return format_date(value, "medium")


@bp.route("/<int:followup_id>/reopen", methods=["POST"])
def reopen(followup_id: int) -> Reply:
    followup = _followup(followup_id)
    require_can(Action.EDIT, followup)
    form = StatusForm()
    refused = _act(followup, "status_form", form,
                   lambda: services.reopen(followup, form.version.data))
    return refused or done(_("The follow-up is open again."), _back_url(followup))


@bp.route("/<int:followup_id>/snooze", methods=["POST"])
def snooze(followup_id: int) -> Reply:
    followup = _followup(followup_id)
    require_can(Action.EDIT, followup)
    form = SnoozeForm()
    form.today = queries.local_today()
    refused = _act(followup, "snooze_form", form,
                   lambda: services.snooze(followup, form.due_on.data, form.reason.data,
                                           current_user, version=form.version.data),
                   refused_on=form.due_on)
    return refused or done(_("Snoozed until %(date)s.", date=_day(followup.due_on)),
                           _back_url(followup))


@bp.route("/<int:followup_id>/reassign", methods=["POST"])
def reassign(followup_id: int) -> Reply:
    followup = _followup(followup_id)
    require_can(Action.EDIT, followup)
    form = _reassign_form(followup)
    refused = _act(followup, "reassign_form", form,
                   lambda: services.reassign(followup, form.owner_id.data,
                                             form.note.data or "", current_user,
                                             version=form.version.data),
                   refused_on=form.owner_id)
    if refused:
        return refused
    to = _back_url(followup)
    if not queries.visible_ids(current_user, {followup.id}):
        to = url_for("followups.my_day")  # handed to somebody out of sight
    owner = db.session.get(User, followup.owner_id)  # the identity map: no query
    return done(_("Reassigned to %(name)s.", name=owner.name), to)


@bp.route("/<int:followup_id>/comment", methods=["POST"])
def comment(followup_id: int) -> Reply:
    followup = _followup(followup_id)
    require_can(Action.EDIT, followup)
    form = CommentForm()
    refused = _act(followup, "comment_form", form,
                   lambda: services.comment(followup, form.body.data, current_user))
    return refused or done(_("The comment is added."), _back_url(followup))


@bp.route("/team")
def team() -> str:
    today = queries.local_today()
    return render_template("followups/team.html", boards=team_boards(current_user, today),
                           today=today)


@bp.route("/reminders")
def reminder_log() -> str:
    sees_all = may_see_every_reminder(current_user)
    stmt = queries.reminder_log(current_user, sees_all)
    page = keyset_page(stmt, queries.LOG_KEYS, per_page=LOG_PAGE_SIZE,
                       after=request.args.get("after"), before=request.args.get("before"))
    page.total, page.total_capped = capped_count(stmt)
    titles = queries.visible_titles(current_user, {r.followup_id for r in page.items})
    return render_template("followups/reminders.html", page=page, sees_all=sees_all,
                           titles=titles)


def feed_url(token: str | None) -> str | None:
    """The secret address of a calendar feed (None without a token)."""
    if not token:
        return None
    return url_for("calendar.feed", token=token, _external=True)


@bp.route("/calendar", methods=["GET", "POST"])
def calendar_settings() -> Reply:
    form = CalendarForm()
    if form.validate_on_submit():
        if form.action.data == "create":
            current_user.calendar_token = secrets.token_urlsafe(32)
            message = _("Your calendar has a new address. Any earlier address stops working.")
        else:
            current_user.calendar_token = None
            message = _("The calendar address is revoked.")
        return done(message, url_for("followups.calendar_settings"))
    return render_template("followups/calendar.html", form=form,
                           url=feed_url(current_user.calendar_token),
                           has_token=bool(current_user.calendar_token)), status_of(form)



OVERDUE_ORDER = (SortKey(FollowUp.due_on), SortKey(FollowUp.id))


@bp.route("/overdue")
def overdue() -> str:
    """The overdue follow-ups of the reader's teams (the teams dashboard's list), by a team
    or a person, oldest due first."""
    from tracker.dashboards.teams import dashboard_teams, team_overdue

    today = queries.local_today()
    team, owner = whole_number(request.args.get("team")), whole_number(request.args.get("owner"))
    stmt = team_overdue(current_user, today, team, owner)
    total, capped = capped_count(stmt)
    # Oldest due first, or newest (``-due``): the same index walked the other way.
    newest = request.args.get("sort") == "-due"
    keys = tuple(SortKey(k.expr, descending=newest) for k in OVERDUE_ORDER)
    page = keyset_page(stmt.options(joinedload(FollowUp.owner)), keys,
                       per_page=requested_page_size(),
                       after=request.args.get("after"), before=request.args.get("before"))
    page.total, page.total_capped, page.sizes = total, capped, PAGE_SIZES
    teams = dashboard_teams(current_user)
    # The person's name only when they are of the reader's teams (the list's own people).
    person = db.session.scalar(sa.select(User).join(
        TeamMembership, TeamMembership.user_id == User.id).where(
        User.id == owner, TeamMembership.team_id.in_([t.id for t in teams] or [-1]))
        .limit(1)) if owner is not None else None
    rows = list(page.items)
    return render_template("followups/overdue.html", page=page, today=today, teams=teams,
                           sort="-due" if newest else "due",
                           team=team, person=person, sources=describe_sources(current_user,
                                                                               rows))
