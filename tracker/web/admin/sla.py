"""The complaint deadline policy: minutes per severity and the working week."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional, ValidationError

from tracker.access import may_manage_accounts
from tracker.clients.complaints.deadline_rules import (
    DEFAULTS,
    calendar_for_edit,
    calendar_row,
    ensure_defaults,
)
from tracker.extensions import db
from tracker.i18n import is_timezone, timezone_choices
from tracker.models import Severity, SlaPolicy, Tracked
from tracker.records import StaleRecord, ensure_all_current, versions_stamp
from tracker.web.admin import bp
from tracker.web.admin.guards import require_manage
from tracker.web.forms import WEEKDAYS, TrackerForm, WholeRange, coerce_id, options
from tracker.web.kit import Reply, done, status_of

TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def _check_dates(form: TrackerForm, field: TextAreaField) -> None:
    for part in (field.data or "").replace(",", " ").split():
        try:
            date.fromisoformat(part)
        except ValueError:
            raise ValidationError(_l("“%(value)s” is not a date like 2026-10-01.",
                                     value=part)) from None


def _check_time(form: TrackerForm, field: StringField) -> None:
    if not TIME.fullmatch(field.data or ""):
        raise ValidationError(_l("Use hours and minutes, like 09:00."))


def policy_form_class() -> type[TrackerForm]:
    """The form: two minute fields and a switch per severity, then the working week."""
    attrs: dict[str, object] = {}
    for severity in Severity:
        key = severity.value
        attrs[f"ack_{key}"] = IntegerField(_l("Acknowledge within (minutes)"), validators=[
            InputRequired(), WholeRange(min=1, max=525600)])
        attrs[f"resolve_{key}"] = IntegerField(_l("Resolve within (minutes)"), validators=[
            InputRequired(), WholeRange(min=1, max=525600)])
        attrs[f"business_{key}"] = BooleanField(_l("Count business hours only"))
    attrs["timezone"] = SelectField(_l("Time zone of the working hours"))
    attrs["workdays"] = SelectMultipleField(_l("Working days"), coerce=coerce_id)
    attrs["start_time"] = StringField(_l("Working hours start"), validators=[_check_time])
    attrs["end_time"] = StringField(_l("Working hours end"), validators=[_check_time])
    attrs["holidays"] = TextAreaField(_l("Holidays"), validators=[Optional(), _check_dates],
                                      description=_l("One date per line, like 2026-10-01."))
    attrs["extra_workdays"] = TextAreaField(
        _l("Extra working days"), validators=[Optional(), _check_dates],
        description=_l("Weekend dates that are worked (make-up days)."))
    attrs["reopen_days"] = IntegerField(_l("Complaints can be reopened for (days)"),
                                        validators=[InputRequired(), WholeRange(min=0, max=365)])

    def validate_end_time(form: TrackerForm, field: StringField) -> None:
        if (form.start_time.data or "") >= (field.data or ""):
            raise ValidationError(_l("The working day must end after it starts."))

    def validate_timezone(form: TrackerForm, field: SelectField) -> None:
        if not is_timezone(field.data):
            raise ValidationError(_l("Choose a time zone from the list."))

    # The versions of the rows the form was filled from (``tracker.records.versions_stamp``).
    attrs["version"] = HiddenField()
    attrs["validate_end_time"] = validate_end_time
    attrs["validate_timezone"] = validate_timezone
    return type("PolicyForm", (TrackerForm,), attrs)


def _fill(form: TrackerForm, policies: dict[str, SlaPolicy]) -> None:
    for key, policy in policies.items():
        form[f"ack_{key}"].data = policy.ack_minutes
        form[f"resolve_{key}"].data = policy.resolve_minutes
        form[f"business_{key}"].data = policy.business_hours
    row = calendar_row()
    form.timezone.data, form.start_time.data, form.end_time.data = (
        row.timezone, row.start_time, row.end_time)
    form.workdays.data = [int(d) for d in row.workdays.split(",") if d.strip().isdigit()]
    form.holidays.data, form.extra_workdays.data = row.holidays, row.extra_workdays
    form.reopen_days.data = row.reopen_days


def _save(form: TrackerForm, policies: dict[str, SlaPolicy]) -> None:
    for key, policy in policies.items():
        policy.ack_minutes = form[f"ack_{key}"].data
        policy.resolve_minutes = form[f"resolve_{key}"].data
        policy.business_hours = bool(form[f"business_{key}"].data)
    row = calendar_for_edit()
    row.timezone, row.start_time, row.end_time = (
        form.timezone.data, form.start_time.data, form.end_time.data)
    row.workdays = ",".join(str(d) for d in sorted(set(form.workdays.data or [])))
    row.holidays = "\n".join(sorted(set((form.holidays.data or "").replace(",", " ").split())))
    row.extra_workdays = "\n".join(sorted(set(
        (form.extra_workdays.data or "").replace(",", " ").split())))
    row.reopen_days = form.reopen_days.data


def _policies() -> dict[str, SlaPolicy]:
    """Each severity's stored policy, or its defaults (not stored: reading writes nothing)."""
    found = {p.severity: p for p in db.session.scalars(sa.select(SlaPolicy))}
    for severity, (ack, resolve, business) in DEFAULTS.items():
        found.setdefault(severity, SlaPolicy(severity=severity, ack_minutes=ack,
                                             resolve_minutes=resolve, business_hours=business))
    return found


def _edited(policies: dict[str, SlaPolicy]) -> dict[str, Tracked]:
    """Every row the form edits, keyed as its version stamp names them."""
    return {**policies, "calendar": calendar_row()}


@bp.route("/complaint-deadlines", methods=["GET", "POST"])
def sla() -> Reply:
    if request.method == "POST":
        require_manage()
    form = policy_form_class()()
    form.timezone.choices = options(timezone_choices())
    form.workdays.choices = options(enumerate(WEEKDAYS))
    conflict = None
    if request.method == "GET":
        policies = _policies()
        _fill(form, policies)
        form.version.data = versions_stamp(_edited(policies))
    elif form.validate_on_submit():
        try:
            ensure_all_current(_edited(_policies()), form.version.data)
        except StaleRecord as stale:
            conflict = stale
            form.version.data = versions_stamp(_edited(_policies()))
        else:
            ensure_defaults()
            db.session.flush()
            _save(form, {p.severity: p for p in db.session.scalars(sa.select(SlaPolicy))})
            return done(_("The complaint deadlines are saved. New complaints use them; open "
                          "ones keep the deadlines they were given."), url_for("admin.sla"))
    return render_template("admin/sla.html", form=form, severities=list(Severity),
                           may_manage=may_manage_accounts(current_user), conflict=conflict
                           ), status_of(form, conflict)
