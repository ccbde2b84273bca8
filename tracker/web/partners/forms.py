"""Forms of the partners blueprint: negotiation rounds, agreements, versions, stages.

Each form validates a request and turns it into the plain input the services take
(``to_input``); the services never see a form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from tracker.models import AgreementStatus, PartnerStage, Proposer
from tracker.partners.services import (
    AgreementInput,
    Fees,
    NewAgreement,
    TermsInput,
)
from tracker.web.amount_field import AmountField
from tracker.web.forms import (
    OptionalIdSelect,
    TrackerForm,
    VersionedForm,
    coerce_id,
    in_range,
    options,
    team_choices,
    user_choices,
)

CURRENCIES = ("CNY", "USD", "EUR", "HKD", "JPY", "GBP", "SGD")


class StageForm(TrackerForm):
    """A move to another stage; the workflow says whether it needs a reason (an ending)."""

    stage = SelectField(_l("Stage"))
    reason = TextAreaField(_l("Why it ended"), validators=[Length(max=2000)])
    version = HiddenField()  # the partner's version the page was loaded with

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.stage.choices = options((s.value, s.label) for s in PartnerStage)


class AgreementForm(VersionedForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    owner_id = OptionalIdSelect(_l("Owner"))
    team_id = OptionalIdSelect(_l("Team"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.owner_id.choices = user_choices(blank=str(_l("— nobody —")))
        self.team_id.choices = team_choices(blank=str(_l("— no team —")))

    def to_input(self) -> AgreementInput:
        """The validated form as ``update_agreement`` takes it."""
        return AgreementInput(title=self.title.data, owner_id=self.owner_id.data,
                              team_id=self.team_id.data)


class TermsForm(TrackerForm):
    """The terms of one version. Money fields are removed for roles without the capability."""

    proposed_by = SelectField(_l("Proposed by"))
    scope = TextAreaField(_l("Scope and content"), validators=[Optional(), Length(max=20000)])
    cooperation = TextAreaField(_l("How the parties cooperate"),
                                validators=[Optional(), Length(max=20000)])
    fee_amount = AmountField(
        _l("Fees"), currency="currency",
        validators=[Optional(), NumberRange(min=0, max=999_999_999_999.99)],
        description=_l("As written on pages or in a contract: 12000.50, ¥12,000, 1.2万."))
    currency = SelectField(_l("Currency"))
    payment_terms = TextAreaField(_l("Payment terms"), validators=[Optional(), Length(max=5000)])
    start_on = DateField(_l("Start"), validators=[Optional(), in_range])
    end_on = DateField(_l("End"), validators=[Optional(), in_range])
    notice_on = DateField(_l("Notice / renewal date"), validators=[Optional(), in_range])
    auto_renew = BooleanField(_l("Renews automatically"))
    notes = TextAreaField(_l("Notes on this version"), validators=[Optional(), Length(max=5000)])

    def __init__(self, *args: object, money: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.proposed_by.choices = options((p.value, p.label) for p in Proposer)
        self.currency.choices = options((c, c) for c in CURRENCIES)
        if not money:
            for name in ("fee_amount", "currency", "payment_terms"):
                delattr(self, name)

    def validate_end_on(self, field: DateField) -> None:
        if field.data and self.start_on.data and field.data < self.start_on.data:
            raise ValidationError(_l("The end comes before the start."))

    def validate_notice_on(self, field: DateField) -> None:
        if field.data and self.end_on.data and field.data > self.end_on.data:
            raise ValidationError(_l("The notice date comes after the end."))

    def to_input(self) -> TermsInput:
        """The terms; without the money fields (removed for roles that may not see money)
        the service keeps the previous version's."""
        fees = None
        if "fee_amount" in self:
            fees = Fees(fee_amount=self.fee_amount.data, currency=self.currency.data or "CNY",
                        payment_terms=self.payment_terms.data or "")
        return TermsInput(
            proposed_by=self.proposed_by.data, scope=self.scope.data or "",
            cooperation=self.cooperation.data or "", start_on=self.start_on.data,
            end_on=self.end_on.data, notice_on=self.notice_on.data,
            auto_renew=bool(self.auto_renew.data), notes=self.notes.data or "", fees=fees)


class NewAgreementForm(AgreementForm, TermsForm):
    """Title, owner and the first version's terms, in one form."""

    def to_input(self) -> NewAgreement:  # type: ignore[override]
        """The agreement and its first version's terms, as ``create_agreement`` takes them."""
        head = AgreementForm.to_input(self)
        return NewAgreement(title=head.title, owner_id=head.owner_id, team_id=head.team_id,
                            terms=TermsForm.to_input(self))


class StatusForm(TrackerForm):
    status = SelectField(_l("Move to"))
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args: object, allowed: list = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = options((s.value, AgreementStatus(s).label) for s in allowed)


class SignForm(TrackerForm):
    version_id = SelectField(_l("Signed version"), coerce=coerce_id)
    signed_on = DateField(_l("Signing date"), validators=[DataRequired(), in_range])
    signatories = TextAreaField(_l("Signatories"), validators=[DataRequired(), Length(max=2000)],
                                description=_l("Who signed, for each side."))

    def __init__(self, *args: object, versions: list = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.version_id.choices = options((v.id, f"v{v.number} · {v.proposed_by_label}")
                                          for v in versions)
