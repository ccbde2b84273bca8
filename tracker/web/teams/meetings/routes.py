"""Team meetings (agenda, decisions, action items carried over) and retrospectives."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import Action, can, get_visible_or_404, may_record_meeting
from tracker.extensions import db
from tracker.followups import followups_for
from tracker.i18n import local_to_utc
from tracker.models import Meeting, Retrospective, Team, utcnow
from tracker.record_views import archive_record, history_page, restore_record
from tracker.records import StaleRecord, shown_changes
from tracker.teams.meetings import queries
from tracker.teams.meetings.services import save_meeting, save_retro
from tracker.web.teams import bp
from tracker.web.teams.listing import keyset_listing
from tracker.web.teams.meetings.forms import MeetingForm, RetroForm

Reply = Response | str | tuple[str, int]


# -- shared ----------------------------------------------------------------------------

def _team(team_id: int) -> Team:
    return get_visible_or_404(current_user, Team, team_id)


def _local(value: datetime) -> datetime:
    """An aware time as the naive local value a datetime-local input shows."""
    return value.astimezone(get_timezone()).replace(tzinfo=None, second=0, microsecond=0)


def _now_local() -> datetime:
    return _local(utcnow())


def _status(form: object, conflict: StaleRecord | None) -> int:
    return 409 if conflict else (422 if form.is_submitted() else 200)


def _conflict_changes(conflict: StaleRecord | None) -> dict:
    return shown_changes(conflict.events) if conflict else {}




# -- meetings --------------------------------------------------------------------------

def _meeting(meeting_id: int) -> Meeting:
    return get_visible_or_404(current_user, Meeting, meeting_id)


def _form_carried(team: Team, form: MeetingForm,
                  meeting: Meeting | None) -> list[queries.CarriedItem]:
    """What the meeting being written down carries over, by the form's series and time."""
    series = queries.clean_series(form.series.data)
    starts = form.starts_at.data if not form.starts_at.errors else None
    try:
        when = local_to_utc(starts) if starts else utcnow()
    except (OverflowError, ValueError):
        when = utcnow()
    return queries.carried_over(current_user, team.id, series, when,
                                exclude_meeting_id=meeting.id if meeting else None)


def _meeting_page(form: MeetingForm, team: Team, meeting: Meeting | None,
                  conflict: StaleRecord | None = None) -> tuple[str, int]:
    carried = _form_carried(team, form, meeting)
    actions = queries.actions_by_item(meeting) if meeting else {}
    form.pad(new_actions=meeting is None)
    return render_template(
        "teams/meetings/form.html", form=form, team=team, meeting=meeting, carried=carried,
        actions=actions, series_options=queries.series_of(current_user, team),
        today=queries.local_today(), conflict=conflict,
        conflict_changes=_conflict_changes(conflict)), _status(form, conflict)


def _known_people(meeting: Meeting) -> list[tuple[int, str]]:
    people = list(meeting.attendees) + ([meeting.organizer] if meeting.organizer else [])
    return [(p.id, p.name) for p in people]


@bp.route("/<int:team_id>/meetings")
def meetings(team_id: int) -> str:
    team = _team(team_id)
    series = queries.clean_series(request.args.get("series"))
    archived = request.args.get("archived") == "1"
    page = keyset_listing(queries.meeting_list(current_user, team, series, archived),
                          queries.MEETING_KEYS, extra=1)
    return render_template("teams/meetings/list.html", team=team, page=page, series=series,
                           archived=archived, may_create=may_record_meeting(current_user, team),
                           series_options=queries.series_of(current_user, team))


@bp.route("/<int:team_id>/meetings/new", methods=["GET", "POST"])
def meeting_create(team_id: int) -> Reply:
    team = _team(team_id)
    if not may_record_meeting(current_user, team):
        abort(403)
    form = MeetingForm()
    if request.method == "GET":
        series = queries.clean_series(request.args.get("series"))
        previous = queries.latest_of_series(current_user, team, series)
        form.series.data = series
        form.starts_at.data = _now_local()
        form.organizer_id.data = current_user.id
        if previous is not None:  # the next meeting of a series starts like the last one
            form.title.data = previous.title
            form.place.data = previous.place
            form.attendees.data = [p.id for p in previous.attendees]
        else:
            form.attendees.data = [m.user_id for m in team.memberships]
    if form.validate_on_submit():
        meeting = save_meeting(team, form.to_input())
        db.session.commit()
        flash(_("The meeting is saved."), "success")
        return redirect(url_for("teams.meeting_detail", meeting_id=meeting.id))
    return _meeting_page(form, team, None)


@bp.route("/meetings/<int:meeting_id>")
def meeting_detail(meeting_id: int) -> str:
    meeting = _meeting(meeting_id)
    return render_template(
        "teams/meetings/detail.html", meeting=meeting, team=meeting.team,
        actions=queries.actions_by_item(meeting), today=queries.local_today(),
        carried=queries.carried_over(current_user, meeting.team_id, meeting.series,
                                     meeting.starts_at, exclude_meeting_id=meeting.id),
        may_create=may_record_meeting(current_user, meeting.team))


@bp.route("/meetings/<int:meeting_id>/minutes")
def meeting_minutes(meeting_id: int) -> str:
    meeting = _meeting(meeting_id)
    return render_template(
        "teams/meetings/minutes.html", meeting=meeting, team=meeting.team,
        actions=queries.actions_by_item(meeting), today=queries.local_today(), now=utcnow(),
        carried=queries.carried_over(current_user, meeting.team_id, meeting.series,
                                     meeting.starts_at, exclude_meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
def meeting_edit(meeting_id: int) -> Reply:
    meeting = _meeting(meeting_id)
    team = meeting.team
    if not can(current_user, Action.EDIT, meeting):
        abort(403)
    locked = queries.items_with_actions(meeting)
    known = _known_people(meeting)
    if request.method == "GET":
        form = MeetingForm(obj=meeting, locked=locked, known=known)
        form.version.data = meeting.version
        form.starts_at.data = _local(meeting.starts_at)
        form.ends_at.data = _local(meeting.ends_at) if meeting.ends_at else None
        form.attendees.data = [p.id for p in meeting.attendees]
        for row, item in zip(form.items.entries, meeting.items, strict=False):
            row.form.item_id.data = str(item.id)
            row.form.actions.entries = []  # earlier action items are follow-ups already
    else:
        form = MeetingForm(locked=locked, known=known)
    conflict = None
    if form.validate_on_submit():
        try:
            save_meeting(team, form.to_input(), meeting, version=form.version.data)
        except StaleRecord as stale:
            conflict = stale
            form.version.data = meeting.version
        else:
            db.session.commit()
            flash(_("The meeting is saved."), "success")
            return redirect(url_for("teams.meeting_detail", meeting_id=meeting.id))
    return _meeting_page(form, team, meeting, conflict)


@bp.route("/meetings/<int:meeting_id>/archive", methods=["POST"])
def meeting_archive(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id)
    return archive_record(meeting, done=_("The meeting is archived."),
                          next_url=url_for("teams.meetings", team_id=meeting.team_id))


@bp.route("/meetings/<int:meeting_id>/restore", methods=["POST"])
def meeting_restore(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id)
    return restore_record(meeting, done=_("The meeting is restored."),
                          next_url=url_for("teams.meeting_detail", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/history")
def meeting_history(meeting_id: int) -> str:
    meeting = _meeting(meeting_id)
    return history_page(meeting, back=url_for("teams.meeting_detail", meeting_id=meeting.id))


# -- retrospectives --------------------------------------------------------------------

def _retro(retro_id: int) -> Retrospective:
    return get_visible_or_404(current_user, Retrospective, retro_id)


def _retro_page(form: RetroForm, team: Team, retro: Retrospective | None,
                conflict: StaleRecord | None = None) -> tuple[str, int]:
    form.pad()
    return render_template(
        "teams/meetings/retro_form.html", form=form, team=team, retro=retro,
        followups=followups_for(current_user, retro) if retro else [],
        today=queries.local_today(), conflict=conflict,
        conflict_changes=_conflict_changes(conflict)), _status(form, conflict)


@bp.route("/<int:team_id>/retros")
def retros(team_id: int) -> str:
    team = _team(team_id)
    archived = request.args.get("archived") == "1"
    page = keyset_listing(queries.retro_list(current_user, team, archived),
                          queries.RETRO_KEYS)
    return render_template("teams/meetings/retro_list.html", team=team, page=page,
                           archived=archived, may_create=may_record_meeting(current_user, team))


@bp.route("/<int:team_id>/retros/new", methods=["GET", "POST"])
def retro_create(team_id: int) -> Reply:
    team = _team(team_id)
    if not may_record_meeting(current_user, team):
        abort(403)
    form = RetroForm()
    if request.method == "GET":
        form.held_on.data = queries.local_today()
        form.facilitator_id.data = current_user.id
    if form.validate_on_submit():
        retro = save_retro(team, form.to_input())
        db.session.commit()
        flash(_("The retrospective is saved."), "success")
        return redirect(url_for("teams.retro_detail", retro_id=retro.id))
    return _retro_page(form, team, None)


@bp.route("/retros/<int:retro_id>")
def retro_detail(retro_id: int) -> str:
    retro = _retro(retro_id)
    return render_template("teams/meetings/retro_detail.html", retro=retro, team=retro.team,
                           followups=followups_for(current_user, retro),
                           today=queries.local_today())


@bp.route("/retros/<int:retro_id>/edit", methods=["GET", "POST"])
def retro_edit(retro_id: int) -> Reply:
    retro = _retro(retro_id)
    if not can(current_user, Action.EDIT, retro):
        abort(403)
    known = [(retro.facilitator.id, retro.facilitator.name)] if retro.facilitator else []
    if request.method == "GET":
        form = RetroForm(obj=retro, known=known)
        form.version.data = retro.version
        form.actions.entries = []
    else:
        form = RetroForm(known=known)
    conflict = None
    if form.validate_on_submit():
        try:
            save_retro(retro.team, form.to_input(), retro, version=form.version.data)
        except StaleRecord as stale:
            conflict = stale
            form.version.data = retro.version
        else:
            db.session.commit()
            flash(_("The retrospective is saved."), "success")
            return redirect(url_for("teams.retro_detail", retro_id=retro.id))
    return _retro_page(form, retro.team, retro, conflict)


@bp.route("/retros/<int:retro_id>/archive", methods=["POST"])
def retro_archive(retro_id: int) -> Response:
    retro = _retro(retro_id)
    return archive_record(retro, done=_("The retrospective is archived."),
                          next_url=url_for("teams.retros", team_id=retro.team_id))


@bp.route("/retros/<int:retro_id>/restore", methods=["POST"])
def retro_restore(retro_id: int) -> Response:
    retro = _retro(retro_id)
    return restore_record(retro, done=_("The retrospective is restored."),
                          next_url=url_for("teams.retro_detail", retro_id=retro.id))


@bp.route("/retros/<int:retro_id>/history")
def retro_history(retro_id: int) -> str:
    retro = _retro(retro_id)
    return history_page(retro, back=url_for("teams.retro_detail", retro_id=retro.id))
