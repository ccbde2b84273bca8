"""Form pieces shared by every blueprint: the version field and record choices."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, HiddenField, SelectField
from wtforms import Form as WTForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, StopValidation, ValidationError

from tracker.extensions import db
from tracker.models import Team, User
from tracker.text import drop_control, whole_number
from tracker.web.widgets import FastSelect, choices_of, pickable

F = TypeVar("F", bound=FlaskForm)


def _bind_with_filter(form: object, unbound_field: Any, options: dict) -> Any:
    """Bind a field with the control-character filter (lists and sub-forms filter inside)."""
    if issubclass(unbound_field.field_class, FieldList | FormField):
        return unbound_field.bind(form=form, **options)
    filters = [*unbound_field.kwargs.get("filters", ()), drop_control]
    return unbound_field.bind(form=form, filters=filters, **options)


class TrackerForm(FlaskForm):
    """Every form of the app: control characters never reach the database."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form: object, unbound_field: Any, options: dict) -> Any:
            return _bind_with_filter(form, unbound_field, options)


class TrackerSubForm(WTForm):
    """A row inside a form (a topic, a next step): no CSRF token of its own, same filters."""

    class Meta(WTForm.Meta):
        def bind_field(self, form: object, unbound_field: Any, options: dict) -> Any:
            return _bind_with_filter(form, unbound_field, options)


class VersionedForm(TrackerForm):
    """A form for a tracked record: carries the version it was filled in against."""

    version = HiddenField()

    def validate_version(self, field: HiddenField) -> None:
        if field.data and whole_number(field.data) is None:
            raise ValidationError(_l("The form is damaged; reload the page."))


def bound_form(form_class: type[F], record: object, **kwargs: Any) -> F:
    """The form for editing ``record``: filled from it on GET, from the post alone on POST.

    On POST the record must not fill in fields the post left out, or a missing version
    would pass the stale-form check and a missing field would keep its old value.
    """
    obj = record if request.method == "GET" else None
    form = form_class(obj=obj, **kwargs)
    if obj is not None and hasattr(record, "version"):
        form.version.data = record.version
    return form


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs; labels are rendered in the user's language."""
    return choices_of(tuple((value, str(label)) for value, label in pairs))


def in_range(form: object, field: Any) -> None:
    """Dates and times between the years 1900 and 2999: beyond that is a typing slip, and
    converting between zones would overflow."""
    value = field.data
    if value is not None and not 1900 <= value.year <= 2999:
        raise ValidationError(_l("Enter a date between the years 1900 and 2999."))


class WholeRange(NumberRange):
    """NumberRange for whole numbers of any size: NumberRange tests them with
    ``math.isnan``, which fails on an integer too large for a float (a 500 where the form
    should say the number is out of range)."""

    def __call__(self, form: object, field: Any) -> None:
        if isinstance(field.data, int) and abs(field.data) > 2**53:
            field.data = math.inf if field.data > 0 else -math.inf  # outside any range here
        super().__call__(form, field)


def finite(form: object, field: Any) -> None:
    """Amounts must be real numbers: 'NaN' and 'Infinity' parse as decimals but are not."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("Enter an amount, like 12000.50."))


def coerce_optional_int(value: object) -> int | None:
    """'' and None mean no choice; anything else must be a whole number."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    number = whole_number(value)
    return -1 if number is None else number  # -1 is never an id: the choice check refuses it


def coerce_id(value: object) -> int:
    """Coerce for multi-selects of ids: nonsense becomes -1, which no choice matches."""
    if isinstance(value, int):
        return value
    number = whole_number(value)
    return -1 if number is None else number


def active_users() -> list[tuple[int, str]]:
    """Active users (id, name) by name: one statement."""
    return [(uid, name) for uid, name in db.session.execute(
        sa.select(User.id, User.name).where(User.archived_at.is_(None), User.is_enabled)
        .order_by(User.sort_name))]


def user_choices(blank: str | None = None) -> list[SelectChoice]:
    """Active users by name, for owner and assignee fields; typed into, pinyin too
    (``/pick/person``)."""
    from flask import has_request_context

    from tracker.urls import url_for

    head = [("", blank)] if blank is not None else []
    choices = options(head + active_users())
    if not has_request_context():
        return choices
    return pickable(choices, url_for("main.pick", kind="person"))


def team_choices(blank: str | None = None) -> list[SelectChoice]:
    """Teams by name."""
    teams = db.session.execute(
        sa.select(Team.id, Team.name).where(Team.archived_at.is_(None))
        .order_by(Team.sort_name)).all()
    head = [("", blank)] if blank is not None else []
    return options(head + [(tid, name) for tid, name in teams])


class OptionalIdSelect(SelectField):
    """A select of record ids where the empty choice means none."""

    widget = FastSelect()

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("coerce", coerce_optional_int)
        kwargs.setdefault("validate_choice", True)
        super().__init__(*args, **kwargs)


# The days of the week, Monday first (date.weekday() numbering).
WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
            _l("Saturday"), _l("Sunday"))
