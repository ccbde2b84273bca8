"""Team meetings (agenda, decisions, action items carried over) and retrospectives."""

from __future__ import annotations

from datetime import datetime

from flask import render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import Action, may_record_meeting
from tracker.followups import followups_for, owner_choices
from tracker.i18n import local_to_utc
from tracker.models import Meeting, Retrospective, Team, utcnow
from tracker.teams.meetings import queries
from tracker.teams.meetings.services import save_meeting, save_retro
from tracker.web.kit import Reply, Submission, done, load, record_pages, require, require_can
from tracker.web.teams import bp
from tracker.web.teams.listing import keyset_listing
from tracker.web.teams.meetings.forms import MeetingForm, RetroForm

# -- shared ----------------------------------------------------------------------------

def _team(team_id: int) -> Team:
    return load(Team, team_id)


def _local(value: datetime) -> datetime:
    """An aware time as the naive local value a datetime-local input shows."""
    return value.astimezone(get_timezone()).replace(tzinfo=None, second=0, microsecond=0)


def _now_local() -> datetime:
    return _local(utcnow())


# -- meetings --------------------------------------------------------------------------

def _meeting(meeting_id: int) -> Meeting:
    return load(Meeting, meeting_id)


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


def _meeting_page(post: Submission, team: Team, meeting: Meeting | None) -> tuple[str, int]:
    form = post.form
    carried = _form_carried(team, form, meeting)
    actions = queries.actions_by_item(meeting) if meeting else {}
    form.pad(new_actions=meeting is None)
    return render_template(
        "teams/meetings/form.html", form=form, team=team, meeting=meeting, carried=carried,
        actions=actions, series_options=queries.series_of(current_user, team),
        today=queries.local_today(), conflict=post.conflict), post.status


def _meeting_owners(form: MeetingForm, team: Team, meeting: Meeting | None) -> None:
    """Action items only for people who may read the meeting (a new one: as it would
    stand, in ``team`` organised by the form's organizer), the writer by default."""
    if meeting is None:
        organizer = (form.organizer_id.data if form.is_submitted() else None) or current_user.id
        meeting = Meeting(team_id=team.id, organizer_id=organizer,
                          created_by_id=current_user.id)  # never added: only asked about
    form.offer_owners(owner_choices(meeting), current_user.id)


def _retro_owners(form: RetroForm, team: Team, retro: Retrospective | None) -> None:
    """As ``_meeting_owners``, for a retrospective's action items."""
    if retro is None:
        facilitator = ((form.facilitator_id.data if form.is_submitted() else None)
                       or current_user.id)
        retro = Retrospective(team_id=team.id, facilitator_id=facilitator,
                              created_by_id=current_user.id)  # never added: only asked about
    form.offer_owners(owner_choices(retro), current_user.id)


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
    require(may_record_meeting(current_user, team))
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
    _meeting_owners(form, team, None)
    post = Submission(form)
    if post.saved(lambda: save_meeting(team, form.to_input())):
        return done(_("The meeting is saved."),
                    url_for("teams.meeting_detail", meeting_id=post.value.id))
    return _meeting_page(post, team, None)


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
    require_can(Action.EDIT, meeting)
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
    _meeting_owners(form, team, meeting)
    post = Submission(form)
    if post.saved(lambda: save_meeting(team, form.to_input(), meeting,
                                       version=form.version.data)):
        return done(_("The meeting is saved."),
                    url_for("teams.meeting_detail", meeting_id=meeting.id))
    return _meeting_page(post, team, meeting)


record_pages(
    bp, "meeting", "/meetings/<int:meeting_id>", _meeting, detail="teams.meeting_detail",
    archived=_l("The meeting is archived."), restored=_l("The meeting is restored."),
    after_archive=lambda meeting: url_for("teams.meetings", team_id=meeting.team_id))


# -- retrospectives --------------------------------------------------------------------

def _retro(retro_id: int) -> Retrospective:
    return load(Retrospective, retro_id)


def _retro_page(post: Submission, team: Team, retro: Retrospective | None
                ) -> tuple[str, int]:
    form = post.form
    form.pad()
    return render_template(
        "teams/meetings/retro_form.html", form=form, team=team, retro=retro,
        followups=followups_for(current_user, retro) if retro else [],
        today=queries.local_today(), conflict=post.conflict), post.status


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
    require(may_record_meeting(current_user, team))
    form = RetroForm()
    if request.method == "GET":
        form.held_on.data = queries.local_today()
        form.facilitator_id.data = current_user.id
    _retro_owners(form, team, None)
    post = Submission(form)
    if post.saved(lambda: save_retro(team, form.to_input())):
        return done(_("The retrospective is saved."),
                    url_for("teams.retro_detail", retro_id=post.value.id))
    return _retro_page(post, team, None)


@bp.route("/retros/<int:retro_id>")
def retro_detail(retro_id: int) -> str:
    retro = _retro(retro_id)
    return render_template("teams/meetings/retro_detail.html", retro=retro, team=retro.team,
                           followups=followups_for(current_user, retro),
                           today=queries.local_today())


@bp.route("/retros/<int:retro_id>/edit", methods=["GET", "POST"])
def retro_edit(retro_id: int) -> Reply:
    retro = _retro(retro_id)
    require_can(Action.EDIT, retro)
    known = [(retro.facilitator.id, retro.facilitator.name)] if retro.facilitator else []
    if request.method == "GET":
        form = RetroForm(obj=retro, known=known)
        form.version.data = retro.version
        form.actions.entries = []
    else:
        form = RetroForm(known=known)
    _retro_owners(form, retro.team, retro)
    post = Submission(form)
    if post.saved(lambda: save_retro(retro.team, form.to_input(), retro,
                                     version=form.version.data)):
        return done(_("The retrospective is saved."),
                    url_for("teams.retro_detail", retro_id=retro.id))
    return _retro_page(post, retro.team, retro)


record_pages(
    bp, "retro", "/retros/<int:retro_id>", _retro, detail="teams.retro_detail",
    archived=_l("The retrospective is archived."),
    restored=_l("The retrospective is restored."),
    after_archive=lambda retro: url_for("teams.retros", team_id=retro.team_id))
