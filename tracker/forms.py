"""Form pieces shared by every blueprint: the version field and record choices."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from tracker.extensions import db
from tracker.models import Team, User


class VersionedForm(FlaskForm):
    """A form for a tracked record: carries the version it was filled in against."""

    version = HiddenField()

    def validate_version(self, field: HiddenField) -> None:
        if field.data and not str(field.data).isdigit():
            raise ValidationError(_l("The form is damaged; reload the page."))


def options(pairs: object) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs; labels are rendered in the user's language."""
    return [SelectChoice(value=value, label=str(label)) for value, label in pairs]


def coerce_optional_int(value: object) -> int | None:
    """'' and None mean no choice; anything else must be a whole number."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return -1  # never a valid id: the choice check then refuses it


def user_choices(blank: str | None = None) -> list[SelectChoice]:
    """Active users by name, for owner and assignee fields."""
    users = db.session.execute(
        sa.select(User.id, User.name).where(User.archived_at.is_(None), User.is_enabled)
        .order_by(User.name)).all()
    head = [("", blank)] if blank is not None else []
    return options(head + [(uid, name) for uid, name in users])


def team_choices(blank: str | None = None) -> list[SelectChoice]:
    """Teams by name."""
    teams = db.session.execute(
        sa.select(Team.id, Team.name).where(Team.archived_at.is_(None)).order_by(Team.name)).all()
    head = [("", blank)] if blank is not None else []
    return options(head + [(tid, name) for tid, name in teams])


class OptionalIdSelect(SelectField):
    """A select of record ids where the empty choice means none."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("coerce", coerce_optional_int)
        kwargs.setdefault("validate_choice", True)
        super().__init__(*args, **kwargs)
