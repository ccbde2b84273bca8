"""Sign-in, password and settings forms."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from tracker.i18n import LANGUAGE_NAMES, is_timezone, timezone_choices
from tracker.web.forms import TrackerForm, VersionedForm, options


def check_new_password(form: TrackerForm, field: PasswordField) -> None:
    """Long enough, and not an obvious one."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(field.data or "") < minimum:
        raise ValidationError(_l("Use at least %(n)d characters.", n=minimum))
    if (field.data or "").lower() in {"password123", "1234567890", "tracker-demo"}:
        raise ValidationError(_l("This password is too easy to guess."))


class ChangePasswordForm(TrackerForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(), Length(max=200)])
    new_password = PasswordField(_l("New password"),
                                 validators=[DataRequired(), Length(max=200), check_new_password])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))])


class SettingsForm(VersionedForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    locale = SelectField(_l("Language"))
    timezone = SelectField(_l("Time zone"))
    digest_hour = SelectField(_l("Daily reminder at"), coerce=int, description=_l(
        "Your due and overdue follow-ups, once a day, at this hour in your time zone."))
    email_digest = BooleanField(_l("Also email me the daily reminder"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.digest_hour.choices = options((h, f"{h:02d}:00") for h in range(24))
        self.locale.choices = options([("", _l("As my browser prefers")),
                                       *LANGUAGE_NAMES.items()])
        self.timezone.choices = options([("", _l("The organisation's default")),
                                         *timezone_choices()])

    def validate_timezone(self, field: SelectField) -> None:
        if field.data and not is_timezone(field.data):
            raise ValidationError(_l("Choose a time zone from the list."))
