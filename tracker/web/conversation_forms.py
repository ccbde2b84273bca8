"""Form pieces of a conversation, shared by the partners' negotiation rounds and the
clients' progress notes (one model, ``Conversation``): the round form with its topics
and next-step rows. Shared web code, not a blueprint."""

from __future__ import annotations

from datetime import datetime

from flask import request
from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import (
    DataRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from tracker.i18n import local_to_utc
from tracker.models import Conversation, ConversationKind, TopicStatus
from tracker.partners.services import NextStep, RoundInput, Topic
from tracker.web.checklist import ChecklistField
from tracker.web.forms import (
    OptionalIdSelect,
    TrackerSubForm,
    VersionedForm,
    coerce_id,
    in_range,
    options,
    user_choices,
)

EXTRA_ROWS = 2  # empty topic and next-step rows offered below the filled ones


def local_input(moment: datetime) -> datetime:
    """An aware moment as the naive local minute a datetime-local field shows."""
    local = moment.astimezone(get_timezone())
    return datetime(local.year, local.month, local.day, local.hour, local.minute)


class TopicForm(TrackerSubForm):
    subject = StringField(_l("Topic"), validators=[Optional(), Length(max=200)])
    our_position = TextAreaField(_l("Our position"), validators=[Optional(), Length(max=5000)])
    their_position = TextAreaField(_l("Their position"),
                                   validators=[Optional(), Length(max=5000)])
    status = SelectField(_l("Outcome"))
    resolution = TextAreaField(_l("What was agreed / what is open"),
                               validators=[Optional(), Length(max=5000)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = options((s.value, s.label) for s in TopicStatus)

    def to_input(self) -> Topic:
        """The row as the round's service takes it."""
        return Topic(subject=(self.subject.data or "").strip(),
                     our_position=self.our_position.data or "",
                     their_position=self.their_position.data or "",
                     status=self.status.data, resolution=self.resolution.data or "")


def _needed_with_title(message: object) -> object:
    """Stop at an empty value on a blank row, but insist on it when the row has a title."""

    def check(form: TrackerSubForm, field: object) -> None:
        if not field.raw_data or not (field.raw_data[0] or "").strip():
            field.errors[:] = []
            if (form.title.data or "").strip():
                raise StopValidation(str(message))
            raise StopValidation()

    return check


class NextStepForm(TrackerSubForm):
    title = StringField(_l("Next step"), validators=[Optional(), Length(max=200)])
    # The choice is checked below, with a message that says why (see ``NextStepList``).
    owner_id = OptionalIdSelect(_l("Owner"), validate_choice=False)
    due_on = DateField(_l("Due"), validators=[
        _needed_with_title(_l("A next step needs a due date.")), in_range])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.owner_id.choices = user_choices(blank="")

    def validate_owner_id(self, field: OptionalIdSelect) -> None:
        if self.title.data and not field.data:
            raise ValidationError(_l("A next step needs an owner."))
        if field.data is not None and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("This person may not see this record: choose someone "
                                     "who may."))

    def to_input(self) -> NextStep:
        """The row as the round's service takes it (a follow-up once the round is saved)."""
        return NextStep(title=(self.title.data or "").strip(), owner_id=self.owner_id.data,
                        due_on=self.due_on.data)


class NextStepList(FieldList):
    """Next-step rows whose owner is chosen only among the people who may read the record
    the follow-ups will come from (``offer``): a follow-up given to anyone else would sit
    in their day as "a record you cannot see". Rows added later (the page's spare rows)
    get the same people, with the default owner (the writer) chosen."""

    owners: tuple[tuple[int, str], ...] | None = None
    default_owner: int | None = None

    def offer(self, owners: list[tuple[int, str]], default: int | None = None) -> None:
        """Offer only ``owners`` (id, name) in every row; spare rows start at ``default``."""
        self.owners = tuple(owners)
        self.default_owner = default if default in {i for i, _name in owners} else None
        for entry in self.entries:
            self._limit(entry)

    def _limit(self, entry: FormField) -> None:
        if self.owners is not None:
            entry.form.owner_id.choices = options([("", ""), *self.owners])

    def append_entry(self, data: object = unset_value) -> FormField:
        entry = super().append_entry(data)
        self._limit(entry)
        if self.default_owner is not None and entry.form.owner_id.data is None:
            entry.form.owner_id.data = self.default_owner
        return entry


class RoundForm(VersionedForm):
    kind = SelectField(_l("Kind"))
    occurred_at = DateTimeLocalField(_l("When"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                     validators=[DataRequired(), in_range])
    title = StringField(_l("Summary"), validators=[DataRequired(), Length(max=200)])
    # ticked boxes when few (a partner's contacts), a typed picker when many
    our_people = ChecklistField(_l("Our participants"), coerce=coerce_id)
    their_people = ChecklistField(_l("Their participants"), coerce=coerce_id)
    body = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=50000)])
    outcome = TextAreaField(_l("Overall outcome"), validators=[Optional(), Length(max=10000)])
    is_confidential = BooleanField(_l("Confidential: only its author, its participants and "
                                      "roles that see confidential records"))
    topics = FieldList(FormField(TopicForm), min_entries=0, max_entries=30)
    next_steps = NextStepList(FormField(NextStepForm), min_entries=0, max_entries=20)

    def __init__(self, *args: object, contacts: list = (),
                 owners: list[tuple[int, str]] | None = None, default_owner: int | None = None,
                 **kwargs: object) -> None:
        """``owners`` (id, name): the people a next step may be given to, those who may
        read the round (``tracker.access.readers_of``); ``default_owner`` starts the spare
        rows (the writer)."""
        super().__init__(*args, **kwargs)
        self.kind.choices = options((k.value, k.label) for k in ConversationKind)
        self.our_people.choices = user_choices()
        self.their_people.choices = options((c.id, c.name) for c in contacts)
        if owners is not None and isinstance(self.next_steps, NextStepList):
            self.next_steps.offer(owners, default_owner)

    @classmethod
    def for_editing(cls, conversation: Conversation, **kwargs: object) -> RoundForm:
        """The form for editing a logged conversation: filled from it on GET (times in the
        user's zone; earlier next steps are follow-ups already, so none are shown), from
        the post alone on POST."""
        if request.method != "GET":
            return cls(**kwargs)
        form = cls(obj=conversation, **kwargs)
        form.version.data = conversation.version
        form.occurred_at.data = local_input(conversation.occurred_at)
        form.our_people.data = [p.id for p in conversation.our_people]
        form.their_people.data = [c.id for c in conversation.their_people]
        form.next_steps.entries = []
        return form

    def to_input(self) -> RoundInput:
        """The validated form as the service takes it: the time typed in the user's zone as
        UTC, and only the rows filled in (the blank ones are the page's spare rows)."""
        topics = [row.form.to_input() for row in self.topics.entries
                  if (row.form.subject.data or "").strip()] if "topics" in self else []
        steps = [row.form.to_input() for row in self.next_steps.entries
                 if (row.form.title.data or "").strip()]
        return RoundInput(
            kind=self.kind.data, occurred_at=local_to_utc(self.occurred_at.data),
            title=self.title.data, body=self.body.data or "",
            outcome=(self.outcome.data or "") if "outcome" in self else "",
            is_confidential=bool(self.is_confidential.data),
            our_people=tuple(self.our_people.data or ()),
            their_people=tuple(self.their_people.data or ()),
            topics=tuple(topics), next_steps=tuple(steps))
