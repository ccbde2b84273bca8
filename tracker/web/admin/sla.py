"""The complaint deadline policy: minutes per severity and the working week."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

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
from tracker.clients.complaints.public_holidays import Filled, covered_years, fill_year
from tracker.extensions import db
from tracker.i18n import is_timezone, local_today, timezone_choices
from tracker.models import Severity, SlaPolicy, Tracked
from tracker.records import StaleRecord, ensure_all_current, ensure_current, versions_stamp
from tracker.web.admin import bp
from tracker.web.admin.guards import require_manage
from tracker.web.forms import WEEKDAYS, TrackerForm, WholeRange, coerce_id, options
from tracker.web.kit import Reply, Submission, done, status_of

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


# A policy's times are typed in hours or days; minutes are what is stored and counted.
UNITS = (("hours", _l("hours")), ("days", _l("days")))
MAX_MINUTES = 525600  # a year


def day_minutes(start: str | None, end: str | None, business: bool) -> int:
    """How many counted minutes "a day" is: a working day (start to end) when only business
    hours count, else 24 hours. Unreadable times (a refused form): a 9-hour day."""
    if not business:
        return 1440
    try:
        opens, closes = (datetime.strptime(t or "", "%H:%M") for t in (start, end))
    except ValueError:
        return 540
    return int((closes - opens).total_seconds() // 60) or 540


def minutes_shown(minutes: int, day: int) -> tuple[str, str]:
    """Stored minutes as the form shows them: whole days when they are, else hours (up to
    two decimals: 30 minutes read 0.5)."""
    if minutes % day == 0:
        return str(minutes // day), "days"
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01")).normalize()
    return f"{hours:f}", "hours"


def _amount(text: str | None) -> Decimal | None:
    try:
        value = Decimal((text or "").strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None


def policy_form_class() -> type[TrackerForm]:
    """The form: two times (an amount and hours or days) and a switch per severity, then
    the working week."""
    attrs: dict[str, object] = {}
    for severity in Severity:
        key = severity.value
        for kind, label in (("ack", _l("Acknowledge within")), ("resolve", _l("Resolve within"))):
            attrs[f"{kind}_{key}"] = StringField(label, validators=[InputRequired()])
            attrs[f"{kind}_{key}_unit"] = SelectField(_l("Unit"), choices=options(UNITS),
                                                      default="hours")
        attrs[f"business_{key}"] = BooleanField(_l("Count business hours only"))
    attrs["timezone"] = SelectField(_l("Time zone of the working hours"))
    # Named on the select itself: the multiple-choice picker takes over its <label>.
    attrs["workdays"] = SelectMultipleField(_l("Working days"), coerce=coerce_id,
                                            render_kw={"aria-label": _l("Working days")})
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

    def minutes(form: TrackerForm, kind: str, key: str) -> int | None:
        """The minutes a time field stands for, None when it is not a usable amount."""
        amount = _amount(form[f"{kind}_{key}"].data)
        if amount is None:
            return None
        unit = form[f"{kind}_{key}_unit"].data
        per = (day_minutes(form.start_time.data, form.end_time.data,
                           bool(form[f"business_{key}"].data)) if unit == "days" else 60)
        try:
            return int((amount * per).to_integral_value())
        except (ArithmeticError, ValueError):  # astronomically large: out of range below
            return MAX_MINUTES + 1

    def validate(form: TrackerForm, extra_validators: dict | None = None) -> bool:
        valid = TrackerForm.validate(form, extra_validators)
        for severity in Severity:
            for kind in ("ack", "resolve"):
                field = form[f"{kind}_{severity.value}"]
                if field.errors:
                    continue
                counted = minutes(form, kind, severity.value)
                if counted is None:
                    field.errors = [*field.errors, _l(
                        "Enter a number of hours or days, like 4 or 0.5.")]
                    valid = False
                elif not 1 <= counted <= MAX_MINUTES:
                    field.errors = [*field.errors, _l(
                        "Between a minute and a year (8760 hours or 365 days).")]
                    valid = False
        return valid

    # The versions of the rows the form was filled from (``tracker.records.versions_stamp``).
    attrs["version"] = HiddenField()
    attrs["validate_end_time"] = validate_end_time
    attrs["validate_timezone"] = validate_timezone
    attrs["minutes"] = minutes
    attrs["validate"] = validate
    return type("PolicyForm", (TrackerForm,), attrs)


def _fill(form: TrackerForm, policies: dict[str, SlaPolicy]) -> None:
    row = calendar_row()
    for key, policy in policies.items():
        day = day_minutes(row.start_time, row.end_time, policy.business_hours)
        for kind, stored in (("ack", policy.ack_minutes), ("resolve", policy.resolve_minutes)):
            form[f"{kind}_{key}"].data, form[f"{kind}_{key}_unit"].data = minutes_shown(
                stored, day)
        form[f"business_{key}"].data = policy.business_hours
    form.timezone.data, form.start_time.data, form.end_time.data = (
        row.timezone, row.start_time, row.end_time)
    form.workdays.data = [int(d) for d in row.workdays.split(",") if d.strip().isdigit()]
    form.holidays.data, form.extra_workdays.data = row.holidays, row.extra_workdays
    form.reopen_days.data = row.reopen_days


def _save(form: TrackerForm, policies: dict[str, SlaPolicy]) -> None:
    for key, policy in policies.items():
        policy.ack_minutes = form.minutes("ack", key)
        policy.resolve_minutes = form.minutes("resolve", key)
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
    return _page(form, conflict=conflict), status_of(form, conflict)


HOLIDAYS = "holidays"  # the fill form's prefix: its fields beside the policy form's, ids apart


class HolidayFillForm(TrackerForm):
    """Fill a year's public holidays and make-up working days into the working calendar."""

    year = IntegerField(_l("Year"), validators=[InputRequired(), WholeRange(min=1900, max=2100)])
    version = HiddenField()  # the working calendar's, as the page showed it

    def validate_year(self, field: IntegerField) -> None:
        covered = covered_years()
        if field.errors or not isinstance(field.data, int) or abs(field.data) > 9999:
            return  # already refused as out of range
        if field.data not in covered:
            raise ValidationError(_l(
                "The installed chinese-calendar package knows the holidays of %(first)d to "
                "%(last)d only, not %(year)d: enter that year's dates by hand below (or "
                "update the package when the State Council has published them).",
                first=covered[0], last=covered[-1], year=field.data))


def _holiday_form(form: HolidayFillForm | None = None) -> HolidayFillForm:
    if form is None:
        form = HolidayFillForm(formdata=None, prefix=HOLIDAYS)
        # December prepares next year, when the package knows it; else the latest it knows.
        today, covered = local_today(), covered_years()
        wanted = today.year + 1 if today.month == 12 else today.year
        form.year.data = wanted if wanted in covered else min(today.year, covered[-1])
    form.version.data = calendar_row().version or 0
    return form


def _page(form: TrackerForm, *, conflict: StaleRecord | None = None,
          holiday_form: HolidayFillForm | None = None) -> str:
    covered = covered_years()
    return render_template("admin/sla.html", form=form, severities=list(Severity),
                           may_manage=may_manage_accounts(current_user), conflict=conflict,
                           holiday_form=_holiday_form(holiday_form),
                           covered=(covered[0], covered[-1]))


def _fill_holidays(form: HolidayFillForm) -> Filled:
    shown = calendar_row()
    if shown.id is not None:  # a stored calendar changed since the page: say what changed
        ensure_current(shown, form.version.data)
    return fill_year(calendar_for_edit(), form.year.data)


@bp.route("/complaint-deadlines/holidays", methods=["POST"])
def sla_holidays() -> Reply:
    """Fill the working calendar with a year of mainland China's public holidays."""
    require_manage()
    holidays = HolidayFillForm(prefix=HOLIDAYS)
    form = policy_form_class()()
    form.timezone.choices = options(timezone_choices())
    form.workdays.choices = options(enumerate(WEEKDAYS))
    policies = _policies()
    _fill(form, policies)
    form.version.data = versions_stamp(_edited(policies))
    post = Submission(holidays)
    if not post.saved(lambda: _fill_holidays(holidays)):
        return _page(form, conflict=post.conflict, holiday_form=holidays), post.status
    filled = post.value
    return done(_("Added %(holidays)d public holiday dates and %(workdays)d make-up working "
                  "days for %(year)d to the working calendar. Check them below; edit and save "
                  "as needed.", holidays=filled.holidays, workdays=filled.workdays,
                  year=filled.year), url_for("admin.sla"))
