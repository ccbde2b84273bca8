"""Forms of the clients blueprint: progress notes, requirements and their workflow."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    Field,
    FieldList,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from tracker.clients.services import NextStep, NoteInput, RequirementInput
from tracker.clients.workflow import check_requirement_move, requirement_moves
from tracker.i18n import local_to_utc
from tracker.models import Contact, Requirement, RequirementStatus, Visibility, utcnow
from tracker.web.conversation_forms import EXTRA_ROWS, NextStepForm, NextStepList, RoundForm
from tracker.web.forms import OptionalIdSelect, VersionedForm, options, user_choices
from tracker.workflow import MoveRefused

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def check_moment(field: DateTimeLocalField) -> None:
    """A typed date and time the zone conversion and the database can hold."""
    if field.data and not 1900 <= field.data.year <= 2999:
        raise ValidationError(_l("Enter a date between the years 1900 and 2999."))


def check_next_steps(field: FieldList) -> None:
    """Each next step with a title needs a due date.

    NextStepForm's own check never runs on an empty date (``Optional`` ends the chain
    first), and a follow-up without a due date cannot be stored.
    """
    missing = False
    for row in field.entries:
        due_on = row.form.due_on
        if (row.form.title.data or "").strip() and not due_on.data and not due_on.errors:
            due_on.errors.append(str(_l("A next step needs a due date.")))
            missing = True
    if missing:
        raise ValidationError(_l("A next step needs a due date."))


def next_steps_of(field: FieldList) -> tuple[NextStep, ...]:
    """The rows of a next-steps list that were filled in (blank rows are left out)."""
    return tuple(
        NextStep(title=row.form.title.data, owner_id=row.form.owner_id.data,
                 due_on=row.form.due_on.data)
        for row in field.entries if (row.form.title.data or "").strip())


def contact_options(contacts: Iterable[Contact], blank: str | None = None) -> list:
    head = [("", blank)] if blank is not None else []
    return options(head + [(c.id, c.name) for c in contacts])


class NoteForm(RoundForm):
    """A progress note on a client: a conversation without negotiation topics."""

    topics = None
    outcome = None
    visibility = SelectField(
        _l("Visibility"), default=Visibility.INTERNAL.value,
        description=_l("Internal notes stay with us; shared notes may be shown to the client."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.visibility.choices = options((v.value, v.label) for v in Visibility)

    def validate_occurred_at(self, field: DateTimeLocalField) -> None:
        check_moment(field)
        inherited = getattr(super(), "validate_occurred_at", None)
        if inherited is not None:  # RoundForm's own check, should it get one
            inherited(field)

    def validate_next_steps(self, field: FieldList) -> None:
        check_next_steps(field)

    def to_input(self) -> NoteInput:
        """The validated form as the service takes it (the time typed in the user's zone
        becomes aware UTC)."""
        return NoteInput(
            kind=self.kind.data, occurred_at=local_to_utc(self.occurred_at.data),
            title=self.title.data, body=self.body.data or "",
            visibility=Visibility(self.visibility.data),
            is_confidential=bool(self.is_confidential.data),
            our_people=tuple(self.our_people.data or ()),
            their_people=tuple(self.their_people.data or ()),
            next_steps=next_steps_of(self.next_steps))


class RequirementForm(VersionedForm):
    title = StringField(_l("Requirement"), validators=[DataRequired(), Length(max=200)])
    wording = TextAreaField(
        _l("Wording"), validators=[Optional(), Length(max=20000)],
        description=_l("As the client put it. Changing the wording of a confirmed requirement "
                       "sends it back for confirmation; the earlier wording is kept."))
    asked_by_id = OptionalIdSelect(_l("Asked by"))
    owner_id = OptionalIdSelect(_l("Owner"))
    next_steps = NextStepList(FormField(NextStepForm), min_entries=0, max_entries=20)

    def __init__(self, *args: object, contacts: Iterable[Contact] = (),
                 step_owners: list[tuple[int, str]] | None = None,
                 default_step_owner: int | None = None, **kwargs: object) -> None:
        """``step_owners`` (id, name): who a next step may be given to, the people who may
        read the requirement (``owner_choices``); ``default_step_owner`` starts the spare
        rows (the writer)."""
        super().__init__(*args, **kwargs)
        self.asked_by_id.choices = contact_options(contacts, blank=str(_l("— not recorded —")))
        self.owner_id.choices = user_choices(blank=str(_l("— nobody —")))
        if step_owners is not None:
            self.next_steps.offer(step_owners, default_step_owner)

    def validate_next_steps(self, field: FieldList) -> None:
        check_next_steps(field)

    def to_input(self) -> RequirementInput:
        """The validated form as the service takes it."""
        return RequirementInput(
            title=self.title.data, wording=self.wording.data or "",
            asked_by_id=self.asked_by_id.data, owner_id=self.owner_id.data,
            next_steps=next_steps_of(self.next_steps))


class RequirementMoveForm(VersionedForm):
    """A step in the requirement workflow; confirming needs who confirmed it and when."""

    # Any value is read: the workflow check refuses a move with its reason, on this field.
    status = SelectField(_l("Move to"), validate_choice=False, validators=[
        DataRequired(message=_l("Choose the new status."))])
    confirmed_by_id = OptionalIdSelect(_l("Confirmed by (client side)"))
    confirmed_at = DateTimeLocalField(_l("Confirmed on"), format=DATETIME_FORMATS,
                                      validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args: object, requirement: Requirement,
                 contacts: Iterable[Contact] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.requirement = requirement
        self.status.choices = options((s.value, s.label) for s in requirement_moves(requirement))
        self.confirmed_by_id.choices = contact_options(contacts, blank="")

    def validate_status(self, field: SelectField) -> None:
        try:
            check_requirement_move(self.requirement, field.data)
        except MoveRefused as refused:
            raise ValidationError(str(refused)) from None

    def validate_confirmed_at(self, field: DateTimeLocalField) -> None:
        check_moment(field)
        if field.data and local_to_utc(field.data) > utcnow() + timedelta(minutes=5):
            raise ValidationError(_l("A confirmation cannot be in the future."))

    def validate(self, extra_validators: dict | None = None) -> bool:
        # Checks across fields run here: an empty optional field ends its own checks early.
        valid = super().validate(extra_validators)
        if self.status.errors:
            return False
        if self.status.data == RequirementStatus.CONFIRMED:
            valid &= needs(self.confirmed_by_id, _l("Say who confirmed it on the client's side."))
            valid &= needs(self.confirmed_at, _l("Say when it was confirmed."))
        if self.status.data in RequirementStatus.needs_reason:
            valid &= needs(self.reason, _l("Say why."))
        return valid

    def confirmed_utc(self) -> datetime | None:
        """The confirmation time typed in the user's zone, as aware UTC (None if empty)."""
        return local_to_utc(self.confirmed_at.data) if self.confirmed_at.data else None


def needs(field: Field, message: str) -> bool:
    """Mark an empty field as needed here; False when it was empty."""
    value = field.data.strip() if isinstance(field.data, str) else field.data
    if value or field.errors:
        return not field.errors
    field.errors = [*field.errors, str(message)]
    return False


def pad_next_steps(form: NoteForm | RequirementForm) -> None:
    """Blank next-step rows to fill in, so no script is needed to add one."""
    for _i in range(EXTRA_ROWS):
        if len(form.next_steps.entries) < form.next_steps.max_entries:
            form.next_steps.append_entry()
