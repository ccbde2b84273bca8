"""Forms for progress reports, problems and resource requests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, StopValidation, ValidationError

from tracker.models import ProblemStatus, RequestKind, Urgency
from tracker.teams.reports.services import ProblemInput, ReportInput, RequestInput
from tracker.teams.reports.workflow import DECISIONS
from tracker.web.forms import (
    OptionalIdSelect,
    TrackerForm,
    VersionedForm,
    finite,
    in_range,
    options,
    user_choices,
)

TEXT = 20000
MAX_AMOUNT = Decimal("999999999999.99")


def _text(field: Any) -> str:
    return (field.data or "").strip()


def _amount_given(message: Any = None) -> Any:
    """Stop at an amount that is not there: with ``message`` when one is required, quietly
    when it is optional or when the field already says that what was typed is no number."""

    def check(form: object, field: Any) -> None:
        if field.data is not None:
            return
        if field.raw_data and (field.raw_data[0] or "").strip():
            raise StopValidation()  # "Not a valid decimal value." is on the field already
        field.errors[:] = []
        raise StopValidation(str(message) if message is not None else None)

    return check


def cents(form: object, field: Any) -> None:
    """Amounts are exact to the cent: 0.005 is a typing slip, not half a cent."""
    value = field.data
    if value is not None and value.is_finite():
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            raise ValidationError(_l("Use at most two decimal places."))


def _amount_validators(message: Any = None) -> list:
    return [_amount_given(message), finite,
            NumberRange(min=Decimal("0.01"), max=MAX_AMOUNT,
                        message=_l("Enter an amount between 0.01 and 999,999,999,999.99.")),
            cents]


# -- progress reports ---------------------------------------------------------------------

class ReportForm(VersionedForm):
    done = TextAreaField(_l("Done"), validators=[Length(max=TEXT)],
                         description=_l("What you finished this period."))
    next = TextAreaField(_l("Next up"), validators=[Length(max=TEXT)],
                         description=_l("What you will work on next."))
    blockers = TextAreaField(_l("Blockers"), validators=[Length(max=TEXT)],
                             description=_l("What stops you or slows you down; leave empty "
                                            "if nothing does."))

    def validate_done(self, field: TextAreaField) -> None:
        if not (_text(field) or _text(self.next) or _text(self.blockers)):
            raise ValidationError(_l("Write what you did, what comes next or what blocks "
                                     "you."))

    def to_input(self) -> ReportInput:
        """The validated form as the service takes it."""
        return ReportInput(done=self.done.data or "", next=self.next.data or "",
                           blockers=self.blockers.data or "")


class CommentForm(VersionedForm):
    lead_comment = TextAreaField(_l("Your reply and direction"),
                                 validators=[DataRequired(), Length(max=TEXT)])


def _due_needed(form: Any, field: DateField) -> None:
    """An empty due date is fine for a problem; a follow-up needs one."""
    if not field.raw_data or not (field.raw_data[0] or "").strip():
        field.errors[:] = []
        if form.action == "followup":
            raise StopValidation(str(_l("A follow-up needs a due date.")))
        raise StopValidation()


class BlockerForm(TrackerForm):
    """Where the blockers go: a follow-up (owner and due date needed) or a problem."""

    owner_id = OptionalIdSelect(_l("Owner"))
    due_on = DateField(_l("Due"), validators=[_due_needed, in_range])

    def __init__(self, *args: object, readers: list[tuple[int, str]],
                 action: str = "followup", **kwargs: object) -> None:
        """``readers``: (id, name) of the people who may read the report, the only ones
        offered and the only ones its follow-up may go to (a problem raised from it too:
        an owner who may not read the report would not know what the blockers are)."""
        super().__init__(*args, **kwargs)
        self.action = "problem" if action == "problem" else "followup"
        blank = str(_l("— nobody —"))
        self.owner_id.choices = options([("", blank), *readers])
        self.readers = {i for i, _name in readers}

    def validate_owner_id(self, field: OptionalIdSelect) -> None:
        if self.action == "followup" and not field.data:
            raise ValidationError(_l("A follow-up needs an owner."))
        if self.action == "followup" and field.data not in self.readers:
            raise ValidationError(_l("This person may not see this record: choose someone "
                                     "who may."))


# -- problems -------------------------------------------------------------------------------

class ProblemForm(VersionedForm):
    title = StringField(_l("Problem"), validators=[DataRequired(), Length(max=200)],
                        description=_l("What is wrong, in one line."))
    impact = TextAreaField(_l("Impact"), validators=[Length(max=TEXT)],
                           description=_l("Who or what it holds up, and how much."))
    urgency = SelectField(_l("Urgency"))
    owner_id = OptionalIdSelect(_l("Owner"))
    solution = TextAreaField(_l("Solution"), validators=[Length(max=TEXT)])

    def __init__(self, *args: object, solved: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.urgency.choices = options((u.value, u.label) for u in Urgency)
        self.owner_id.choices = user_choices(blank=str(_l("— nobody yet —")))
        if not solved:
            del self.solution
        if not self.is_submitted() and not self.urgency.data:
            self.urgency.data = Urgency.MEDIUM.value

    def validate_solution(self, field: TextAreaField) -> None:
        if not _text(field):
            raise ValidationError(_l("A solved problem keeps its solution."))

    def to_input(self) -> ProblemInput:
        """The validated form as the service takes it (a solution only where the form has
        one: for a solved problem)."""
        return ProblemInput(title=self.title.data, impact=self.impact.data or "",
                            urgency=self.urgency.data, owner_id=self.owner_id.data,
                            solution=(self.solution.data or "") if "solution" in self else None)


class ProblemMoveForm(TrackerForm):
    status = SelectField(_l("Move to"))
    solution = TextAreaField(_l("Solution"), validators=[Length(max=TEXT)],
                             description=_l("Needed to mark the problem solved."))

    def __init__(self, *args: object, allowed: list | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.offer(allowed if allowed is not None else list(ProblemStatus))

    def offer(self, statuses: list[ProblemStatus]) -> None:
        self.status.choices = options((s.value, s.label) for s in statuses)


# -- resource requests ------------------------------------------------------------------

class RequestForm(VersionedForm):
    kind = SelectField(_l("Kind"))
    title = StringField(_l("What is needed"), validators=[DataRequired(), Length(max=200)])
    amount = DecimalField(_l("Amount"), places=2,
                          validators=_amount_validators(_l("Enter the amount asked for.")))
    unit = StringField(_l("Unit"), validators=[DataRequired(), Length(max=20)],
                       description=_l("e.g. CNY, persons, units"))
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=TEXT)],
                           description=_l("Why it is needed and what happens without it."))
    approver_id = OptionalIdSelect(_l("Approver"))

    def __init__(self, *args: object, requester_id: int | None = None,
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._requester_id = requester_id
        self.kind.choices = options((k.value, k.label) for k in RequestKind)
        self.approver_id.choices = user_choices(blank="")

    def validate_approver_id(self, field: OptionalIdSelect) -> None:
        if not field.data:
            raise ValidationError(_l("Name who approves the request."))
        if field.data == self._requester_id:
            raise ValidationError(_l("Choose someone else to approve your own request."))

    def to_input(self) -> RequestInput:
        """The validated form as the service takes it."""
        return RequestInput(kind=self.kind.data, title=self.title.data,
                            amount=self.amount.data, unit=self.unit.data,
                            reason=self.reason.data, approver_id=self.approver_id.data)


class DecisionForm(VersionedForm):
    decision = SelectField(_l("Decision"))
    granted_amount = DecimalField(_l("Amount granted"), places=2,
                                  validators=_amount_validators(),
                                  description=_l("Only for a partial approval: less than "
                                                 "asked."))
    approver_note = TextAreaField(_l("Note"), validators=[Length(max=TEXT)],
                                  description=_l("Needed to reject the request."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.decision.choices = options((d.value, _decision_label(d)) for d in DECISIONS)


def _decision_label(status: object) -> str:
    return str({"approved": _l("Approve in full"), "partly_approved": _l("Approve in part"),
                "rejected": _l("Reject")}[str(status)])
