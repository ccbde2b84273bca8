"""Where a problem raised from a progress report's blockers came from, kept as values (the
report, its author, its period) in the history entry of the problem's creation and said
in the reader's language: the problem's text holds only the blockers, as people wrote them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from tracker.extensions import db
from tracker.i18n import wording_patterns
from tracker.models import AuditEvent, Problem, ProgressReport, User


def report_origin(report: ProgressReport) -> dict[str, Any]:
    """The ``via`` of a record made from ``report``: what happened, in no language."""
    return {"report": report.id, "author": report.author.name if report.author else "",
            "period": report.period_start.isoformat()}


def origin_text(via: dict[str, Any]) -> str:
    """"From the progress report of … for the period from …" in the reader's language."""
    return _("From the progress report of %(author)s for the period from %(date)s.",
             author=via.get("author", ""),
             date=format_date(date.fromisoformat(via["period"])))


def problem_origin(problem: Problem) -> tuple[str, str]:
    """A problem's impact as shown, and the sentence saying which report it was raised
    from ("" for none): one raised before the codes has the sentence at the end of its
    impact, in its raiser's language, which is taken off and said in the reader's."""
    via = db.session.scalar(sa.select(AuditEvent.via).where(
        AuditEvent.record_type == Problem.__tablename__, AuditEvent.record_id == problem.id,
        AuditEvent.action == "create").order_by(AuditEvent.id).limit(1))
    if via and "report" in via and "period" in via:
        return problem.impact, origin_text(via)
    text, found = without_origin(problem.impact, problem.team_id)
    return text, origin_text(found) if found else ""


FROM_REPORT = "From the progress report of %(author)s for the period from %(date)s."


def without_origin(text: str, team_id: int | None) -> tuple[str, dict[str, Any] | None]:
    """``text`` without the sentence naming its report that was written at its end before
    the codes (in any language), and that report's values; else ``(text, None)``."""
    for pattern in wording_patterns(FROM_REPORT):
        found = re.compile(r"(?P<text>.*?)\s*" + pattern.pattern + "$", re.S).fullmatch(
            text or "")
        if found is None:
            continue
        via = _report_named(team_id, found["author"].strip(), found["date"].strip())
        if via is not None:
            return found["text"], via
    return text, None


def _report_named(team_id: int | None, author: str, day: str) -> dict[str, Any] | None:
    """The team's report by ``author`` whose period began on ``day`` as some language
    writes it (a date written in words cannot be read back otherwise)."""
    reports = db.session.scalars(sa.select(ProgressReport).join(
        User, User.id == ProgressReport.author_id).where(
        ProgressReport.team_id == team_id, User.name == author))
    for report in reports:
        for language in current_app.config["LANGUAGES"]:
            with force_locale(language):
                if format_date(report.period_start) == day:
                    return report_origin(report)
    return None


def followup_notes(followup: Any) -> str:
    """A follow-up's notes as shown: one made from a report's blockers before the codes has
    the sentence naming the report at their end, in its giver's language; its page names
    the report as its source, in the reader's, so the sentence is left out."""
    if followup.source_type != ProgressReport.__tablename__:
        return followup.notes
    return without_origin(followup.notes, followup.team_id)[0]
