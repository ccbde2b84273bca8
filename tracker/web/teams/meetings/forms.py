"""Forms of team meetings (agenda items with their action items) and retrospectives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DateTimeLocalField,
    FieldList,
    FormField,
    HiddenField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from tracker.i18n import local_to_utc
from tracker.teams.meetings.services import ActionRow, AgendaRow, MeetingInput, RetroInput
from tracker.text import whole_number
from tracker.web.checklist import ChecklistField
from tracker.web.forms import (
    OptionalIdSelect,
    TrackerSubForm,
    VersionedForm,
    coerce_id,
    in_range,
    user_choices,
)

# Blank rows offered on a form page, so a meeting can be written down without any script.
EXTRA_ITEMS = 2
EXTRA_ACTIONS = 2
MAX_ITEMS = 30
MAX_ACTIONS = 10
MAX_RETRO_ACTIONS = 20
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def _needed_with_title(message: object) -> Callable[[TrackerSubForm, Any], None]:
    """Stop at an empty value on a blank row, but insist on it when the row has a title."""

    def check(form: TrackerSubForm, field: Any) -> None:
        if not field.raw_data or not (field.raw_data[0] or "").strip():
            field.errors[:] = []
            if (form.title.data or "").strip():
                raise StopValidation(str(message))
            raise StopValidation()

    return check


class ActionForm(TrackerSubForm):
    """One action item: it becomes a follow-up with its owner and due date."""

    title = StringField(_l("Action item"), validators=[Optional(), Length(max=200)])
    # The choice is checked below, with a message that says why (see ``offer_owners``).
    owner_id = OptionalIdSelect(_l("Owner"), validate_choice=False)
    due_on = DateField(_l("Due"), validators=[
        _needed_with_title(_l("An action item needs a due date.")), in_range])

    def validate_owner_id(self, field: OptionalIdSelect) -> None:
        if (self.title.data or "").strip() and not field.data:
            raise ValidationError(_l("An action item needs an owner."))
        if field.data is not None and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("This person may not see this record: choose someone "
                                     "who may."))


def has_title(row: Any) -> bool:
    return bool((row.form.title.data or "").strip())


def _action_rows(rows: FieldList) -> tuple[ActionRow, ...]:
    """The action rows that say something, as the service takes them."""
    return tuple(ActionRow(title=row.form.title.data, owner_id=row.form.owner_id.data,
                           due_on=row.form.due_on.data)
                 for row in rows.entries if has_title(row))


class AgendaItemForm(TrackerSubForm):
    """One agenda item: what was discussed, what was decided, who does what by when."""

    item_id = HiddenField()
    title = StringField(_l("Agenda item"), validators=[Length(max=200)])
    discussion = TextAreaField(_l("Discussion"), validators=[Optional(), Length(max=20000)])
    decisions = TextAreaField(_l("Decisions"), validators=[Optional(), Length(max=20000)])
    actions = FieldList(FormField(ActionForm), min_entries=0, max_entries=MAX_ACTIONS)

    @property
    def existing_id(self) -> int | None:
        """The agenda item this row edits (only trusted after matching the meeting's items)."""
        return whole_number(self.item_id.data)

    def validate_title(self, field: StringField) -> None:
        if (field.data or "").strip():
            return
        if (self.discussion.data or "").strip() or (self.decisions.data or "").strip() or any(
                has_title(row) for row in self.actions.entries):
            raise ValidationError(_l("Give this agenda item a title, or clear the row."))


def _people(known: object = ()) -> list[SelectChoice]:
    """Active users, plus people already on the record who are no longer active."""
    people = user_choices(blank="")
    have = {c.value for c in people}
    extra = [SelectChoice(value=uid, label=name) for uid, name in known if uid not in have]
    return people + sorted(extra, key=lambda c: c.label)


def _nobody(people: list[SelectChoice]) -> list[SelectChoice]:
    return [SelectChoice(value="", label=str(_l("— nobody —"))), *people[1:]]


def _set_owner_choices(rows: FieldList, people: list[SelectChoice]) -> None:
    for row in rows.entries:
        row.form.owner_id.choices = people


def _pad_rows(rows: FieldList, count: int, people: list[SelectChoice],
              default: int | None = None) -> None:
    for _i in range(count):
        if rows.max_entries and len(rows.entries) >= rows.max_entries:
            break
        rows.append_entry().form.owner_id.data = default
    _set_owner_choices(rows, people)


class ActionOwners:
    """Action items go only to people who may read the meeting or retrospective they come
    from: a follow-up given to anyone else would sit in their day as "a record you cannot
    see". Until ``offer_owners``, every active person is offered (the service refuses a
    non-reader all the same)."""

    people: list[SelectChoice]
    action_people: list[SelectChoice] | None = None
    default_owner: int | None = None

    def _action_rows(self) -> list[FieldList]:
        raise NotImplementedError

    def offer_owners(self, owners: list[tuple[int, str]], default: int | None = None) -> None:
        """Offer only ``owners`` (id, name) on every action row; blank rows added later
        start at ``default`` (the writer) when they may read it."""
        self.action_people = [SelectChoice(value="", label=""),
                              *(SelectChoice(value=i, label=name) for i, name in owners)]
        self.default_owner = default if default in {i for i, _name in owners} else None
        for rows in self._action_rows():
            _set_owner_choices(rows, self.action_people)

    @property
    def owner_people(self) -> list[SelectChoice]:
        return self.action_people if self.action_people is not None else self.people


class MeetingForm(ActionOwners, VersionedForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    series = StringField(_l("Series"), validators=[Optional(), Length(max=120)], description=_l(
        "Meetings of one series (e.g. “周例会 Weekly ops”) carry open action items over."))
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMATS,
                                   validators=[DataRequired(), in_range])
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMATS,
                                 validators=[Optional(), in_range])
    place = StringField(_l("Place or link"), validators=[Optional(), Length(max=255)])
    organizer_id = OptionalIdSelect(_l("Organizer"))
    attendees = ChecklistField(_l("Attendees"), coerce=coerce_id)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=50000)])
    items = FieldList(FormField(AgendaItemForm), min_entries=0, max_entries=MAX_ITEMS)

    def __init__(self, *args: object, locked: frozenset[int] = frozenset(),
                 known: object = (), **kwargs: object) -> None:
        """``locked``: ids of agenda items with action items, which cannot be cleared;
        ``known``: (id, name) of people already on the meeting, active or not."""
        super().__init__(*args, **kwargs)
        self._locked = locked
        self.people = _people(known)
        self.organizer_id.choices = _nobody(self.people)
        self.attendees.choices = self.people[1:]
        self.series.render_kw = {"list": "series-options", "autocomplete": "off"}
        for item in self.items.entries:
            _set_owner_choices(item.form.actions, self.people)

    def _action_rows(self) -> list[FieldList]:
        return [item.form.actions for item in self.items.entries]

    def pad(self, new_actions: bool = True) -> None:
        """Blank agenda items and action rows to fill in (action rows only with ``new_actions``)."""
        blank_items = EXTRA_ITEMS + (1 if not self.items.entries else 0)
        for item in self.items.entries:
            _pad_rows(item.form.actions, EXTRA_ACTIONS if new_actions else 1,
                      self.owner_people, self.default_owner)
        for _i in range(blank_items):
            if len(self.items.entries) >= MAX_ITEMS:
                break
            self.items.append_entry()
            _pad_rows(self.items.entries[-1].form.actions, EXTRA_ACTIONS, self.owner_people,
                      self.default_owner)

    def validate_ends_at(self, field: DateTimeLocalField) -> None:
        if field.data and self.starts_at.data and field.data < self.starts_at.data:
            raise ValidationError(_l("The meeting ends before it starts."))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for row in self.items.entries:
            item = row.form
            if item.existing_id in self._locked and not has_title(row) and not item.title.errors:
                item.title.errors.append(str(_l(
                    "This agenda item has action items; it keeps a title.")))
                valid = False
        return valid

    def to_input(self) -> MeetingInput:
        """The validated form as the service takes it: times typed in the user's zone as
        UTC, the agenda rows that say something in their order."""
        return MeetingInput(
            title=self.title.data, series=self.series.data or "",
            starts_at=local_to_utc(self.starts_at.data),
            ends_at=local_to_utc(self.ends_at.data) if self.ends_at.data else None,
            place=self.place.data or "", organizer_id=self.organizer_id.data,
            attendee_ids=tuple(self.attendees.data or ()), notes=self.notes.data or "",
            items=tuple(AgendaRow(title=row.form.title.data,
                                  discussion=row.form.discussion.data or "",
                                  decisions=row.form.decisions.data or "",
                                  item_id=row.form.existing_id,
                                  actions=_action_rows(row.form.actions))
                        for row in self.items.entries if has_title(row)))


class RetroForm(ActionOwners, VersionedForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    held_on = DateField(_l("Held on"), validators=[DataRequired(), in_range])
    facilitator_id = OptionalIdSelect(_l("Facilitator"))
    went_well = TextAreaField(_l("What went well"), validators=[Optional(), Length(max=20000)])
    fell_short = TextAreaField(_l("What fell short"),
                               validators=[Optional(), Length(max=20000)])
    lessons = TextAreaField(_l("Lessons"), validators=[Optional(), Length(max=20000)])
    actions = FieldList(FormField(ActionForm), min_entries=0, max_entries=MAX_RETRO_ACTIONS)

    def __init__(self, *args: object, known: object = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.people = _people(known)
        self.facilitator_id.choices = _nobody(self.people)
        _set_owner_choices(self.actions, self.people)

    def _action_rows(self) -> list[FieldList]:
        return [self.actions]

    def pad(self) -> None:
        _pad_rows(self.actions, EXTRA_ACTIONS + 1, self.owner_people, self.default_owner)

    def to_input(self) -> RetroInput:
        """The validated form as the service takes it, with the action rows that say
        something."""
        return RetroInput(title=self.title.data, held_on=self.held_on.data,
                          facilitator_id=self.facilitator_id.data,
                          went_well=self.went_well.data or "",
                          fell_short=self.fell_short.data or "",
                          lessons=self.lessons.data or "", actions=_action_rows(self.actions))
