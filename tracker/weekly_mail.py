"""The weekly report sent to team leads (a periodic job): on each team's chosen weekday,
each lead gets last week's report of their team, in the app and by email, in their
language and time zone, counted as they may see it. Once per lead, team and week."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from tracker.dashboards.weekly import WeeklyReport, week_of, weekly_report
from tracker.extensions import db
from tracker.i18n import language_of, zone_of
from tracker.jobs import handler, later
from tracker.models import Team, TeamMembership, User, utcnow
from tracker.notify import notify
from tracker.urls import site_path


def _text(report: WeeklyReport) -> str:
    lines = []
    for section in report.sections:
        lines.append(section.title)
        lines += [f"  {line.label}: {line.value}" for line in section.lines]
    if report.people:
        lines.append(_("Follow-ups by person"))
        lines += [f"  {name}: " + _("%(done)s done, %(late)s overdue", done=done, late=late)
                  for name, done, late in report.people]
    return "\n".join(lines)


def queue_weekly_reports(now: datetime) -> int:
    """Ask for today's reports (the deployment's day): one job per team lead; returns how
    many were new."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    today = now.astimezone(zone).date()
    monday = week_of(today) - timedelta(days=7)
    leads = db.session.execute(
        sa.select(Team.id, User.id).join(TeamMembership, TeamMembership.team_id == Team.id)
        .join(User, User.id == TeamMembership.user_id)
        .where(Team.weekly_report_day == today.weekday(), Team.archived_at.is_(None),
               TeamMembership.is_lead, User.is_enabled, User.archived_at.is_(None))
        .order_by(Team.id, User.id)).all()
    asked = 0
    for team_id, user_id in leads:
        job = later("report.weekly", dedupe_key=f"weekly:{team_id}:{user_id}:{monday}",
                    team_id=team_id, user_id=user_id, monday=monday.isoformat())
        asked += job is not None
    db.session.commit()
    return asked


@handler("report.weekly")
def send_weekly_report(team_id: int, user_id: int, monday: str) -> None:
    """Last week's report of the team, as the lead reads it, in their language."""
    team, user = db.session.get(Team, team_id), db.session.get(User, user_id)
    if (team is None or user is None or not user.is_enabled or user.archived_at is not None
            or user_id not in {m.user_id for m in team.memberships if m.is_lead}):
        return  # no longer theirs to read
    start = date.fromisoformat(monday)
    with force_locale(language_of(user)):
        report = weekly_report(user, team, start, zone_of(user), utcnow())
        # The figures as the lead may see them today, in their language; the subject
        # follows whoever reads it (``tracker.messages``).
        notify(user, "weekly", link=site_path("teams.weekly", team=team.id, week=monday),
               source=team, event="team.weekly_report",
               params={"team": team.name, "monday": monday, "text": _text(report)})


@handler("sweep.weekly_reports")
def _sweep_weekly_reports() -> None:
    queue_weekly_reports(utcnow())
