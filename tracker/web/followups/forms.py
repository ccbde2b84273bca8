"""Follow-up forms: a new follow-up, and the actions on one (done, snooze, reassign, …)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from tracker.followups.services import NewFollowUp
from tracker.web.forms import (
    OptionalIdSelect,
    TrackerForm,
    VersionedForm,
    WholeRange,
    in_range,
    options,
    user_choices,
)

DAMAGED = _l("The form is damaged; reload the page.")

REPEAT_UNITS = {"days": _l("days"), "weeks": _l("weeks"), "months": _l("months")}


def _version(prefix: str) -> HiddenField:
    """The version an action was posted against; without it the form is damaged."""
    return HiddenField(id=f"{prefix}-version", validators=[InputRequired(message=DAMAGED)])


class FollowUpForm(TrackerForm):
    title = StringField(_l("Next step"), validators=[DataRequired(), Length(max=200)])
    owner_id = OptionalIdSelect(_l("Owner"), validators=[DataRequired()])
    due_on = DateField(_l("Due"), validators=[InputRequired(), in_range])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    repeat_unit = SelectField(_l("Repeat"))
    repeat_every = IntegerField(_l("Every"), validators=[Optional(), WholeRange(min=1, max=365)],
                                description=_l("e.g. 2 with “weeks” for every other week"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.owner_id.choices = user_choices(blank="")
        self.repeat_unit.choices = options([("", _l("Does not repeat")),
                                            *REPEAT_UNITS.items()])

    def to_input(self) -> NewFollowUp:
        """The validated form as the service takes it."""
        return NewFollowUp(title=self.title.data, due_on=self.due_on.data,
                           owner_id=self.owner_id.data or None, notes=self.notes.data or "",
                           repeat_every=self.repeat_every.data,
                           repeat_unit=self.repeat_unit.data or None)


class StatusForm(VersionedForm):
    """Complete or reopen: the button carries the version it was shown with."""

    version = _version("status")


class UndoForm(TrackerForm):
    """The flash's "Undo" button: nothing but the CSRF token (the version is in its link)."""


class SnoozeForm(VersionedForm):
    version = _version("snooze")
    due_on = DateField(_l("New due date"), id="snooze-due_on",
                       validators=[InputRequired(), in_range])
    reason = TextAreaField(_l("Reason"), id="snooze-reason",
                           validators=[DataRequired(message=_l("Say why it waits.")),
                                       Length(max=2000)])

    today = None  # set by the view: the user's today; an earlier date is refused

    def validate_due_on(self, field: DateField) -> None:
        if field.data is not None and self.today is not None and field.data < self.today:
            raise ValidationError(_l("Choose today or a later date."))


class ReassignForm(VersionedForm):
    version = _version("reassign")
    # The choice is checked below, with a message that says why.
    owner_id = OptionalIdSelect(_l("New owner"), id="reassign-owner_id", validate_choice=False,
                                validators=[DataRequired(message=_l("Choose a person."))])
    note = TextAreaField(_l("Note"), id="reassign-note",
                         validators=[Optional(), Length(max=2000)])

    def __init__(self, *args: object, people: list[tuple[int, str]] | None = None,
                 **kwargs: object) -> None:
        """``people`` (id, name): who it may go to, the people who may read the record it
        came from (``owner_choices``); None for one of no record: any active person."""
        super().__init__(*args, **kwargs)
        self.owner_id.choices = (user_choices(blank="") if people is None
                                 else options([("", ""), *people]))

    def validate_owner_id(self, field: OptionalIdSelect) -> None:
        if field.data is not None and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("This person may not see this record: choose someone "
                                     "who may."))


class CommentForm(TrackerForm):
    body = TextAreaField(_l("Comment"), id="comment-body",
                         validators=[DataRequired(), Length(max=5000)])


class CalendarForm(TrackerForm):
    """Create (or replace) the secret calendar address, or revoke it."""

    action = HiddenField(validators=[AnyOf(("create", "revoke"), message=DAMAGED)])
