"""Complaint forms: intake, moves, notes and replies, assignment, satisfaction."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from tracker.clients.complaints.queries import vocabulary
from tracker.clients.complaints.root_causes import ROOT_CAUSES  # the history shows them too
from tracker.clients.complaints.services import ComplaintEdit, NewComplaint, external_ref_taken
from tracker.i18n import local_to_utc
from tracker.models import Channel, ComplaintStatus, Severity
from tracker.web.forms import (
    OptionalIdSelect,
    TrackerForm,
    VersionedForm,
    WholeRange,
    coerce_id,
    in_range,
    options,
    user_choices,
)


class ComplaintForm(TrackerForm):
    client_id = OptionalIdSelect(_l("Client"))
    contact_id = OptionalIdSelect(_l("Contact"))
    title = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("What happened"), validators=[DataRequired(),
                                                                  Length(max=20000)])
    channel = SelectField(_l("Channel"))
    category_id = OptionalIdSelect(_l("Category"))
    severity = SelectField(_l("Severity"))
    received_at = DateTimeLocalField(_l("Received"), validators=[Optional(), in_range],
                                     format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                     description=_l("Leave empty for now."))
    caller = StringField(_l("Caller"), validators=[Optional(), Length(max=120)],
                         description=_l("Who called or wrote, if not a known contact."))
    assignee_id = OptionalIdSelect(_l("Assign to"))
    is_confidential = BooleanField(_l("Confidential: only roles that see confidential "
                                      "records (and you) see it"))

    def __init__(self, *args: object, clients: list = (), contacts: list = (),
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.client_id.choices = options([("", "")] + [(c.id, c.name) for c in clients])
        if not clients:
            del self.client_id
        self.contact_id.choices = options([("", _l("— not known —"))]
                                          + [(c.id, c.name) for c in contacts])
        self.channel.choices = options((c.value, c.label) for c in Channel)
        self.severity.choices = options((s.value, s.label) for s in Severity)
        self.category_id.choices = options(
            [("", _l("— none —"))] + [c.choice for c in vocabulary()[0] if not c.archived])
        self.assignee_id.choices = user_choices(blank=str(_l("— unassigned —")))
        if not self.is_submitted():
            self.severity.data = Severity.MEDIUM.value

    def to_input(self) -> NewComplaint:
        """The validated form as the service takes it: the time typed in the user's zone
        becomes aware UTC (empty: now)."""
        received = self.received_at.data
        return NewComplaint(
            title=self.title.data, channel=self.channel.data, severity=self.severity.data,
            description=self.description.data or "", category_id=self.category_id.data,
            contact_id=self.contact_id.data, assignee_id=self.assignee_id.data,
            is_confidential=bool(self.is_confidential.data),
            received_at=local_to_utc(received) if received else None,
            caller=self.caller.data or "")


class ComplaintEditForm(VersionedForm):
    """Corrections after intake: what was said, who said it, and how it was filed."""

    organization_id = OptionalIdSelect(_l("Client"), validators=[DataRequired(
        message=_l("Choose the client."))])
    contact_id = OptionalIdSelect(_l("Contact"), validate_choice=False)
    caller = StringField(_l("Caller"), validators=[Optional(), Length(max=120)],
                         description=_l("Who called or wrote, if not a known contact."))
    title = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("What happened"), validators=[DataRequired(),
                                                                  Length(max=20000)])
    channel = SelectField(_l("Channel"))
    category_id = OptionalIdSelect(_l("Category"))
    severity = SelectField(_l("Severity"), description=_l(
        "A new severity recomputes both deadlines from its policy, counted from the time "
        "the complaint was received."))
    external_ref = StringField(_l("Complaint number"), validators=[Optional(), Length(max=64)],
                               description=_l("The number in the client's or an older "
                                              "ledger, if any."))
    is_confidential = BooleanField(_l("Confidential: only roles that see confidential "
                                      "records (and you) see it"))

    def __init__(self, *args: object, clients: list = (), contacts: list = (),
                 complaint_id: int | None = None, category_kept: int | None = None,
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.complaint_id = complaint_id
        self.organization_id.choices = options([("", "")] + [(c.id, c.name) for c in clients])
        self.contacts = {c.id for c in contacts}
        self.contact_id.choices = options([("", _l("— not known —"))]
                                          + [(c.id, c.name) for c in contacts])
        self.channel.choices = options((c.value, c.label) for c in Channel)
        self.severity.choices = options((s.value, s.label) for s in Severity)
        categories = vocabulary()[0]
        # An archived category the complaint already has stays choosable (not silently lost).
        self.category_id.choices = options(
            [("", _l("— none —"))] + [c.choice for c in categories
                                      if not c.archived or c.id == category_kept])

    def validate_contact_id(self, field: OptionalIdSelect) -> None:
        if field.data is not None and field.data not in self.contacts:
            raise ValidationError(_l("Choose one of the chosen client's contacts, or none."))

    def validate_external_ref(self, field: StringField) -> None:
        ref = (field.data or "").strip()
        if ref and self.organization_id.data and external_ref_taken(
                self.organization_id.data, ref, self.complaint_id):
            raise ValidationError(_l("Another complaint of this client has this number."))

    def to_input(self) -> ComplaintEdit:
        return ComplaintEdit(
            title=self.title.data, description=self.description.data or "",
            organization_id=self.organization_id.data, contact_id=self.contact_id.data,
            caller=self.caller.data or "", category_id=self.category_id.data,
            severity=self.severity.data, channel=self.channel.data,
            is_confidential=bool(self.is_confidential.data),
            external_ref=self.external_ref.data or None)


class MoveForm(TrackerForm):
    status = SelectField(_l("Move to"))
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)])
    summary = TextAreaField(_l("Resolution summary"), validators=[Optional(), Length(max=10000)])
    root_cause = SelectField(_l("Root cause"))

    def __init__(self, *args: object, allowed: list = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = options((s.value, ComplaintStatus(s).label) for s in allowed)
        self.root_cause.choices = options([("", "")] + list(ROOT_CAUSES.items()))


class MessageForm(TrackerForm):
    kind = SelectField(_l("Kind"))
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=20000)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = options([("note", _l("Internal note")),
                                     ("reply", _l("Reply to the client"))])


class AssignForm(TrackerForm):
    assignee_id = OptionalIdSelect(_l("Assign to"))

    def __init__(self, *args: object, people: list[tuple[int, str]] | None = None,
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        blank = str(_l("— unassigned —"))
        # ``people`` already read by the page (id, name): no second read of the users.
        self.assignee_id.choices = (user_choices(blank=blank) if people is None
                                    else options([("", blank)] + list(people)))


class BulkAssignForm(AssignForm):
    ids = SelectMultipleField(_l("Complaints"), coerce=coerce_id, validate_choice=False)


class FollowUpForm(TrackerForm):
    title = StringField(_l("Next step"), validators=[DataRequired(), Length(max=200)])
    # The choice is checked below, with a message that says why.
    owner_id = OptionalIdSelect(_l("Owner"), validate_choice=False, validators=[DataRequired(
        message=_l("A next step needs an owner."))])
    due_on = DateField(_l("Due"), validators=[DataRequired(), in_range])

    def __init__(self, *args: object, people: list[tuple[int, str]] | None = None,
                 **kwargs: object) -> None:
        """``people`` (id, name): who the follow-up may be given to, the people who may
        read the complaint (``owner_choices``)."""
        super().__init__(*args, **kwargs)
        self.owner_id.choices = (user_choices(blank="") if people is None
                                 else options([("", "")] + list(people)))

    def validate_owner_id(self, field: OptionalIdSelect) -> None:
        if field.data is not None and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("This person may not see this record: choose someone "
                                     "who may."))


class RatingForm(TrackerForm):
    satisfaction = IntegerField(_l("Client satisfaction (1–5)"),
                                validators=[DataRequired(), WholeRange(min=1, max=5)])
    comment = TextAreaField(_l("Client's comment"), validators=[Optional(), Length(max=5000)])
