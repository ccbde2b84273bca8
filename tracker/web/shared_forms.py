"""Forms more than one blueprint shows: the sign-in form (its page, and the page of an
expired session), the file upload (agreements, rounds, notes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from tracker.web.forms import TrackerForm


class LoginForm(TrackerForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class UploadForm(TrackerForm):
    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose a file."))])
