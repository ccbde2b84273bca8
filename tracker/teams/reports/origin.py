"""Where a problem raised from a progress report's blockers came from, kept as values (the
report, its author, its period) in the history entry of the problem's creation and said
in the reader's language: the problem's text holds only the blockers, as people wrote them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from tracker.extensions import db
from tracker.models import AuditEvent, Problem, ProgressReport


def report_origin(report: ProgressReport) -> dict[str, Any]:
    """The ``via`` of a record made from ``report``: what happened, in no language."""
    return {"report": report.id, "author": report.author.name if report.author else "",
            "period": report.period_start.isoformat()}


def origin_text(via: dict[str, Any]) -> str:
    """"From the progress report of … for the period from …" in the reader's language."""
    return _("From the progress report of %(author)s for the period from %(date)s.",
             author=via.get("author", ""),
             date=format_date(date.fromisoformat(via["period"])))


def problem_origin(problem: Problem) -> str:
    """The sentence saying which report a problem was raised from, or ""."""
    via = db.session.scalar(sa.select(AuditEvent.via).where(
        AuditEvent.record_type == Problem.__tablename__, AuditEvent.record_id == problem.id,
        AuditEvent.action == "create").order_by(AuditEvent.id).limit(1))
    return origin_text(via) if via and "report" in via and "period" in via else ""
