"""Team form."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from tracker.extensions import db
from tracker.memberships import decode
from tracker.models import ReportCadence, Team
from tracker.teams.services import TeamInput
from tracker.web.forms import WEEKDAYS, OptionalIdSelect, VersionedForm, options, user_choices


class TeamForm(VersionedForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    members = SelectMultipleField(_l("Members"), coerce=int)
    leads = SelectMultipleField(_l("Leads"), coerce=int,
                                description=_l("Leads are members too."))
    report_cadence = SelectField(_l("Progress reports"))
    weekly_report_day = OptionalIdSelect(
        _l("Weekly report to the leads"),
        description=_l("The day last week's report (周报) is sent to the team's leads, in "
                       "the app and by email, in each lead's language."))
    members_loaded = HiddenField()  # tracker.memberships: what the form showed

    def __init__(self, *args: object, team: Team | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._team = team
        self.report_cadence.choices = options((c.value, c.label) for c in ReportCadence)
        self.weekly_report_day.choices = options(
            [("", _l("Not sent"))] + list(enumerate(WEEKDAYS)))
        people = user_choices()
        self.members.choices = people
        self.leads.choices = people

    def validate_name(self, field: StringField) -> None:
        clash = db.session.scalar(sa.select(Team).where(Team.name == (field.data or "").strip()))
        if clash is not None and clash is not self._team:
            raise ValidationError(_l("Another team has this name."))

    def to_input(self) -> TeamInput:
        """The validated form as the service takes it, with the membership it showed."""
        return TeamInput(name=self.name.data, description=self.description.data or "",
                         report_cadence=self.report_cadence.data or "weekly",
                         weekly_report_day=self.weekly_report_day.data,
                         members=tuple(self.members.data or ()),
                         leads=tuple(self.leads.data or ()),
                         members_loaded=decode(self.members_loaded.data))
