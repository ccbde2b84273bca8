"""Goal and check-in forms."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, DecimalField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from tracker.access import Action, can
from tracker.models import Goal, Team, User
from tracker.teams.goals import queries
from tracker.teams.goals.services import GoalInput
from tracker.web.forms import OptionalIdSelect, TrackerForm, VersionedForm, in_range, options

LIMIT = Decimal("999999999999.99")  # what a Numeric(14, 2) column holds
CENT = Decimal("0.01")


def strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def exact_amount(form: object, field: DecimalField) -> None:
    """A real number the column stores exactly: finite, in range, at most two decimals."""
    value = field.data
    if value is None:
        return
    if not value.is_finite():
        raise StopValidation(_l("Enter a number, like 12.5."))
    if abs(value) > LIMIT:
        raise StopValidation(_l("Enter a number between -999,999,999,999.99 and "
                                "999,999,999,999.99."))
    if value != value.quantize(CENT):
        raise StopValidation(_l("Use at most two decimal places."))


def _amount(label: object, description: object = None) -> DecimalField:
    return DecimalField(label, places=2, description=description,
                        validators=[InputRequired(message=_l("Enter a number.")),
                                    exact_amount])


class GoalForm(VersionedForm):
    title = StringField(_l("What exactly"), filters=[strip],
                        validators=[DataRequired(), Length(max=200)],
                        description=_l("One specific result, e.g. “Fewer complaints from key "
                                       "accounts”."))
    metric = StringField(_l("Metric"), filters=[strip],
                         validators=[DataRequired(), Length(max=120)],
                         description=_l("What is measured, e.g. complaints per 100 orders."))
    unit = StringField(_l("Unit"), filters=[strip], validators=[Optional(), Length(max=20)],
                       description=_l("e.g. %, orders, CNY"))
    baseline = _amount(_l("Baseline"), _l("Where the metric stands at the start."))
    target = _amount(_l("Target"), _l("Where it should be by the due date; lower than the "
                                      "baseline for a goal that goes down."))
    why = TextAreaField(_l("Why it matters"), filters=[strip],
                        validators=[DataRequired(), Length(max=5000)])
    parent_id = OptionalIdSelect(_l("Part of"), validate_choice=False)
    starts_on = DateField(_l("Start"), validators=[Optional(), in_range],
                          description=_l("Empty: the day the goal is set."))
    due_on = DateField(_l("Due"), validators=[DataRequired(), in_range])
    owner_id = OptionalIdSelect(_l("Owner"), validate_choice=False)

    def __init__(self, *args: object, team: Team, user: User, goal: Goal | None = None,
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._team = team
        self._goal = goal
        self._parents = queries.eligible_parents(user, team, goal)
        self.parent_id.choices = options(
            [("", str(_l("— none: a goal of its own —")))]
            + [(g.id, g.title) for g in self._parents])
        self._owners = queries.owner_candidates(team, user, goal.owner_id if goal else None)
        self.owner_id.choices = options([("", "")] + [(u.id, u.name) for u in self._owners])

    def validate_target(self, field: DecimalField) -> None:
        base = self.baseline.data
        if (field.data is not None and field.data.is_finite() and base is not None
                and base.is_finite() and field.data == base):
            raise ValidationError(_l("The target must differ from the baseline."))

    def validate_due_on(self, field: DateField) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The due date comes before the start."))

    def validate_parent_id(self, field: OptionalIdSelect) -> None:
        if field.data is None or field.data in {g.id for g in self._parents}:
            return
        parent = queries.goal_by_id(field.data)
        if parent is not None and not can(current_user, Action.READ, parent):
            parent = None  # a goal the user may not see gets the same answer as none at all
        if parent is not None and parent.team_id != self._team.id:
            raise ValidationError(_l("Choose a goal of this team."))
        if self._goal is not None and parent is not None and (
                parent.id == self._goal.id
                or parent.id in queries.descendant_ids(self._goal)):
            raise ValidationError(_l("A goal cannot be part of itself or of its own "
                                     "sub-goals."))
        raise ValidationError(_l("Choose a goal from the list."))

    def validate_owner_id(self, field: OptionalIdSelect) -> None:
        if field.data is None:
            raise ValidationError(_l("Choose who owns this goal."))
        if field.data not in {u.id for u in self._owners}:
            raise ValidationError(_l("Choose the owner from the list."))

    def to_input(self) -> GoalInput:
        """The validated form as the service takes it."""
        return GoalInput(title=self.title.data, metric=self.metric.data,
                         unit=self.unit.data or "", baseline=self.baseline.data,
                         target=self.target.data, why=self.why.data,
                         parent_id=self.parent_id.data, starts_on=self.starts_on.data,
                         due_on=self.due_on.data, owner_id=self.owner_id.data)


class CheckInForm(TrackerForm):
    value = _amount(_l("Value now"))
    note = TextAreaField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=2000)],
                         description=_l("What moved the number, or what holds it back."))
