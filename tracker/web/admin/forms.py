"""User and role forms."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    ValidationError,
)

from tracker.access import Area, Capability, Level
from tracker.access.defaults import role_label
from tracker.accounts.services import AreaGrant, RoleInput, UserInput
from tracker.extensions import db
from tracker.i18n import LANGUAGE_NAMES, is_timezone, timezone_choices
from tracker.memberships import decode, posted_state
from tracker.models import Role, User
from tracker.web.forms import VersionedForm, WholeRange, options, team_choices


class UserForm(VersionedForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    roles = SelectMultipleField(_l("Roles"), coerce=int)
    teams = SelectMultipleField(_l("Teams"), coerce=int)
    lead_of = SelectMultipleField(_l("Lead of"), coerce=int,
                                  description=_l("Teams this person leads (also members)."))
    locale = SelectField(_l("Language"))
    timezone = SelectField(_l("Time zone"))
    teams_loaded = HiddenField()  # tracker.memberships: what the form showed

    def __init__(self, *args: object, user: User | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._user = user
        self.roles.choices = options((r.id, role_label(r)) for r in db.session.scalars(
            sa.select(Role).where(Role.archived_at.is_(None)).order_by(Role.label)))
        self.teams.choices = team_choices()
        self.lead_of.choices = team_choices()
        self.locale.choices = options([("", _l("As the browser prefers")),
                                       *LANGUAGE_NAMES.items()])
        self.timezone.choices = options([("", _l("The organisation's default")),
                                         *timezone_choices()])

    def validate_email(self, field: EmailField) -> None:
        email = (field.data or "").strip().lower()
        clash = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))
        if clash is not None and clash is not self._user:
            raise ValidationError(_l("Another user has this email address."))

    def validate_timezone(self, field: SelectField) -> None:
        if field.data and not is_timezone(field.data):
            raise ValidationError(_l("Choose a time zone from the list."))

    def to_input(self) -> UserInput:
        """The validated form as the service takes it: the ticked teams and leads as a
        membership state, and the hidden state the form was loaded with."""
        return UserInput(
            name=self.name.data, email=self.email.data, locale=self.locale.data or None,
            timezone=self.timezone.data or None, role_ids=tuple(self.roles.data or ()),
            teams=posted_state(self.teams.data, self.lead_of.data),
            teams_loaded=decode(self.teams_loaded.data))


class RoleForm(VersionedForm):
    name = StringField(_l("Key"), validators=[DataRequired(), Length(max=50)],
                       description=_l("Lower-case letters, digits and underscores."))
    label = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args: object, role: Role | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._role = role

    def validate_name(self, field: StringField) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,49}", field.data or ""):
            raise ValidationError(_l("Use lower-case letters, digits and underscores."))
        clash = db.session.scalar(sa.select(Role).where(Role.name == field.data))
        if clash is not None and clash is not self._role:
            raise ValidationError(_l("Another role has this key."))

    def to_input(self) -> RoleInput:
        """The validated form, with its grant matrix (``grant_form_class``), as the
        service takes it."""
        return RoleInput(
            name=self.name.data, label=self.label.data, description=self.description.data or "",
            grants=tuple(AreaGrant(area=area.value, read=self[f"read_{area.value}"].data,
                                   write=self[f"write_{area.value}"].data) for area in Area),
            capabilities=tuple(cap.value for cap in Capability
                               if self[f"cap_{cap.value}"].data))


def grant_form_class() -> type[RoleForm]:
    """RoleForm with a read and a write select per area and a box per capability."""
    attrs: dict[str, object] = {}
    levels = options((level.value, level.label) for level in Level)
    for area in Area:
        attrs[f"read_{area.value}"] = SelectField(area.label, coerce=int, choices=levels)
        attrs[f"write_{area.value}"] = SelectField(area.label, coerce=int,
                                                   choices=levels)
    for cap in Capability:
        attrs[f"cap_{cap.value}"] = BooleanField(cap.label)
    return type("GrantMatrixForm", (RoleForm,), attrs)


class CategoryForm(VersionedForm):
    name = StringField(_l("English name"), validators=[DataRequired(), Length(max=60)])
    name_zh = StringField(_l("Chinese name"), validators=[DataRequired(), Length(max=60)])
    position = IntegerField(_l("Order"), validators=[Optional(), WholeRange(min=0, max=10000)],
                            description=_l("Smaller numbers come first in the lists."))
