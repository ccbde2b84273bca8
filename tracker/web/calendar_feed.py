"""A per-user iCalendar feed behind a secret address: open follow-ups and meetings.

Calendar programs fetch the feed without signing in, so it lives on a small blueprint of
its own (``calendar``, mounted at /calendar) that no sign-in gate closes; the secret in
the address is the only key. Revoking or replacing it (on the follow-ups' calendar page)
makes the old address answer 404.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Blueprint, Response, abort, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event

from tracker.access import visible
from tracker.extensions import db
from tracker.i18n import language_of
from tracker.models import FollowUp, FollowUpStatus, Meeting, User, meeting_attendees, utcnow

bp = Blueprint("calendar", __name__)

TOKEN_MAX = 64
MEETINGS_SINCE = timedelta(days=60)
FEED_LIMIT = 1000
PRODID = "-//Tracker//Follow-ups and meetings//EN"


def user_by_token(token: str) -> User | None:
    """The active user whose calendar address this is, if any."""
    if not token or len(token) > TOKEN_MAX:
        return None
    user = db.session.scalar(sa.select(User).where(User.calendar_token == token))
    if user is None or not user.is_active:
        return None
    return user


def _link(endpoint: str, **values: object) -> str:
    return url_for(endpoint, _external=True, **values)


def _uid(kind: str, record_id: int) -> str:
    return f"{kind}-{record_id}@tracker"


def followups_of(user: User) -> list[FollowUp]:
    """The user's own open follow-ups (the feed shows a follow-up's own title only)."""
    return list(db.session.scalars(
        visible(user, FollowUp).where(FollowUp.owner_id == user.id,
                                      FollowUp.status == FollowUpStatus.OPEN.value)
        .order_by(FollowUp.due_on, FollowUp.id).limit(FEED_LIMIT)))


def meetings_of(user: User, now: datetime) -> list[Meeting]:
    """Meetings the user attends or organises and may see, from two months back on."""
    attends = sa.select(meeting_attendees.c.meeting_id).where(
        meeting_attendees.c.user_id == user.id)
    return list(db.session.scalars(
        visible(user, Meeting).where(
            sa.or_(Meeting.id.in_(attends), Meeting.organizer_id == user.id),
            Meeting.starts_at >= now - MEETINGS_SINCE)
        .order_by(Meeting.starts_at).limit(FEED_LIMIT)))


def build_feed(user: User, now: datetime | None = None) -> bytes:
    """The user's calendar as iCalendar text."""
    now = now or utcnow()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Tracker: %(name)s", name=user.name))
    for f in followups_of(user):
        event = Event()
        event.add("uid", _uid("followup", f.id))
        event.add("dtstamp", now)
        event.add("summary", _("Follow-up: %(title)s", title=f.shown_title))
        event.add("dtstart", f.due_on)  # a date: an all-day entry on the due day
        event.add("dtend", f.due_on + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        link = _link("followups.detail", followup_id=f.id)
        event.add("url", link)
        event.add("description", link)
        cal.add_component(event)
    for m in meetings_of(user, now):
        event = Event()
        event.add("uid", _uid("meeting", m.id))
        event.add("dtstamp", now)
        event.add("summary", m.title)
        event.add("dtstart", m.starts_at)
        event.add("dtend", m.ends_at if m.ends_at and m.ends_at > m.starts_at
                  else m.starts_at + timedelta(hours=1))
        if m.place:
            event.add("location", m.place)
        event.add("url", _link("teams.meeting_detail", meeting_id=m.id))
        cal.add_component(event)
    return cal.to_ical()


@bp.route("/<token>.ics")
def feed(token: str) -> Response:
    user = user_by_token(token)
    if user is None:
        abort(404)
    with force_locale(language_of(user)):
        body = build_feed(user)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="tracker.ics"'
    return response
