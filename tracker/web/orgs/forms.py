"""Organization and contact forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, ValidationError

from tracker.models import OrgStatus
from tracker.orgs.services import ContactInput, OrganizationInput
from tracker.text import tag_names
from tracker.web.forms import OptionalIdSelect, VersionedForm, options, team_choices, user_choices

MAX_TAGS = 12


class OrganizationForm(VersionedForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    status = SelectField(_l("Status"))
    industry = StringField(_l("Industry"), validators=[Optional(), Length(max=120)])
    website = StringField(_l("Website"), validators=[
        Optional(), Length(max=255), URL(message=_l("Enter a full address, e.g. https://example.com"))])
    owner_id = OptionalIdSelect(_l("Owner"))
    team_id = OptionalIdSelect(_l("Team"))
    tags = StringField(_l("Tags"), description=_l("Separate tags with commas or 、."),
                       validators=[Optional(), Length(max=500)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=20000)])

    def __init__(self, *args: object, kind: str = "client", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if kind == "partner":
            del self.status  # a partner's stage moves on its page and on the board
        else:
            self.status.choices = options((s.value, s.label) for s in OrgStatus)
        self.owner_id.choices = user_choices(blank=str(_l("— nobody —")))
        self.team_id.choices = team_choices(blank=str(_l("— no team —")))

    def validate_tags(self, field: StringField) -> None:
        tags = tag_names(field.data)
        if len(tags) > MAX_TAGS:
            raise ValidationError(_l("At most %(n)d tags.", n=MAX_TAGS))
        if any(len(t) > 50 for t in tags):
            raise ValidationError(_l("A tag has at most 50 characters."))

    def to_input(self) -> OrganizationInput:
        """The validated form as the services take it: the tags' text as their names; no
        status for a partner (its form has none)."""
        return OrganizationInput(
            name=self.name.data, status=self.status.data if "status" in self else None,
            industry=self.industry.data or "", website=self.website.data or "",
            owner_id=self.owner_id.data, team_id=self.team_id.data,
            tags=tuple(tag_names(self.tags.data)), notes=self.notes.data or "")


class ContactForm(VersionedForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    title = StringField(_l("Job title"), validators=[Optional(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])

    def to_input(self) -> ContactInput:
        """The validated form as ``save_contact`` takes it."""
        return ContactInput(name=self.name.data, title=self.title.data or "",
                            email=self.email.data or "", phone=self.phone.data or "",
                            notes=self.notes.data or "")
